"""One consolidated answer from a prefecture and the municipalities it has delegated work to.

The seed: 「貴都道府県が条例等により一部の事務を管内市区町村に委任している場合には、本調査票には、
委任先の市区町村の実態を聴取のうえ、貴都道府県において回答してください」. The prefecture answers
once, for itself and them. tenken proposes each item's answer and the prefecture may change it
(with a reason); every item keeps where its answer came from (provenance).

The proposal, item by item in sheet order:

* an item whose ``relevant`` is false for the consolidated answer so far is skipped (a gate
  item's proposal decides which later items apply, exactly as in one organisation's answer);
* the candidates are the answers each organisation gave to the item *where it applied to that
  organisation* (a stray answer to a skipped item is no candidate);
* an item with a caution order (the pack's ``caution`` part) takes the least safe candidate
  (「より慎重な選択肢」); ties go to the prefecture, then to the delegates in their order;
* an item without one takes the prefecture's own answer, and without that the prefecture must
  choose (``needs_choice``);
* a follow-up (``followup_of``) comes from the organisation its item's answer came from.

Pure domain code: no Django, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from tenken.survey.document import AnswerDocument, AnswerValue
from tenken.survey.engine import Evaluation, evaluate
from tenken.survey.model import Field, Questionnaire

# How an item's consolidated answer was arrived at (stored with the provenance, shown in Japanese).
BY_CAUTION = "caution"
BY_OWN = "own"
BY_FOLLOWUP = "followup"
BY_CHANGE = "changed"
RULE_LABELS = {
    BY_CAUTION: "最も慎重な回答（慎重さの順）",
    BY_OWN: "都道府県の回答",
    BY_FOLLOWUP: "項目の回答と同じ団体",
    BY_CHANGE: "都道府県が変更",
}


@dataclass(frozen=True)
class CautionOrder:
    """Per select_one item, its choice codes from the least safe to the safest (pack data)."""

    items: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    quote: str = ""

    def rank(self, item: str, code: str) -> int | None:
        """0 for the least safe choice; None when the item has no order (or the code is unknown)."""
        order = self.items.get(item)
        if order is None or code not in order:
            return None
        return order.index(code)


@dataclass(frozen=True)
class Source:
    """One organisation's answer: the prefecture's own or a delegated municipality's."""

    org_name: str
    document: AnswerDocument


@dataclass(frozen=True)
class Change:
    """The prefecture's choice for an item instead of the proposal, and why."""

    value: AnswerValue
    reason: str


@dataclass(frozen=True)
class ItemResult:
    """One item of the consolidated answer: the value, whose answer it is, and how it was chosen.

    ``candidates`` are (organisation, answer) of everyone the item applied to who answered it.
    ``source`` is the organisation whose answer the value is ("" when nobody gave it).
    """

    item: str
    value: AnswerValue
    source: str
    rule: str
    proposed: AnswerValue
    proposed_source: str
    candidates: tuple[tuple[str, AnswerValue], ...]
    reason: str = ""

    @property
    def needs_choice(self) -> bool:
        return self.value in ("", [])

    @property
    def differs(self) -> bool:
        """The organisations did not all answer alike."""
        return len({_key(v) for _org, v in self.candidates}) > 1

    def to_json(self) -> dict[str, object]:
        """The provenance kept with the submitted answer (what the ministry sees)."""
        data: dict[str, object] = {
            "value": self.value,
            "source": self.source,
            "rule": self.rule,
            "proposed": self.proposed,
            "proposed_source": self.proposed_source,
            "candidates": [[org, v] for org, v in self.candidates],
        }
        if self.reason:
            data["reason"] = self.reason
        return data


@dataclass(frozen=True)
class Consolidated:
    """The consolidated answer document and the provenance of each item that applies."""

    document: AnswerDocument
    items: tuple[ItemResult, ...]
    evaluation: Evaluation

    def item(self, name: str) -> ItemResult | None:
        return next((i for i in self.items if i.item == name), None)

    def provenance(self) -> dict[str, dict[str, object]]:
        return {i.item: i.to_json() for i in self.items}


def _key(value: AnswerValue) -> tuple[str, ...]:
    return tuple(sorted(value)) if isinstance(value, list) else (value,)


def _answered(q: Questionnaire, sources: Sequence[Source]) -> list[tuple[str, Evaluation]]:
    return [(s.org_name, evaluate(q, s.document)) for s in sources]


