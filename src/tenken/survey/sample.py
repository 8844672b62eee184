"""A realistic, seeded set of filled answers for a roster of local governments (for demos, tests
and benchmarks).

Each organisation gets a practice profile (careful, typical or lax) that shifts every answer;
answers follow the questionnaire's skip logic (relevance is evaluated with the engine's own
:func:`effective_lookup`), so most documents are coherent. A few organisations do not answer at
all, and a few documents carry the mistakes seen in real returns: an empty 担当部署名, an item
left unanswered, an answer in an item that does not apply, a number typed instead of ①.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from tenken.survey.document import AnswerDocument, AnswerValue
from tenken.survey.engine import effective_lookup
from tenken.survey.local_governments import LocalGovernment
from tenken.survey.model import Field, Questionnaire

PROFILES = ("careful", "typical", "lax")
_PROFILE_WEIGHTS = (0.55, 0.33, 0.12)

# Weights of each choice (in list order) by profile; items not listed are drawn uniformly.
_WEIGHTS: dict[str, dict[str, tuple[float, ...]]] = {
    "1-1": {"careful": (8, 2), "typical": (7, 3), "lax": (5, 5)},
    "1-2": {"careful": (2, 8), "typical": (1, 9), "lax": (1, 9)},
    "2": {"careful": (6, 0.5, 1, 3), "typical": (3, 2, 2, 3), "lax": (1, 6, 1, 2)},
    "3": {"careful": (9, 1), "typical": (8, 2), "lax": (6, 4)},
    "4": {"careful": (6, 0.2, 4), "typical": (4, 1, 5), "lax": (2, 4, 4)},
    "5": {"careful": (7, 3), "typical": (3, 7), "lax": (1, 9)},
    "7-1": {"careful": (9, 1), "typical": (7, 3), "lax": (5, 5)},
    "7-2": {"careful": (3, 7), "typical": (6, 4), "lax": (9, 1)},
    "7-3": {"careful": (9, 1), "typical": (7, 3), "lax": (4, 6)},
    "8-1": {"careful": (7, 0.5, 3), "typical": (5, 3, 2), "lax": (2, 7, 1)},
    "8-2": {"careful": (9.5, 0.5), "typical": (8, 2), "lax": (5, 5)},
    "9": {"careful": (7, 3, 0.3, 0.1), "typical": (5, 3, 1, 1), "lax": (2, 2, 2, 4)},
    "10": {"careful": (9.5, 0.5, 0, 0), "typical": (9, 0.6, 0.3, 0.1), "lax": (7, 1.5, 1, 0.5)},
}
# Probability of each option of a multi-select item being chosen, by profile.
_OPTION_ODDS: dict[str, dict[str, tuple[float, ...]]] = {
    "6": {"careful": (0.8, 0.6), "typical": (0.7, 0.5), "lax": (0.6, 0.4)},
    # 漢字氏名, カナ氏名, 生年月日, 性別, 住所: the lax leave 住所 out (the 2023 cause)
    "7-4": {
        "careful": (0.9, 0.6, 0.98, 0.8, 0.95),
        "typical": (0.7, 0.7, 0.95, 0.6, 0.7),
        "lax": (0.3, 0.9, 0.95, 0.3, 0.25),
    },
}
_DEPARTMENTS = ("福祉課", "地域福祉課", "商工労働課", "産業振興課", "雇用対策課", "市民課")
_SURNAMES = ("佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤")
_GIVEN = ("太郎", "花子", "一郎", "恵子", "健", "由美", "誠", "直子", "翔", "陽子")
_METHODS = (
    "漢字氏名・住所を追加で照会し、2名の職員が住民票の写しと照合して特定する（要領に規定）。",
    "住所地に照会文書を送付し、本人の回答で確認する。マニュアルあり。",
    "追加の本人確認4情報で再照会し、係長が確認のうえ特定する。",
)
_MISTAKES = ("missing_info", "unanswered", "not_applicable", "typed_number")


@dataclass(frozen=True)
class SampleSet:
    """Generated answer documents and the organisations that did not answer."""

    documents: tuple[AnswerDocument, ...]
    non_responders: tuple[LocalGovernment, ...]


def generate(
    questionnaire: Questionnaire,
    roster: Sequence[LocalGovernment],
    seed: int = 0,
    *,
    response_rate: float = 0.93,
    mistake_rate: float = 0.06,
) -> SampleSet:
    """Answers for ``roster``: the same seed gives the same documents."""
    rng = random.Random(seed)
    documents: list[AnswerDocument] = []
    missing: list[LocalGovernment] = []
    for lg in roster:
        if rng.random() >= response_rate:
            missing.append(lg)
            continue
        profile = rng.choices(PROFILES, _PROFILE_WEIGHTS)[0]
        document = answer_document(questionnaire, lg, profile, rng)
        if rng.random() < mistake_rate:
            document = add_mistake(questionnaire, document, rng.choice(_MISTAKES), rng)
        documents.append(document)
    return SampleSet(tuple(documents), tuple(missing))


def answer_document(
    questionnaire: Questionnaire, lg: LocalGovernment, profile: str, rng: random.Random
) -> AnswerDocument:
    """A complete, coherent answer document for one organisation."""
    respondent = _respondent(lg, rng)
    answers: dict[str, AnswerValue] = {}
    for f in questionnaire.items:
        document = AnswerDocument(respondent, answers)
        if f.relevant is not None and not f.relevant.truthy(
            effective_lookup(questionnaire, document)
        ):
            continue
        answers[f.name] = _answer(questionnaire, f, profile, rng)
    return AnswerDocument(respondent, answers, source=f"sample:{lg.org_name}")


def _respondent(lg: LocalGovernment, rng: random.Random) -> dict[str, str]:
    area = rng.randint(10, 99)
    return {
        "制度等": "職業転換給付金制度（訓練手当）",
        "組織区分": lg.kind,
        "属性": "",
        "組織名": lg.org_name,
        "担当部署名": rng.choice(_DEPARTMENTS),
        "回答責任者役職": rng.choice(("課長", "部長", "室長")),
        "回答責任者氏名": f"{rng.choice(_SURNAMES)} {rng.choice(_GIVEN)}",
        "連絡先氏名": f"{rng.choice(_SURNAMES)} {rng.choice(_GIVEN)}",
        "電話番号": f"0{area}-{rng.randint(200, 999)}-{rng.randint(1000, 9999)}",
        "メールアドレス": f"tantou{lg.code}@example.lg.jp",
    }


def _answer(q: Questionnaire, f: Field, profile: str, rng: random.Random) -> AnswerValue:
    if f.kind == "text":
        if f.followup_of == "2":
            return f"{rng.choice((2024, 2025))}-{rng.randint(1, 12):02d}"
        return rng.choice(_METHODS)
    codes = q.choices_of(f).codes()
    if f.kind == "select_multiple":
        odds = _OPTION_ODDS.get(f.name, {}).get(profile, (0.5,) * len(codes))
        chosen = [c for c, p in zip(codes, odds, strict=True) if rng.random() < p]
        return chosen or [rng.choice(codes)]
    weights = _WEIGHTS.get(f.name, {}).get(profile, (1.0,) * len(codes))
    return rng.choices(codes, weights)[0]


def add_mistake(
    q: Questionnaire, document: AnswerDocument, kind: str, rng: random.Random
) -> AnswerDocument:
    """One of the mistakes seen in real returns (see the module docstring)."""
    respondent, answers = dict(document.respondent), dict(document.answers)
    single = [n for n, v in answers.items() if isinstance(v, str) and q.field(n).is_select]
    if kind == "missing_info":
        respondent["担当部署名"] = ""
    elif kind == "unanswered" and single:
        del answers[rng.choice(single)]
    elif kind == "not_applicable":
        skipped = [f for f in q.items if f.is_select and f.name not in answers]
        if skipped:
            f = rng.choice(skipped)
            answers[f.name] = _answer(q, f, "typical", rng)
    elif kind == "typed_number" and single:
        name = rng.choice(single)
        answers[name] = str("①②③④⑤".index(str(answers[name])) + 1)
    return AnswerDocument(respondent, answers, document.source)
