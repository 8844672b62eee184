"""A realistic, seeded set of filled answers for a roster of local governments (for demos, tests
and benchmarks).

Each organisation gets a practice profile (careful, typical or lax) that shifts every answer by
the weights of the pack's ``sample.yaml`` (uniform where it gives none);
answers follow the questionnaire's skip logic (relevance is evaluated with the engine's own
:func:`effective_lookup`), so most documents are coherent. A few organisations do not answer at
all, and a few documents carry the mistakes seen in real returns: an empty respondent field, an
item left unanswered, an answer in an item that does not apply, a number typed instead of ①.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from tenken.survey.document import AnswerDocument, AnswerValue
from tenken.survey.engine import effective_lookup
from tenken.survey.local_governments import LocalGovernment
from tenken.survey.model import ORG_KIND_FIELD, ORG_NAME_FIELD, Field, Questionnaire
from tenken.survey.pack import PROFILES, Pack, SampleSettings

_PROFILE_WEIGHTS = (0.55, 0.33, 0.12)
_MISTAKES = ("missing_info", "unanswered", "not_applicable", "typed_number")
# Typed-in values when the pack's sample settings give no examples (by field kind).
_FALLBACK_TEXT = "（サンプル回答）"


@dataclass(frozen=True)
class SampleSet:
    """Generated answer documents and the organisations that did not answer."""

    documents: tuple[AnswerDocument, ...]
    non_responders: tuple[LocalGovernment, ...]


def generate(
    pack: Pack,
    roster: Sequence[LocalGovernment],
    seed: int = 0,
    *,
    response_rate: float = 0.93,
    mistake_rate: float = 0.06,
) -> SampleSet:
    """Answers for ``roster``: the same seed gives the same documents."""
    questionnaire, settings = pack.questionnaire, pack.sample
    rng = random.Random(seed)
    documents: list[AnswerDocument] = []
    missing: list[LocalGovernment] = []
    for lg in roster:
        if rng.random() >= response_rate:
            missing.append(lg)
            continue
        profile = rng.choices(PROFILES, _PROFILE_WEIGHTS)[0]
        document = answer_document(questionnaire, settings, lg, profile, rng)
        if rng.random() < mistake_rate:
            document = add_mistake(questionnaire, settings, document, rng.choice(_MISTAKES), rng)
        documents.append(document)
    return SampleSet(tuple(documents), tuple(missing))


def answer_document(
    questionnaire: Questionnaire,
    settings: SampleSettings,
    lg: LocalGovernment,
    profile: str,
    rng: random.Random,
) -> AnswerDocument:
    """A complete, coherent answer document for one organisation."""
    respondent = _respondent(questionnaire, settings, lg, rng)
    answers: dict[str, AnswerValue] = {}
    for f in questionnaire.items:
        document = AnswerDocument(respondent, answers)
        if f.relevant is not None and not f.relevant.truthy(
            effective_lookup(questionnaire, document)
        ):
            continue
        answers[f.name] = _answer(questionnaire, settings, f, profile, rng)
    return AnswerDocument(respondent, answers, source=f"sample:{lg.org_name}")


def _respondent(
    q: Questionnaire, settings: SampleSettings, lg: LocalGovernment, rng: random.Random
) -> dict[str, str]:
    values: dict[str, str] = {}
    for f in q.respondent_fields:
        if f.name == ORG_NAME_FIELD:
            values[f.name] = lg.org_name
        elif f.name == ORG_KIND_FIELD:
            values[f.name] = lg.kind
        elif f.name in settings.respondent:
            values[f.name] = rng.choice(settings.respondent[f.name])
        elif f.is_select:
            codes = q.choices_of(f).codes()
            values[f.name] = codes[0] if len(codes) == 1 else rng.choice(codes)
        elif f.required:
            values[f.name] = _typed(f, rng)
        else:
            values[f.name] = ""
    return values


def _typed(f: Field, rng: random.Random) -> str:
    if f.kind == "integer":
        return str(rng.randint(0, 200))
    if f.kind == "decimal":
        return f"{rng.uniform(0, 100):.1f}"
    if f.kind == "date":
        return f"2023-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return _FALLBACK_TEXT


def _answer(
    q: Questionnaire, settings: SampleSettings, f: Field, profile: str, rng: random.Random
) -> AnswerValue:
    if f.is_free:
        examples = settings.texts.get(f.name)
        return rng.choice(examples) if examples else _typed(f, rng)
    codes = q.choices_of(f).codes()
    if f.kind == "select_multiple":
        odds = settings.option_odds.get(f.name, {}).get(profile, (0.5,) * len(codes))
        chosen = [c for c, p in zip(codes, odds, strict=True) if rng.random() < p]
        return chosen or [rng.choice(codes)]
    weights = settings.weights.get(f.name, {}).get(profile, (1.0,) * len(codes))
    return rng.choices(codes, weights)[0]


def add_mistake(
    q: Questionnaire,
    settings: SampleSettings,
    document: AnswerDocument,
    kind: str,
    rng: random.Random,
) -> AnswerDocument:
    """One of the mistakes seen in real returns (see the module docstring)."""
    respondent, answers = dict(document.respondent), dict(document.answers)
    single = [n for n, v in answers.items() if isinstance(v, str) and q.field(n).is_select]
    fillable = [
        f.name
        for f in q.respondent_fields
        if f.filled_by == "respondent" and f.required
        and f.name not in (ORG_NAME_FIELD, ORG_KIND_FIELD)
    ]  # fmt: skip
    if kind == "missing_info" and fillable:
        respondent[rng.choice(fillable)] = ""
    elif kind == "unanswered" and single:
        del answers[rng.choice(single)]
    elif kind == "not_applicable":
        skipped = [f for f in q.items if f.is_select and f.name not in answers]
        if skipped:
            f = rng.choice(skipped)
            answers[f.name] = _answer(q, settings, f, "typical", rng)
    elif kind == "typed_number" and single:
        name = rng.choice(single)
        codes = q.choices_of(q.field(name)).codes()
        answers[name] = str(codes.index(str(answers[name])) + 1)
    return AnswerDocument(respondent, answers, document.source)
