"""Stateful properties of the review workflow (hypothesis drives random sequences of actions).

Whatever the order of decisions, approvals, returns and exports by users holding any mix of
roles, with any typed numbers:

* no case is ever approved (or exported) by the person who made its current decision;
* no case is exported unless it was approved;
* no decision sets a number that is not a full four-fact match (known by construction of the
  cases, not by the code under test).
"""

from __future__ import annotations

import contextlib

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from tenken.linkage.review import workflow
from tenken.linkage.review.model import Action, Actor, CaseState, Role, Status
from tests.linkage.fixtures import typo
from tests.review.cases import (
    CLAIMED,
    FULL_BY_CONSTRUCTION,
    KINDS,
    PARTIAL,
    RIGHT,
    RIGHT_TOO,
    UNKNOWN,
)  # fmt: skip

ROLES = st.frozensets(st.sampled_from([Role.REVIEWER, Role.APPROVER, Role.AUDITOR]))
ACTORS = st.lists(ROLES, min_size=2, max_size=4).map(
    lambda roles: [Actor(f"user{i}", r) for i, r in enumerate(roles)]
)
NUMBERS = st.sampled_from(["", RIGHT, RIGHT_TOO, PARTIAL, UNKNOWN, CLAIMED, typo(RIGHT), "12345"])
REASONS = st.sampled_from(["", "  ", "住基と照合し本人と確認", "別人のため"])


class Workflow(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.states = {kind: CaseState() for kind in KINDS}
        self.exported_unapproved = False
        self.actors: list[Actor] = []

    @rule(actors=ACTORS)
    def staff(self, actors: list[Actor]) -> None:
        self.actors = actors

    def _actor(self, index: int) -> Actor | None:
        return self.actors[index % len(self.actors)] if self.actors else None

    @rule(kind=st.sampled_from(sorted(KINDS)), who=st.integers(0, 3),
          action=st.sampled_from(list(Action)), reason=REASONS, number=NUMBERS)  # fmt: skip
    def decide(self, kind: str, who: int, action: Action, reason: str, number: str) -> None:
        actor = self._actor(who)
        if actor is None:
            return
        with contextlib.suppress(workflow.WorkflowError):
            self.states[kind] = workflow.decide(
                self.states[kind], KINDS[kind], actor, action, reason, number
            )

    @rule(kind=st.sampled_from(sorted(KINDS)), who=st.integers(0, 3))
    def approve(self, kind: str, who: int) -> None:
        actor = self._actor(who)
        if actor is None:
            return
        with contextlib.suppress(workflow.WorkflowError):
            self.states[kind] = workflow.approve(self.states[kind], actor)

    @rule(kind=st.sampled_from(sorted(KINDS)), who=st.integers(0, 3), reason=REASONS)
    def send_back(self, kind: str, who: int, reason: str) -> None:
        actor = self._actor(who)
        if actor is None:
            return
        with contextlib.suppress(workflow.WorkflowError):
            self.states[kind] = workflow.return_case(self.states[kind], actor, reason)

    @rule(kind=st.sampled_from(sorted(KINDS)), again=st.booleans())
    def export(self, kind: str, again: bool) -> None:
        before = self.states[kind].status
        try:
            self.states[kind] = workflow.export(self.states[kind], "exporter", again=again)
        except workflow.WorkflowError:
            return
        if before not in (Status.APPROVED, Status.EXPORTED):
            self.exported_unapproved = True

    @rule(who=st.integers(0, 3), action=st.sampled_from(list(Action)), reason=REASONS)
    def bulk(self, who: int, action: Action, reason: str) -> None:
        actor = self._actor(who)
        if actor is None:
            return
        kinds = sorted(KINDS)
        items = [(self.states[k], KINDS[k]) for k in kinds]
        for kind, result in zip(kinds, workflow.decide_many(items, actor, action, reason),
                                strict=True):  # fmt: skip
            if result.state is not None:
                self.states[kind] = result.state

    @invariant()
    def approver_never_decided(self) -> None:
        for state in self.states.values():
            if state.status in (Status.APPROVED, Status.EXPORTED):
                assert state.decision is not None
                assert state.approved_by and state.approved_by != state.decision.decided_by

    @invariant()
    def never_exported_unapproved(self) -> None:
        assert not self.exported_unapproved
        for state in self.states.values():
            if state.status == Status.EXPORTED:
                assert any(e.kind == "approved" for e in state.history)

    @invariant()
    def numbers_only_from_full_matches(self) -> None:
        for kind, state in self.states.items():
            if state.decision is not None and state.decision.number:
                assert state.decision.number in FULL_BY_CONSTRUCTION[kind]

    @invariant()
    def every_decision_has_a_reason(self) -> None:
        for state in self.states.values():
            if state.decision is not None:
                assert state.decision.reason.strip()
            for event in state.history:
                if event.kind in ("decided", "returned"):
                    assert event.reason.strip()


Workflow.TestCase.settings = settings(
    max_examples=300, stateful_step_count=40, deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)  # fmt: skip
test_workflow = Workflow.TestCase
