"""Casework operations: load a case, call the pure workflow, save it with its audit entry.

Each operation runs in one transaction with exactly one audit entry; views and the CLI call
these and never write the models themselves.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from tenken import vault
from tenken.errors import InputError
from tenken.linkage.review import workflow
from tenken.linkage.review.casefile import read_output
from tenken.linkage.review.export import CorrectionRow, render, write_private
from tenken.linkage.review.facts import Facts, State, compare, per_fact
from tenken.linkage.review.model import (
    ACTION_LABELS,
    NUMBER_SOURCE_LABELS,
    Action,
    Actor,
    CaseFile,
    CaseState,
    Decision,
    NumberSource,
    Role,
    Status,
)  # fmt: skip
from tenken.linkage.review.numbers import full_match_numbers, proposed_number
from tenken.normalize.mynumber import mask
from tenken.store.audit import actor_name, record
from tenken.store.casework.models import Case, EvidenceState, Grant, Run


@lru_cache(maxsize=4)
def _vault(path: str) -> vault.Vault:
    return vault.load(Path(path))


def number_vault() -> vault.Vault:
    """The vault of the configured key file (loaded once per path)."""
    return _vault(str(vault.default_path()))


# ---------------------------------------------------------------- roles
def roles_of(user: Any, organisation: str) -> frozenset[Role]:
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    cache: dict[str, frozenset[Role]] = user.__dict__.setdefault("_tenken_case_roles", {})
    if organisation not in cache:
        values = Grant.objects.filter(user=user, organisation=organisation).values_list(
            "role", flat=True
        )
        cache[organisation] = frozenset(Role(v) for v in values)
    return cache[organisation]


def organisations_of(user: Any) -> list[str]:
    """Organisations in which ``user`` holds any casework role."""
    if not getattr(user, "is_authenticated", False):
        return []
    return sorted(set(Grant.objects.filter(user=user).values_list("organisation", flat=True)))


def actor_for(user: Any, organisation: str) -> Actor:
    return Actor(str(user.pk), roles_of(user, organisation))


def grant(granter: Any, user: Any, organisation: str, role: Role) -> Grant:
    """Give ``user`` a role in ``organisation`` (audited); granting twice changes nothing."""
    with transaction.atomic():
        made, created = Grant.objects.get_or_create(
            user=user, organisation=organisation, role=role.value,
            defaults={"granted_by": actor_name(granter)},
        )  # fmt: skip
        if created:
            record(granter, "grant.add", made, {"user": user.get_username(), "role": role.value},
                   organisation)  # fmt: skip
        user.__dict__.pop("_tenken_case_roles", None)
    return made


def revoke(granter: Any, user: Any, organisation: str, role: Role) -> None:
    with transaction.atomic():
        deleted, _ = Grant.objects.filter(user=user, organisation=organisation,
                                          role=role.value).delete()  # fmt: skip
        if deleted:
            record(granter, "grant.remove", ("grant", f"{user.pk}:{role.value}"),
                   {"user": user.get_username(), "role": role.value}, organisation)  # fmt: skip
        user.__dict__.pop("_tenken_case_roles", None)


# ---------------------------------------------------------------- import
@dataclass(frozen=True)
class Imported:
    run: Run
    created: bool


def import_output(folder: Path, organisation: str, title: str | None, actor: Any) -> Imported:
    """Import a verified inspect output as a run: all of it or nothing; the same folder twice
    returns the existing run unchanged."""
    organisation = organisation.strip()
    if not organisation:
        raise InputError("組織名を指定してください", hint="--org 14神奈川県相模原市")
    output = read_output(folder)
    existing = Run.objects.filter(fingerprint=output.fingerprint).first()
    if existing is not None:
        if existing.organisation != organisation:
            raise InputError(
                f"この点検結果はすでに「{existing.organisation}」の点検として取り込まれています"
            )
        return Imported(existing, False)
    secret = number_vault()
    with transaction.atomic():
        run = Run.objects.create(
            organisation=organisation, title=title or f"{folder.name} の点検",
            fingerprint=output.fingerprint, source=folder.name[:500], summary=output.summary,
            record_rows=int(output.summary.get("record_rows", 0)), imported_by=actor_name(actor),
        )  # fmt: skip
        cases = [_case_row(run, i, c, output.candidates.get(c.rid, ""), secret)
                 for i, c in enumerate(output.cases)]  # fmt: skip
        Case.objects.bulk_create(cases, batch_size=2000)
        states = [s for made, c in zip(cases, output.cases, strict=True)
                  for s in _state_rows(made, c, secret)]  # fmt: skip
        EvidenceState.objects.bulk_create(states, batch_size=5000)
        record(actor, "run.import", run, {"cases": len(cases), "fingerprint": output.fingerprint,
               "source": folder.name}, organisation)  # fmt: skip
    return Imported(run, True)


def _case_row(run: Run, position: int, case: CaseFile, candidates: str, secret: vault.Vault
              ) -> Case:  # fmt: skip
    facts = {k: v.value for k, v in per_fact(case.record, case.claimed_states).items()}
    proposed = proposed_number(case)
    r = case.record
    return Case(
        run=run, position=position, rid=case.rid[:200], verdict=case.verdict,
        reasons=";".join(case.reasons), candidates=candidates, name=r.name[:200],
        kana=r.kana[:200], birth=r.birth[:40], sex=r.sex[:20], address=r.address[:500],
        linked_on=case.linked_on[:40], claimed_enc=secret.encrypt(case.claimed_number),
        claimed_mask=mask(case.claimed_number), facts=facts,
        proposed_enc=secret.encrypt(proposed), proposed_mask=mask(proposed),
        full_matches=len(full_match_numbers(case)),
    )  # fmt: skip


def _state_rows(made: Case, case: CaseFile, secret: vault.Vault) -> Iterable[EvidenceState]:
    groups = (("claimed", case.claimed_states), ("other", case.others))
    for role, states in groups:
        for i, s in enumerate(states):
            f = s.facts
            agreement = {k: v.value for k, v in compare(case.record, f).items()}
            yield EvidenceState(
                case=made, role=role, position=i, number_enc=secret.encrypt(s.number),
                number_mask=mask(s.number), number_index=secret.index(s.number), name=f.name,
                kana=f.kana, birth=f.birth, sex=f.sex, address=f.address,
                valid_from=s.valid_from, valid_to=s.valid_to, agreement=agreement,
            )  # fmt: skip


# ---------------------------------------------------------------- one case
def case_file(case: Case) -> CaseFile:
    """The domain's view of a stored case (full numbers decrypted in memory only)."""
    secret = number_vault()
    record_facts = Facts(case.name, case.birth, case.sex, case.address, case.kana)
    claimed, others = [], []
    for s in case.states.all():
        state = State(
            secret.decrypt(s.number_enc),
            Facts(s.name, s.birth, s.sex, s.address, s.kana),
            s.valid_from,
            s.valid_to,
        )
        (claimed if s.role == "claimed" else others).append(state)
    return CaseFile(case.rid, case.verdict, tuple(c for c in case.reasons.split(";") if c),
                    record_facts, case.linked_on, secret.decrypt(case.claimed_enc),
                    tuple(claimed), tuple(others))  # fmt: skip


