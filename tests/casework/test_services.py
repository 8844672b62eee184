"""Runs and cases in the store: import, decide, approve, return, export, reveal."""

from __future__ import annotations

import csv
import shutil
import stat
from pathlib import Path

import pytest
from django.db import IntegrityError, transaction

from tenken.errors import InputError
from tenken.linkage.review.model import Action, Status
from tenken.linkage.review.workflow import WorkflowError
from tenken.store.audit.models import AuditEntry
from tenken.store.casework import services
from tenken.store.casework.models import Case, EvidenceState, Run
from tests.casework.conftest import ORG, Staff
from tests.linkage import fixtures

UNCONFIRMED = [r[0] for r, verdict, _ in fixtures.RECORDS if verdict != "confirmed"]


def _import(output: Path) -> Run:
    return services.import_output(output, ORG, "テスト点検", "cli:test").run


def test_import_makes_one_case_per_unconfirmed_record(staff: Staff, inspect_output: Path) -> None:
    run = _import(inspect_output)
    assert list(run.cases.values_list("rid", flat=True)) == UNCONFIRMED
    homonym = run.cases.get(rid="R05")
    assert homonym.claimed_mask == "**** **** " + fixtures.number(5)[-4:]
    assert homonym.facts["address"] == "differs" and homonym.facts["name"] == "agree"
    assert homonym.full_matches == 1 and homonym.proposed_mask.endswith(fixtures.number(4)[-4:])
    claimed = homonym.states.get(role="claimed")
    assert claimed.valid_from == "2015-10-05" and claimed.agreement["address"] == "differs"
    moved = run.cases.get(rid="R09")
    assert moved.facts["address"] == "history"
    assert (
        run.cases.get(rid="R05").reasons
        == "address_differs;other_person_matches;same_name_birth_elsewhere"
    )


def test_import_is_idempotent_and_audited_once(staff: Staff, inspect_output: Path) -> None:
    before = AuditEntry.objects.count()
    first = services.import_output(inspect_output, ORG, None, "cli:test")
    again = services.import_output(inspect_output, ORG, None, "cli:test")
    assert first.created and not again.created and first.run.pk == again.run.pk
    assert Run.objects.count() == 1 and Case.objects.count() == len(UNCONFIRMED)
    assert AuditEntry.objects.count() == before + 1
    with pytest.raises(InputError, match="すでに"):
        services.import_output(inspect_output, "13東京都", None, "cli:test")


def test_edited_folder_imports_nothing(staff: Staff, inspect_output: Path, tmp_path: Path) -> None:
    copy = tmp_path / "edited"
    shutil.copytree(inspect_output, copy)
    (copy / "verdicts.csv").write_text("edited", encoding="utf-8")
    with pytest.raises(InputError, match="verdicts.csv"):
        services.import_output(copy, ORG, None, "cli:test")
    assert Run.objects.count() == 0 and Case.objects.count() == EvidenceState.objects.count() == 0


def test_full_numbers_are_stored_encrypted(staff: Staff, inspect_output: Path) -> None:
    run = _import(inspect_output)
    case = run.cases.get(rid="R05")
    assert fixtures.number(5) not in case.claimed_enc
    assert services.case_file(case).claimed_number == fixtures.number(5)


def test_decide_approve_export(staff: Staff, inspect_output: Path, tmp_path: Path) -> None:
    run = _import(inspect_output)
    homonym, moved, unlinked = (run.cases.get(rid=r).pk for r in ("R05", "R09", "R10"))
    services.decide(homonym, staff.reviewer, Action.MISLINK, "同姓同名の別人に紐付いていた")
    services.decide(moved, staff.reviewer, Action.CORRECT, "転居前の住所で本人と確認")
    services.decide(unlinked, staff.both, Action.LINK, "基本4情報が一意に一致")
    services.approve(homonym, staff.approver)
    services.approve(moved, staff.both)
    services.approve(unlinked, staff.approver)
    out = tmp_path / "corrections.csv"
    result = services.export_run(run, "cli:test", out, reason="住基と突合して訂正")
    assert result.count == 3
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    with out.open(encoding="utf-8-sig") as handle:
        rows = {r["制度固有番号"]: r for r in csv.DictReader(handle)}
    assert rows["R05"]["設定する個人番号"] == fixtures.number(4)
    assert rows["R05"]["判断者"] == "reviewer" and rows["R05"]["承認者"] == "approver"
    assert rows["R09"]["処理コード"] == "correct" and rows["R09"]["設定する個人番号"] == ""
    assert rows["R10"]["設定する個人番号"] == fixtures.number(11)
    assert set(run.cases.filter(status=Status.EXPORTED).values_list("rid", flat=True)) == {
        "R05", "R09", "R10"}  # fmt: skip
    assert services.export_run(run, "cli:test", out, reason="再出力なし").count == 0
    assert services.export_run(run, "cli:test", out, reason="再出力", again=True).count == 3