def _candidates(
    name: str, evaluations: Sequence[tuple[str, Evaluation]]
) -> tuple[tuple[str, AnswerValue], ...]:
    found = []
    for org, evaluation in evaluations:
        status = evaluation.statuses[name]
        if status.applies and status.state == "answered":
            found.append((org, status.value))
    return tuple(found)


def _propose(
    f: Field,
    candidates: Sequence[tuple[str, AnswerValue]],
    own: str,
    caution: CautionOrder,
    parent_source: str | None,
) -> tuple[AnswerValue, str, str]:
    """(value, source, rule) before any change by the prefecture."""
    by_org = dict(candidates)
    if parent_source is not None:  # a follow-up travels with its item's answer
        if parent_source in by_org:
            return by_org[parent_source], parent_source, BY_FOLLOWUP
        return "", "", BY_FOLLOWUP
    ranked = [
        (rank, i, org, value)
        for i, (org, value) in enumerate(candidates)
        if isinstance(value, str) and (rank := caution.rank(f.name, value)) is not None
    ]
    if ranked:
        _rank, _i, org, value = min(ranked)
        return value, org, BY_CAUTION
    if own in by_org:
        return by_org[own], own, BY_OWN
    return ([] if f.kind == "select_multiple" else ""), "", BY_OWN


def consolidate(
    q: Questionnaire,
    caution: CautionOrder,
    own: Source,
    delegates: Sequence[Source],
    changes: Mapping[str, Change] | None = None,
    attached: Sequence[str] | None = None,
) -> Consolidated:
    """The consolidated answer of ``own`` (the prefecture) and its ``delegates``.

    The respondent block is the prefecture's own. ``changes`` are the prefecture's choices
    instead of the proposal; a change to a gate item changes which later items apply.
    ``attached`` are the prefecture's attachments, as for :func:`evaluate`.
    """
    changes = changes or {}
    sources = [own, *delegates]
    evaluations = _answered(q, sources)
    answers: dict[str, AnswerValue] = {}
    results: dict[str, ItemResult] = {}
    respondent = dict(own.document.respondent)
    for f in q.items:
        so_far = evaluate(q, AnswerDocument(respondent, dict(answers)))
        if not so_far.statuses[f.name].applies:
            continue
        candidates = _candidates(f.name, evaluations)
        parent = results.get(f.followup_of) if f.followup_of else None
        parent_source = (parent.source or own.org_name) if parent is not None else None
        proposed, proposed_source, rule = _propose(
            f, candidates, own.org_name, caution, parent_source
        )
        value, source, reason = proposed, proposed_source, ""
        change = changes.get(f.name)
        if change is not None and _key(change.value) != _key(proposed):
            value, rule, reason = change.value, BY_CHANGE, change.reason
            source = next((org for org, v in candidates if _key(v) == _key(value)), own.org_name)
        if value not in ("", []):
            answers[f.name] = value
        results[f.name] = ItemResult(
            f.name, value, source, rule, proposed, proposed_source, candidates, reason
        )
    document = AnswerDocument(respondent, answers, source=f"{own.org_name}（委任先を含む統合）")
    return Consolidated(document, tuple(results.values()), evaluate(q, document, attached))


def missing_reasons(consolidated: Consolidated) -> list[str]:
    """Items changed from the proposal without a reason (a change must say why)."""
    return [i.item for i in consolidated.items if i.rule == BY_CHANGE and not i.reason.strip()]


def delegate_problem(prefecture: str, municipality: str) -> str:
    """Why ``municipality`` cannot be a delegate of ``prefecture`` ("" when it can): it must be a
    市区町村 of that prefecture, named as the sheet's 組織名 (e.g. 14神奈川県相模原市)."""
    from tenken.survey.local_governments import lookup_org_name

    found = lookup_org_name(municipality)
    if found is None or found.kind != "市区町村":
        return (
            f"{municipality!r} は市区町村の組織名ではありません"
            "（都道府県コード・都道府県名・市区町村名を空白を入れず、例: 14神奈川県相模原市）"
        )
    own = lookup_org_name(prefecture)
    if own is None or own.kind != "都道府県" or own.prefecture != found.prefecture:
        return f"{municipality} は {prefecture} の管内の市区町村ではありません"
    return ""
