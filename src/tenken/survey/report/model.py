"""The report's figures, built once from a roster and answer documents (pure: no I/O).

Every renderer (Excel, HTML, JSON, CSV) reads the same :class:`ReportData`, so the figures agree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from tenken.errors import redact
from tenken.survey.aggregate import (
    OVERALL,
    CrossTab,
    ItemTally,
    Response,
    StoredAnswer,
    crosstab,
    group_names,
    make_response,
    tally_item,
)
from tenken.survey.document import AnswerDocument
from tenken.survey.model import Questionnaire
from tenken.survey.pack import Pack, ReportSettings
from tenken.survey.risk import LEVELS, RuleSet, assess, level_rank
from tenken.survey.seido import divided
from tenken.survey.states import state_label, with_problems

NOT_SUBMITTED = "未提出"


class RosterOrg(Protocol):
    """An organisation the survey asks (a :class:`LocalGovernment` is one)."""

    @property
    def org_name(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def prefecture(self) -> str: ...
    @property
    def code(self) -> str: ...


@dataclass(frozen=True)
class ListedOrg:
    """A roster organisation that is not a local government of the bundled list; ``seido``:
    the 制度 it is asked about, in a round with several (one ListedOrg per organisation and 制度).
    """

    org_name: str
    kind: str
    prefecture: str = ""
    code: str = ""
    seido: str = ""


def seido_of(org: object) -> str:
    """The 制度 a roster row is about ("" for a plain roster organisation)."""
    return str(getattr(org, "seido", ""))


@dataclass(frozen=True)
class OrgRow:
    """One organisation of the roster (or an answer from outside it) and how it stands."""

    org_name: str
    kind: str
    prefecture: str
    code: str
    submitted: bool
    in_roster: bool
    missing_info: bool
    unanswered: bool
    problems: int
    level: str  # 高 / 中 / 低, or 未提出
    rules: tuple[str, ...]
    source: str
    seido: str = ""  # the 制度 of the row (a round with several: one row per organisation and 制度)

    @property
    def flagged(self) -> bool:
        return self.missing_info or self.unanswered

    @property
    def state(self) -> str:
        """提出済み / 提出済み（不備あり） / 未着手 (the one rule in survey.states)."""
        problems = with_problems(self.missing_info, self.unanswered, self.problems)
        return state_label(self.submitted, problems)


@dataclass(frozen=True)
class TextList:
    """The answers of one typed-in item (text, number, date), organisation by organisation."""

    item: str
    text: str
    entries: tuple[tuple[str, str], ...]  # (組織名, answer) in 組織名 order


@dataclass(frozen=True)
class ReportData:
    """Everything a report shows."""

    questionnaire: Questionnaire
    rules: RuleSet
    generated_at: str
    orgs: tuple[OrgRow, ...]  # most severe first, then code order
    tallies: tuple[ItemTally, ...]
    crosstabs: tuple[CrossTab, ...]
    groups: tuple[str, ...]
    duplicates: tuple[str, ...]  # 組織名 answered more than once (the last answer is used)
    texts: tuple[TextList, ...] = ()
    by_seido: tuple[tuple[str, ReportData], ...] = ()  # per 制度 (a round with several)

    @property
    def submitted(self) -> tuple[OrgRow, ...]:
        return tuple(o for o in self.orgs if o.submitted)

    @property
    def not_submitted(self) -> tuple[OrgRow, ...]:
        return tuple(o for o in self.orgs if not o.submitted)

    @property
    def flagged(self) -> tuple[OrgRow, ...]:
        return tuple(o for o in self.orgs if o.submitted and (o.flagged or o.problems))

    def level_counts(self) -> dict[str, dict[str, int]]:
        """group → level (高, 中, 低, 未提出) → organisations."""
        result: dict[str, dict[str, int]] = {}
        for group in self.groups:
            members = [o for o in self.orgs if group in (OVERALL, o.kind)]
            counts = Counter(o.level for o in members)
            result[group] = {level: counts[level] for level in (*LEVELS, NOT_SUBMITTED)}
        return result

    def rule_counts(self) -> dict[str, int]:
        counts = Counter(rule for o in self.orgs for rule in o.rules)
        return {r.id: counts[r.id] for r in self.rules.rules}


def build_report(
    questionnaire: Questionnaire,
    rules: RuleSet,
    roster: Sequence[RosterOrg],
    documents: Iterable[AnswerDocument | StoredAnswer],
    generated_at: str,
    settings: ReportSettings = ReportSettings(),  # noqa: B008  (frozen, never mutated)
) -> ReportData:
    """Evaluate, classify and tally ``documents`` against ``roster``.

    Answers read from the store come as :class:`StoredAnswer` (its kept problems count, as in
    status and on the dashboard); a bare document is checked on its own (``--answers``).
    """
    by_unit: dict[tuple[str, str], Response] = {}
    seen: Counter[tuple[str, str]] = Counter()
    for document in documents:
        response = make_response(questionnaire, document)
        unit = (response.org_name, response.seido)
        seen[unit] += 1
        by_unit[unit] = response  # the last answer of an organisation (for a 制度) wins
    responses = list(by_unit.values())
    orgs = [
        _roster_row(questionnaire, rules, lg, by_unit.get((lg.org_name, seido_of(lg))))
        for lg in roster
    ]
    roster_units = {(lg.org_name, seido_of(lg)) for lg in roster}
    orgs += [
        _outside_row(questionnaire, rules, r)
        for r in responses
        if (r.org_name, r.seido) not in roster_units
    ]
    orgs.sort(key=lambda o: (level_rank(o.level), not o.in_roster, o.code, o.org_name))
    return ReportData(
        questionnaire=questionnaire,
        rules=rules,
        generated_at=generated_at,
        orgs=tuple(orgs),
        tallies=tuple(
            tally_item(questionnaire, name, responses) for name in settings.charted(questionnaire)
        ),
        crosstabs=tuple(crosstab(questionnaire, responses, a, b) for a, b in settings.crosstabs),
        groups=tuple(group_names(questionnaire, responses)),
        duplicates=tuple(sorted({redact(name) for (name, _s), n in seen.items() if n > 1})),
        texts=tuple(_text_list(questionnaire, name, responses) for name in settings.free_text),
    )


def build_pack_report(
    pack: Pack,
    roster: Sequence[RosterOrg],
    documents: Iterable[AnswerDocument | StoredAnswer],
    generated_at: str,
) -> ReportData:
    """:func:`build_report` with the pack's rules and report settings."""
    return build_report(
        pack.questionnaire, pack.rules, roster, documents, generated_at, pack.report
    )