def state_of(case: Case) -> CaseState:
    decision = None
    if case.action:
        decision = Decision(
            Action(case.action), case.reason, str(case.decided_by_id),
            number=number_vault().decrypt(case.number_enc) if case.number_enc else "",
            number_source=NumberSource(case.number_source) if case.number_source else None,
        )  # fmt: skip
    return CaseState(Status(case.status), decision, str(case.approved_by_id or ""),
                     case.returned_reason)  # fmt: skip


def _locked(case_id: int) -> Case:
    return Case.objects.select_for_update().select_related("run").get(pk=case_id)


def _apply_decision(case: Case, new: CaseState, user: Any) -> None:
    d = new.decision
    assert d is not None
    secret = number_vault()
    case.status, case.action, case.reason = new.status.value, d.action.value, d.reason
    case.number_enc = secret.encrypt(d.number) if d.number else ""
    case.number_mask = mask(d.number)
    case.number_source = d.number_source.value if d.number_source else ""
    case.decided_by, case.decided_at = user, timezone.now()
    case.approved_by, case.approved_at = None, None


def decide(case_id: int, user: Any, action: Action, reason: str, number: str = "") -> Case:
    """A reviewer's decision (WorkflowError when it is not allowed)."""
    with transaction.atomic():
        case = _locked(case_id)
        actor = actor_for(user, case.run.organisation)
        new = workflow.decide(state_of(case), case_file(case), actor, action, reason, number)
        _apply_decision(case, new, user)
        case.save()
        record(user, "case.decide", case, _decision_details(case), case.run.organisation)
    return case


def _decision_details(case: Case) -> dict[str, Any]:
    return {"run": case.run_id, "rid": case.rid, "action": case.action, "reason": case.reason,
            "number": case.number_mask, "number_source": case.number_source}  # fmt: skip


def decide_many(case_ids: Iterable[int], user: Any, action: Action, reason: str
                ) -> tuple[int, list[tuple[str, str]]]:  # fmt: skip
    """A bulk decision, applied and audited per case; returns (decided, [(rid, refusal)])."""
    done, refused = 0, []
    for case_id in case_ids:
        try:
            decide(case_id, user, action, reason)
            done += 1
        except workflow.WorkflowError as error:
            refused.append((Case.objects.get(pk=case_id).rid, str(error)))
    return done, refused


def approve(case_id: int, user: Any) -> Case:
    with transaction.atomic():
        case = _locked(case_id)
        workflow.approve(state_of(case), actor_for(user, case.run.organisation))
        case.status, case.approved_by, case.approved_at = (
            Status.APPROVED.value,
            user,
            timezone.now(),
        )
        case.save()
        record(user, "case.approve", case, {"run": case.run_id, "rid": case.rid,
               "action": case.action}, case.run.organisation)  # fmt: skip
    return case


