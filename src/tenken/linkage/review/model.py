"""What a case is and what can happen to it: frozen values, no behaviour beyond labels."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from tenken.linkage.review.facts import Facts, State

UNLINKED_VERDICTS = ("unlinked_match", "unlinked_ambiguous", "unlinked_none")
"""Verdicts of records that carry no number yet (a link would be new)."""


class Status(StrEnum):
    OPEN = "open"
    HELD = "held"
    DECIDED = "decided"
    APPROVED = "approved"
    EXPORTED = "exported"


STATUS_LABELS = {
    Status.OPEN: "未判断",
    Status.HELD: "保留",
    Status.DECIDED: "判断済み（承認待ち）",
    Status.APPROVED: "承認済み",
    Status.EXPORTED: "出力済み",
}


class Action(StrEnum):
    CORRECT = "correct"  # the existing link is right: nothing to change
    MISLINK = "mislink"  # the link is wrong: set the right number
    UNLINK = "unlink"  # remove the number (no right number can be established)
    LINK = "link"  # an unlinked record: link it to the number found
    HOLD = "hold"  # not decided yet; needs more inquiry


ACTION_LABELS = {
    Action.CORRECT: "正しい紐付け",
    Action.MISLINK: "誤紐付け（正しい番号に修正）",
    Action.UNLINK: "紐付け解除",
    Action.LINK: "紐付け（一致した番号で）",
    Action.HOLD: "保留",
}

NUMBER_ACTIONS = (Action.MISLINK, Action.LINK)
"""Actions that set a number: the number must pass :mod:`tenken.linkage.review.numbers`."""


class Role(StrEnum):
    REVIEWER = "reviewer"
    APPROVER = "approver"
    AUDITOR = "auditor"
    ORG_ADMIN = "org_admin"


ROLE_LABELS = {
    Role.REVIEWER: "点検担当者",
    Role.APPROVER: "承認者",
    Role.AUDITOR: "監査",
    Role.ORG_ADMIN: "組織管理者",
}


class NumberSource(StrEnum):
    FULL_MATCH = "full_match"  # the unique person agreeing on all four facts
    TYPED_CHECKED = "typed_checked"  # typed by the reviewer, agrees on all four facts


NUMBER_SOURCE_LABELS = {
    NumberSource.FULL_MATCH: "基本4情報が一意に一致した人の番号",
    NumberSource.TYPED_CHECKED: "入力された番号（住基の基本4情報と一致を確認）",
}


@dataclass(frozen=True)
class Actor:
    """Who acts, with the roles they hold in the case's organisation."""

    id: str
    roles: frozenset[Role] = frozenset()


@dataclass(frozen=True)
class CaseFile:
    """The evidence of one case: the record, its claimed number's states, other persons."""

    rid: str
    verdict: str
    reasons: tuple[str, ...]
    record: Facts
    linked_on: str = ""
    claimed_number: str = ""
    claimed_states: tuple[State, ...] = ()
    others: tuple[State, ...] = ()

    @property
    def is_unlinked(self) -> bool:
        return self.verdict in UNLINKED_VERDICTS


@dataclass(frozen=True)
class Decision:
    action: Action
    reason: str
    decided_by: str
    number: str = ""
    number_source: NumberSource | None = None


@dataclass(frozen=True)
class Event:
    """One step of a case's history (the store also writes it to the audit trail)."""

    kind: str  # decided / approved / returned / exported
    actor: str
    reason: str = ""
    action: str = ""


@dataclass(frozen=True)
class CaseState:
    status: Status = Status.OPEN
    decision: Decision | None = None
    approved_by: str = ""
    returned_reason: str = ""
    history: tuple[Event, ...] = field(default_factory=tuple)
