"""The review workflow step by step: the path a reviewer and an approver take."""

from __future__ import annotations

import pytest

from tenken.linkage.review import workflow
from tenken.linkage.review.model import Action, Actor, CaseState, NumberSource, Role, Status
from tests.review.cases import KINDS, PARTIAL, RIGHT, RIGHT_TOO

REVIEWER = Actor("suzuki", frozenset({Role.REVIEWER}))
APPROVER = Actor("tanaka", frozenset({Role.APPROVER}))
BOTH = Actor("sato", frozenset({Role.REVIEWER, Role.APPROVER}))


def test_decide_approve_export() -> None:
    state = workflow.decide(
        CaseState(), KINDS["unique"], REVIEWER, Action.MISLINK, "同姓同名の別人"
    )
    assert state.status == Status.DECIDED
    assert state.decision and state.decision.number == RIGHT
    assert state.decision.number_source == NumberSource.FULL_MATCH
    state = workflow.approve(state, APPROVER)
    state = workflow.export(state, "tanaka")
    assert state.status == Status.EXPORTED
    assert [e.kind for e in state.history] == ["decided", "approved", "exported"]


def test_return_then_fix_then_approve() -> None:
    case = KINDS["ambiguous"]
    state = workflow.decide(CaseState(), case, BOTH, Action.MISLINK, "本人確認済み", RIGHT)
    state = workflow.return_case(state, APPROVER, "番号の根拠を記載してください")
    assert state.status == Status.OPEN and state.returned_reason
    state = workflow.decide(
        state, case, REVIEWER, Action.MISLINK, "転居前の住所で本人と確認", RIGHT_TOO
    )
    assert state.decision and state.decision.number_source == NumberSource.TYPED_CHECKED
    with pytest.raises(workflow.WorkflowError, match="自分が判断"):
        workflow.approve(state, Actor("suzuki", frozenset(Role)))
    assert workflow.approve(state, BOTH).status == Status.APPROVED


def test_the_decider_cannot_approve_even_holding_both_roles() -> None:
    state = workflow.decide(CaseState(), KINDS["unique"], BOTH, Action.UNLINK, "本人不明")
    with pytest.raises(workflow.WorkflowError, match="自分が判断"):
        workflow.approve(state, BOTH)
    with pytest.raises(workflow.WorkflowError, match="自分が判断"):
        workflow.return_case(state, BOTH, "やり直し")


@pytest.mark.parametrize("reason", ["", "   "])
def test_reason_is_required(reason: str) -> None:
    with pytest.raises(workflow.WorkflowError, match="理由"):
        workflow.decide(CaseState(), KINDS["unique"], REVIEWER, Action.UNLINK, reason)
    state = workflow.decide(CaseState(), KINDS["unique"], REVIEWER, Action.UNLINK, "別人")
    with pytest.raises(workflow.WorkflowError, match="理由"):
        workflow.return_case(state, APPROVER, reason)


def test_roles_are_required() -> None:
    with pytest.raises(workflow.WorkflowError, match="点検担当者"):
        workflow.decide(CaseState(), KINDS["unique"], APPROVER, Action.UNLINK, "別人")
    state = workflow.decide(CaseState(), KINDS["unique"], REVIEWER, Action.UNLINK, "別人")
    with pytest.raises(workflow.WorkflowError, match="承認者"):
        workflow.approve(state, Actor("auditor", frozenset({Role.AUDITOR})))


def test_partial_match_never_links() -> None:
    with pytest.raises(workflow.WorkflowError, match="部分一致"):
        workflow.decide(CaseState(), KINDS["unique"], REVIEWER, Action.MISLINK, "x", PARTIAL)
    with pytest.raises(workflow.WorkflowError, match="一意"):
        workflow.decide(CaseState(), KINDS["unlinked_partial"], REVIEWER, Action.LINK, "x")


def test_hold_is_not_approvable_and_can_be_decided_later() -> None:
    state = workflow.decide(CaseState(), KINDS["unique"], REVIEWER, Action.HOLD, "照会中")
    assert state.status == Status.HELD
    with pytest.raises(workflow.WorkflowError):
        workflow.approve(state, APPROVER)
    assert (
        workflow.decide(state, KINDS["unique"], REVIEWER, Action.MISLINK, "確認").status
        == Status.DECIDED
    )


def test_export_needs_approval_and_again_for_reexport() -> None:
    state = workflow.decide(CaseState(), KINDS["unique"], REVIEWER, Action.UNLINK, "別人")
    with pytest.raises(workflow.WorkflowError, match="承認済み"):
        workflow.export(state, "x")
    state = workflow.export(workflow.approve(state, APPROVER), "x")
    with pytest.raises(workflow.WorkflowError):
        workflow.export(state, "x")
    assert workflow.export(state, "x", again=True).status == Status.EXPORTED


def test_actions_depend_on_the_case() -> None:
    assert workflow.allowed_actions(KINDS["unlinked_match"]) == (Action.LINK, Action.HOLD)
    assert Action.CORRECT in workflow.allowed_actions(KINDS["unique"])


def test_bulk_records_each_case_and_refuses_those_without_a_unique_match() -> None:
    items = [(CaseState(), KINDS[k]) for k in ("unique", "ambiguous", "partial_only")]
    results = workflow.decide_many(items, REVIEWER, Action.MISLINK, "一括: 一意に一致した番号へ")
    assert [r.state is not None for r in results] == [True, False, False]
    assert results[1].error
