"""Tallies and cross-tabs over many answer documents (pure: no I/O).

Only answers that count are tallied: those :meth:`Evaluation.counted` returns, i.e. fields that
apply (by 組織区分 and the skip rules) and hold a valid value. An answer left in a skipped item,
an empty item and an invalid value never count.

Shares are over the respondents with a counted answer to that item (``answered``); for a
multi-select item each option is counted once per respondent who chose it, so its shares need
not add up to 100 %.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from tenken.survey.document import AnswerDocument, AnswerValue
from tenken.survey.engine import Evaluation, Problem, evaluate
from tenken.survey.model import ORG_KIND_FIELD, ORG_NAME_FIELD, Field, Questionnaire

OVERALL = "全体"
UNKNOWN_KIND = "不明"
KIND_FIELD = ORG_KIND_FIELD


@dataclass(frozen=True)
class Response:
    """One organisation's evaluated answers, with the two facts tallies group by."""

    org_name: str
    kind: str
    document: AnswerDocument
    evaluation: Evaluation
    counted: dict[str, AnswerValue]  # evaluation.counted(), computed once
    seido: str = ""  # the 制度 it answers ("" in a round without a 制度 list)

    def counted_codes(self, item: str) -> list[str]:
        """The counted answer of ``item`` as a list of codes (empty when it does not count)."""
        value = self.counted.get(item)
        if value is None:
            return []
        return list(value) if isinstance(value, list) else [value]

    def applies(self, item: str) -> bool:
        return self.evaluation.statuses[item].applies


@dataclass(frozen=True)
class StoredAnswer:
    """A counted answer read back from the store, with the problems the store kept for it.

    The kept problems include what the document alone cannot tell (``missing_attachment``:
    the files that came with it), so a report built from them says what status and the
    dashboard say.
    """

    document: AnswerDocument
    problems: tuple[dict[str, str], ...]
    seido: str = ""  # the 制度 key the store filed it under


def make_response(questionnaire: Questionnaire, answer: AnswerDocument | StoredAnswer) -> Response:
    """Evaluate the answer and note its 組織名 and 組織区分 (``不明`` when not valid).

    A :class:`StoredAnswer` keeps the store's problems (its evaluation at ingest, attachments
    included) instead of those of the document alone.
    """
    document = answer.document if isinstance(answer, StoredAnswer) else answer
    evaluation = evaluate(questionnaire, document)
    if isinstance(answer, StoredAnswer):
        kept = tuple(Problem.from_json(p) for p in answer.problems)
        evaluation = replace(evaluation, problems=kept)
    counted = evaluation.counted()
    kind = counted.get(KIND_FIELD)
    org_name = document.respondent.get(ORG_NAME_FIELD, "").strip()
    return Response(
        org_name=org_name or document.source,
        kind=kind if isinstance(kind, str) else UNKNOWN_KIND,
        document=document,
        evaluation=evaluation,
        counted=counted,
        seido=answer.seido if isinstance(answer, StoredAnswer) else "",
    )


@dataclass(frozen=True)
class GroupTally:
    """An item's counts within one group (全体, 都道府県, 市区町村, ...)."""

    group: str
    respondents: int  # responses in the group
    applicable: int  # ... to whom the item applies
    answered: int  # ... with a counted answer: the base of shares
    counts: dict[str, int]  # choice code -> respondents who chose it

    @property
    def no_answer(self) -> int:
        """Respondents to whom the item applies but who gave no valid answer."""
        return self.applicable - self.answered

    def share(self, code: str) -> float:
        return self.counts[code] / self.answered if self.answered else 0.0


@dataclass(frozen=True)
class ItemTally:
    """One select item tallied overall and by 組織区分."""

    item: str
    kind: str  # select_one | select_multiple
    text: str
    codes: tuple[str, ...]
    labels: tuple[str, ...]
    groups: dict[str, GroupTally]  # OVERALL first, then 組織区分 values

    @property
    def overall(self) -> GroupTally:
        return self.groups[OVERALL]


def group_names(questionnaire: Questionnaire, responses: Sequence[Response]) -> list[str]:
    """全体, then the 組織区分 choices in list order, then 不明 if any response has no kind."""
    kinds = list(questionnaire.choices_of(questionnaire.field(KIND_FIELD)).codes())
    extra = sorted({r.kind for r in responses} - set(kinds))
    return [OVERALL, *kinds, *extra]


def _tally_group(group: str, f: Field, codes: Sequence[str], members: list[Response]) -> GroupTally:
    counts = dict.fromkeys(codes, 0)
    applicable = answered = 0
    for response in members:
        if not response.applies(f.name):
            continue
        applicable += 1
        chosen = response.counted_codes(f.name)
        if not chosen:
            continue
        answered += 1
        for code in set(chosen):
            counts[code] += 1
    return GroupTally(group, len(members), applicable, answered, counts)


def tally_item(questionnaire: Questionnaire, item: str, responses: Sequence[Response]) -> ItemTally:
    """Counts and shares of each choice of ``item``, overall and by 組織区分."""
    f = questionnaire.field(item)
    choices = questionnaire.choices_of(f).choices
    codes = tuple(c.name for c in choices)
    groups: dict[str, GroupTally] = {}
    for group in group_names(questionnaire, responses):
        members = [r for r in responses if group in (OVERALL, r.kind)]
        groups[group] = _tally_group(group, f, codes, members)
    return ItemTally(
        item=f.name,
        kind=f.kind,
        text=f.question or f.label,
        codes=codes,
        labels=tuple(c.label for c in choices),
        groups=groups,
    )


def tally_items(questionnaire: Questionnaire, responses: Sequence[Response]) -> list[ItemTally]:
    """Tallies of every select item of the items section, in sheet order."""
    return [
        tally_item(questionnaire, f.name, responses)
        for f in questionnaire.items
        if f.is_select and not f.is_followup
    ]


@dataclass(frozen=True)
class CrossTab:
    """Respondents by the answer to ``row`` (rows) and to ``col`` (columns).

    A respondent counts in a row when ``row`` counts for them; within that row, in each column
    whose option they chose for ``col`` (several for a multi-select), or in ``col_missing`` when
    ``col`` does not count for them (skipped, empty or invalid).
    """

    row: str
    col: str
    row_codes: tuple[str, ...]
    col_codes: tuple[str, ...]
    cells: dict[tuple[str, str], int]
    row_totals: dict[str, int]
    col_missing: dict[str, int]

    def cell(self, row_code: str, col_code: str) -> int:
        return self.cells[(row_code, col_code)]


def crosstab(
    questionnaire: Questionnaire, responses: Iterable[Response], row: str, col: str
) -> CrossTab:
    """Cross-tabulate two select items over the responses (counted answers only)."""
    row_codes = questionnaire.choices_of(questionnaire.field(row)).codes()
    col_codes = questionnaire.choices_of(questionnaire.field(col)).codes()
    cells = {(r, c): 0 for r in row_codes for c in col_codes}
    row_totals = dict.fromkeys(row_codes, 0)
    col_missing = dict.fromkeys(row_codes, 0)
    for response in responses:
        col_chosen = set(response.counted_codes(col))
        for r in set(response.counted_codes(row)):
            row_totals[r] += 1
            if not col_chosen:
                col_missing[r] += 1
            for c in col_chosen:
                cells[(r, c)] += 1
    return CrossTab(row, col, row_codes, col_codes, cells, row_totals, col_missing)