def build_seido_report(
    pack: Pack,
    roster: Sequence[RosterOrg],
    answers: Sequence[AnswerDocument | StoredAnswer],
    generated_at: str,
    seidos: Sequence[str],
) -> ReportData:
    """The report of a round over every (organisation, 制度) it asks, with one report per 制度
    in ``by_seido`` when it covers several: each (organisation, 制度) is one unit, so the
    overall figures are the sum of the 制度's (the roster rows and answers carry their 制度)."""
    overall = build_pack_report(pack, roster, answers, generated_at)
    if not divided(seidos):
        return overall
    parts = tuple(
        (
            s,
            build_pack_report(
                pack,
                [o for o in roster if seido_of(o) == s],
                [a for a in answers if isinstance(a, StoredAnswer) and a.seido == s],
                generated_at,
            ),
        )
        for s in seidos
    )
    return replace(overall, by_seido=parts)


def risk_level(pack: Pack, answer: AnswerDocument | StoredAnswer) -> str:
    """高 / 中 / 低 of one submitted answer, classified as the report classifies it (the
    dashboard's risk filter calls this; organisations without an answer are 未提出)."""
    q = pack.questionnaire
    response = make_response(q, answer)
    return _answered_row(q, pack.rules, response, "", "", "", True).level


def _text_list(q: Questionnaire, item: str, responses: Sequence[Response]) -> TextList:
    f = q.field(item)
    entries = sorted(
        (redact(r.org_name), redact(str(r.counted[item]).strip()))  # a 個人番号 typed in free text
        for r in responses
        if isinstance(r.counted.get(item), str) and str(r.counted[item]).strip()
    )
    return TextList(item, f.question or f.label, tuple(entries))


def _roster_row(
    q: Questionnaire, rules: RuleSet, lg: RosterOrg, response: Response | None
) -> OrgRow:
    if response is None:
        return OrgRow(lg.org_name, lg.kind, lg.prefecture, lg.code, False, True,
                      False, False, 0, NOT_SUBMITTED, (), "", seido_of(lg))  # fmt: skip
    return _answered_row(q, rules, response, lg.kind, lg.prefecture, lg.code, True)


def _outside_row(q: Questionnaire, rules: RuleSet, response: Response) -> OrgRow:
    return _answered_row(q, rules, response, response.kind, "", "", False)


def _answered_row(
    q: Questionnaire,
    rules: RuleSet,
    response: Response,
    kind: str,
    prefecture: str,
    code: str,
    in_roster: bool,
) -> OrgRow:
    evaluation = response.evaluation
    assessment = assess(rules, q, response.document, evaluation)  # the rule risk_level shares
    return OrgRow(
        org_name=redact(response.org_name),  # a user's value: no My Number in any report
        kind=redact(kind),
        prefecture=prefecture,
        code=code,
        submitted=True,
        in_roster=in_roster,
        missing_info=evaluation.missing_info,
        unanswered=evaluation.unanswered,
        problems=len(evaluation.problems),
        level=assessment.level,
        rules=assessment.rule_ids,
        source=redact(response.document.source),
        seido=response.seido,
    )