def return_case(case_id: int, user: Any, reason: str) -> Case:
    with transaction.atomic():
        case = _locked(case_id)
        new = workflow.return_case(state_of(case), actor_for(user, case.run.organisation), reason)
        previous = {"action": case.action, "reason": case.reason, "number": case.number_mask}
        case.status, case.returned_reason = new.status.value, new.returned_reason
        case.action = case.reason = case.number_enc = case.number_mask = case.number_source = ""
        case.decided_by = case.decided_at = None
        case.save()
        record(user, "case.return", case, {"run": case.run_id, "rid": case.rid,
               "reason": new.returned_reason, "returned_decision": previous},
               case.run.organisation)  # fmt: skip
    return case


REVEALABLE = ("claimed", "proposed", "decision")


def reveal(case: Case, user: Any, what: str, reason: str) -> str:
    """A full number, for a reviewer or approver who typed why (audited)."""
    roles = roles_of(user, case.run.organisation)
    if not roles & {Role.REVIEWER, Role.APPROVER}:
        raise workflow.WorkflowError("番号の表示には点検担当者か承認者の権限が必要です")
    text = (reason or "").strip()
    if not text:
        raise workflow.WorkflowError("番号を表示する理由を入力してください")
    token = {"claimed": case.claimed_enc, "proposed": case.proposed_enc,
             "decision": case.number_enc}.get(what)  # fmt: skip
    if what.startswith("state:"):
        state = case.states.filter(pk=int(what[6:]) if what[6:].isdigit() else 0).first()
        token = state.number_enc if state else None
    if not token:
        raise workflow.WorkflowError("表示できる番号がありません")
    number = number_vault().decrypt(token)
    record(user, "case.reveal", case, {"run": case.run_id, "rid": case.rid, "what": what,
           "reason": text[:500], "number": mask(number)}, case.run.organisation)  # fmt: skip
    return number


def record_view(case: Case, user: Any) -> None:
    """A view of a case's personal data is an audit entry of its own."""
    record(user, "case.view", case, {"run": case.run_id, "rid": case.rid}, case.run.organisation)


# ---------------------------------------------------------------- export
def _row(case: Case, users: dict[int, str]) -> CorrectionRow:
    action = Action(case.action)
    number = number_vault().decrypt(case.number_enc) if case.number_enc else ""
    when = lambda t: timezone.localtime(t).isoformat(timespec="seconds") if t else ""
    source = NUMBER_SOURCE_LABELS[NumberSource(case.number_source)] if case.number_source else ""
    return CorrectionRow(
        case.rid, ACTION_LABELS[action], action.value, number, source,
        users.get(case.decided_by_id or 0, ""), when(case.decided_at),
        users.get(case.approved_by_id or 0, ""), when(case.approved_at),
    )  # fmt: skip


@dataclass(frozen=True)
class Exported:
    count: int
    sha256: str
    data: bytes


def export_corrections(run: Run, user: Any, fmt: str = "csv", *, encoding: str = "utf-8",
                       again: bool = False, reason: str = "", name: str = "") -> Exported:  # fmt: skip
    """The corrections of every approved, not yet exported case (``again``: exported ones
    too), marked exported and audited. They hold full numbers: a reason is required. Call
    inside a transaction when the file is written afterwards (:func:`export_run`)."""
    from django.contrib.auth import get_user_model

    text = (reason or "").strip()
    if not text:
        raise InputError("訂正一覧には個人番号が含まれます。出力する理由を入力してください",
                         hint="--reason 理由")  # fmt: skip
    statuses = [Status.APPROVED.value] + ([Status.EXPORTED.value] if again else [])
    with transaction.atomic():
        cases = list(run.cases.select_for_update().filter(status__in=statuses).order_by("position"))
        ids = {c.decided_by_id for c in cases} | {c.approved_by_id for c in cases}
        users = {
            u.pk: u.get_username()
            for u in get_user_model().objects.filter(pk__in=[i for i in ids if i])
        }
        rows, now = [], timezone.now()
        for case in cases:
            workflow.export(state_of(case), actor_name(user), again=again)
            rows.append(_row(case, users))
            case.status, case.exported_at = Status.EXPORTED.value, now
        data = render(rows, fmt, encoding)
        Case.objects.bulk_update(cases, ["status", "exported_at"], batch_size=2000)
        digest = hashlib.sha256(data).hexdigest()
        record(user, "run.export", run, {"cases": len(rows), "format": fmt, "again": again,
               "file": name, "sha256": digest, "reason": text[:500]}, run.organisation)  # fmt: skip
    return Exported(len(rows), digest, data)


def export_run(run: Run, user: Any, out: Path, fmt: str = "csv", *, encoding: str = "utf-8",
               again: bool = False, reason: str = "") -> Exported:  # fmt: skip
    """:func:`export_corrections` into ``out`` (mode 0600); a failed write rolls back."""
    with transaction.atomic():
        result = export_corrections(run, user, fmt, encoding=encoding, again=again,
                                    reason=reason, name=out.name)  # fmt: skip
        write_private(out, result.data)
    return result


# ---------------------------------------------------------------- counts
def progress(run: Run) -> dict[str, int]:
    """Cases per workflow state (every state listed)."""
    from django.db.models import Count

    found = dict(run.cases.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    return {s.value: int(found.get(s.value, 0)) for s in Status}