def test_export_needs_a_reason_and_cp932_works(staff: Staff, inspect_output: Path,
                                                tmp_path: Path) -> None:  # fmt: skip
    run = _import(inspect_output)
    case = run.cases.get(rid="R14").pk
    services.decide(case, staff.reviewer, Action.UNLINK, "本人を確認できない")
    services.approve(case, staff.approver)
    with pytest.raises(InputError, match="理由"):
        services.export_run(run, "cli:test", tmp_path / "x.csv")
    assert not (tmp_path / "x.csv").exists()
    assert run.cases.get(rid="R14").status == Status.APPROVED
    out = tmp_path / "x.csv"
    services.export_run(run, "cli:test", out, encoding="cp932", reason="訂正")
    assert "紐付け解除" in out.read_bytes().decode("cp932")


def test_approver_cannot_approve_own_decision(staff: Staff, inspect_output: Path) -> None:
    run = _import(inspect_output)
    case = run.cases.get(rid="R14").pk
    services.decide(case, staff.both, Action.UNLINK, "本人を確認できない")
    with pytest.raises(WorkflowError, match="自分が判断"):
        services.approve(case, staff.both)
    assert Case.objects.get(pk=case).status == Status.DECIDED


def test_database_refuses_a_row_naming_the_decider_as_approver(
    staff: Staff, inspect_output: Path
) -> None:
    run = _import(inspect_output)
    case = run.cases.get(rid="R14").pk
    services.decide(case, staff.both, Action.UNLINK, "本人を確認できない")
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case).update(approved_by=staff.both, status=Status.APPROVED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case).update(status=Status.APPROVED)  # approved without approver


def test_return_then_fix_then_approve(staff: Staff, inspect_output: Path) -> None:
    run = _import(inspect_output)
    case = run.cases.get(rid="R05").pk
    services.decide(case, staff.reviewer, Action.UNLINK, "別人")
    services.return_case(case, staff.approver, "一意に一致する人がいます。番号を訂正してください")
    returned = Case.objects.get(pk=case)
    assert returned.status == Status.OPEN and returned.returned_reason and not returned.action
    services.decide(case, staff.reviewer, Action.MISLINK, "一意に一致した人の番号へ訂正")
    assert services.approve(case, staff.approver).status == Status.APPROVED


def test_typed_partial_match_is_refused(staff: Staff, inspect_output: Path) -> None:
    run = _import(inspect_output)
    ambiguous = run.cases.get(rid="R11").pk  # two 吉田 勇 at the same address
    with pytest.raises(WorkflowError, match="一意"):
        services.decide(ambiguous, staff.reviewer, Action.LINK, "x")
    with pytest.raises(WorkflowError, match="抜粋にありません"):
        services.decide(ambiguous, staff.reviewer, Action.LINK, "x", fixtures.number(1))
    decided = services.decide(ambiguous, staff.reviewer, Action.LINK, "本人確認書類で確認",
                              fixtures.number(13))  # fmt: skip
    assert decided.number_source == "typed_checked"


def test_bulk_decision_is_recorded_per_case(staff: Staff, inspect_output: Path) -> None:
    run = _import(inspect_output)
    ids = list(run.cases.filter(verdict="suspected_mislink").values_list("pk", flat=True))
    before = AuditEntry.objects.count()
    done, refused = services.decide_many(ids, staff.reviewer, Action.HOLD, "一括で保留")
    assert done == len(ids) and not refused
    assert AuditEntry.objects.count() == before + len(ids)


def test_reveal_needs_a_reason_and_a_role(staff: Staff, inspect_output: Path) -> None:
    run = _import(inspect_output)
    case = run.cases.get(rid="R05")
    with pytest.raises(WorkflowError, match="理由"):
        services.reveal(case, staff.reviewer, "claimed", " ")
    with pytest.raises(WorkflowError, match="権限"):
        services.reveal(case, staff.auditor, "claimed", "確認")
    with pytest.raises(WorkflowError, match="権限"):
        services.reveal(case, staff.other_reviewer, "claimed", "確認")
    assert services.reveal(case, staff.reviewer, "claimed", "電話照会") == fixtures.number(5)
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry is not None and entry.action == "case.reveal"
    assert fixtures.number(5) not in entry.details


def test_key_rotation_keeps_every_number_readable(staff: Staff, inspect_output: Path) -> None:
    from tenken.store.casework.keys import rotate_all

    run = _import(inspect_output)
    before = run.cases.get(rid="R05").claimed_enc
    assert rotate_all("cli:test") > 0
    after = run.cases.get(rid="R05")
    assert after.claimed_enc != before
    assert services.case_file(after).claimed_number == fixtures.number(5)
