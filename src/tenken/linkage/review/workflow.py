"""The review workflow: open → decided → approved (or returned → open again) → exported.

Rules, all enforced here (the store adds a database constraint, the site a view check):

* a reason is always required, for a decision and for a return;
* only a 点検担当者 decides, only a 承認者 approves or returns;
* the approver (and the one who returns) is never the person who decided;
* a number is set only through :func:`tenken.linkage.review.numbers.check_number`;
* only an approved case is exported (``again`` re-exports an exported one).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from tenken.linkage.review.model import (
    NUMBER_ACTIONS,
    Action,
    Actor,
    CaseFile,
    CaseState,
    Decision,
    Event,
    Role,
    Status,
)
from tenken.linkage.review.numbers import NumberRefused, check_number
from tenken.normalize.mynumber import is_valid

MAX_REASON = 2000


class WorkflowError(ValueError):
    """The step is not allowed; the message says why, in Japanese."""


def allowed_actions(case: CaseFile) -> tuple[Action, ...]:
    """Decisions that make sense for the case: a new link for an unlinked record; keep, fix or
    remove for a linked one (keeping needs a valid number that the registry knows)."""
    if case.is_unlinked:
        return (Action.LINK, Action.HOLD)
    keep = (Action.CORRECT,) if is_valid(case.claimed_number) and case.claimed_states else ()
    return (*keep, Action.MISLINK, Action.UNLINK, Action.HOLD)


def _reason(text: str, what: str) -> str:
    reason = (text or "").strip()
    if not reason:
        raise WorkflowError(f"{what}の理由を入力してください")
    if len(reason) > MAX_REASON:
        raise WorkflowError(f"{what}の理由は{MAX_REASON}文字以内にしてください")
    return reason


def _require(actor: Actor, role: Role, what: str) -> None:
    if role not in actor.roles:
        label = {Role.REVIEWER: "点検担当者", Role.APPROVER: "承認者"}[role]
        raise WorkflowError(f"{what}には{label}の権限が必要です")


def decide(
    state: CaseState, case: CaseFile, actor: Actor, action: Action, reason: str, number: str = ""
) -> CaseState:
    """Record a reviewer's decision (保留 keeps the case open for a later decision)."""
    _require(actor, Role.REVIEWER, "判断")
    if state.status not in (Status.OPEN, Status.HELD):
        raise WorkflowError("この事案はすでに判断済みです（差し戻されると判断し直せます）")
    if action not in allowed_actions(case):
        raise WorkflowError("この事案には選べない判断です")
    text = _reason(reason, "判断")
    decision = Decision(action, text, actor.id)
    if action in NUMBER_ACTIONS:
        try:
            checked = check_number(case, number)
        except NumberRefused as error:
            raise WorkflowError(str(error)) from error
        decision = replace(decision, number=checked.number, number_source=checked.source)
    elif number:
        raise WorkflowError("番号を設定するのは「誤紐付け」と「紐付け」のときだけです")
    status = Status.HELD if action == Action.HOLD else Status.DECIDED
    event = Event("decided", actor.id, text, action.value)
    return CaseState(status, decision, history=(*state.history, event))


def _check_reviewer_of_decision(state: CaseState, actor: Actor, what: str) -> Decision:
    _require(actor, Role.APPROVER, what)
    if state.status != Status.DECIDED or state.decision is None:
        raise WorkflowError(f"{what}できるのは判断済み（承認待ち）の事案だけです")
    if state.decision.decided_by == actor.id:
        raise WorkflowError(f"自分が判断した事案は{what}できません（別の承認者が確認します）")
    return state.decision


def approve(state: CaseState, actor: Actor) -> CaseState:
    """A second person approves the decision."""
    _check_reviewer_of_decision(state, actor, "承認")
    event = Event("approved", actor.id)
    return replace(state, status=Status.APPROVED, approved_by=actor.id,
                   history=(*state.history, event))  # fmt: skip


def return_case(state: CaseState, actor: Actor, reason: str) -> CaseState:
    """The approver sends the decision back with a reason; the case is open again."""
    _check_reviewer_of_decision(state, actor, "差し戻し")
    text = _reason(reason, "差し戻し")
    event = Event("returned", actor.id, text)
    return CaseState(Status.OPEN, None, returned_reason=text, history=(*state.history, event))


def export(state: CaseState, actor_id: str, *, again: bool = False) -> CaseState:
    """Mark an approved case as exported (``again``: an exported one may be exported again)."""
    allowed = (Status.APPROVED, Status.EXPORTED) if again else (Status.APPROVED,)
    if state.status not in allowed:
        raise WorkflowError("出力できるのは承認済みの事案だけです")
    return replace(state, status=Status.EXPORTED,
                   history=(*state.history, Event("exported", actor_id)))  # fmt: skip


@dataclass(frozen=True)
class BulkResult:
    """Per case of a bulk decision: the new state, or why it was refused."""

    rid: str
    state: CaseState | None
    error: str = ""


def decide_many(
    items: Sequence[tuple[CaseState, CaseFile]], actor: Actor, action: Action, reason: str
) -> list[BulkResult]:
    """One decision over many cases, applied and recorded per case. A number action uses each
    case's own proposed number (a unique full match); cases without one are refused, not
    guessed."""
    results = []
    for state, case in items:
        try:
            results.append(BulkResult(case.rid, decide(state, case, actor, action, reason)))
        except WorkflowError as error:
            results.append(BulkResult(case.rid, None, str(error)))
    return results
