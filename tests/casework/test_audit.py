"""The audit trail: one entry per action; the database refuses UPDATE and DELETE (SQLite and
PostgreSQL); with the triggers dropped, tampering is found by ``tenken audit verify``."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import DatabaseError, connections, transaction
from django.test import Client

from tenken.linkage.review.model import Action
from tenken.store import audit
from tenken.store.audit.models import AuditEntry
from tenken.store.casework import services
from tests.casework.conftest import ORG, PASSWORD, Staff
from tests.store.conftest import Db, store_db  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parents[2]


def _actions() -> list[str]:
    return list(AuditEntry.objects.order_by("seq").values_list("action", flat=True))


def test_each_casework_action_writes_exactly_one_entry(
    staff: Staff, inspect_output: Path, tmp_path: Path
) -> None:
    start = AuditEntry.objects.count()
    run = services.import_output(inspect_output, ORG, None, "cli:test").run
    case = run.cases.get(rid="R05")
    steps = [
        ("run.import", lambda: None),
        ("case.view", lambda: services.record_view(case, staff.reviewer)),
        ("case.reveal", lambda: services.reveal(case, staff.reviewer, "claimed", "照会")),
        ("case.decide", lambda: services.decide(case.pk, staff.reviewer, Action.UNLINK, "別人")),
        ("case.return", lambda: services.return_case(case.pk, staff.approver, "番号を訂正")),
        ("case.decide", lambda: services.decide(case.pk, staff.reviewer, Action.MISLINK, "訂正")),
        ("case.approve", lambda: services.approve(case.pk, staff.approver)),
        ("run.export", lambda: services.export_run(run, staff.approver, tmp_path / "c.csv",
                                                   reason="訂正の取り込み")),
        ("grant.add", lambda: services.grant(staff.org_admin, staff.auditor, ORG,
                                             services.Role.REVIEWER)),
    ]  # fmt: skip
    for i, (action, step) in enumerate(steps, start=1):
        step()
        assert _actions()[start:][-1] == action
        assert AuditEntry.objects.count() == start + i, action
    assert audit.verify().ok


def test_logins_success_and_failure_are_recorded(staff: Staff) -> None:
    client = Client()
    start = AuditEntry.objects.count()
    client.post("/login/", {"username": "reviewer", "password": "wrong-password-123"})
    client.post("/login/", {"username": "reviewer", "password": PASSWORD})
    assert _actions()[start:] == ["login.failure", "login.success"]
    assert AuditEntry.objects.order_by("seq").last().actor == "reviewer"  # type: ignore[union-attr]


def test_details_never_hold_a_full_number(staff: Staff) -> None:
    from tests.linkage.fixtures import number

    entry = audit.record("cli:test", "test.note", None, {"typed": number(3), "n": [number(4)]})
    assert number(3) not in entry.details and number(4) not in entry.details


def _tamper_refused(alias: str) -> None:
    audit.record("cli:test", "test.one", None, {"k": 1}, using=alias)
    audit.record("cli:test", "test.two", None, {"k": 2}, using=alias)
    for sql in ("UPDATE audit_entry SET actor = 'x'", "DELETE FROM audit_entry"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(using=alias):
            with connections[alias].cursor() as cursor:
                cursor.execute(sql)
    assert AuditEntry.objects.using(alias).count() == 2
    assert audit.verify(using=alias).ok


def test_database_refuses_update_and_delete(store_db: Db, django_db_blocker: Any) -> None:  # noqa: F811
    with django_db_blocker.unblock():
        _tamper_refused(store_db.alias)


@pytest.mark.postgres
def test_postgres_refuses_truncate(store_db: Db, django_db_blocker: Any) -> None:  # noqa: F811
    if connections[store_db.alias].vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with django_db_blocker.unblock():
        audit.record("cli:test", "test.one", None, {}, using=store_db.alias)
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(using=store_db.alias),
            connections[store_db.alias].cursor() as cursor,
        ):
            cursor.execute("TRUNCATE audit_entry")


def _drop_triggers(alias: str) -> None:
    with connections[alias].cursor() as cursor:
        if connections[alias].vendor == "sqlite":
            cursor.execute("DROP TRIGGER audit_entry_no_update")
            cursor.execute("DROP TRIGGER audit_entry_no_delete")
        else:
            cursor.execute("DROP TRIGGER audit_entry_no_change ON audit_entry")


TAMPERING = {
    "edited": ["UPDATE audit_entry SET details = '{\"k\":99}' WHERE seq = 3"],
    "deleted": ["DELETE FROM audit_entry WHERE seq = 3"],
    "reordered": ["UPDATE audit_entry SET seq = 100 WHERE seq = 3",
                  "UPDATE audit_entry SET seq = 3 WHERE seq = 4",
                  "UPDATE audit_entry SET seq = 4 WHERE seq = 100"],
    "inserted": ["UPDATE audit_entry SET seq = seq + 100 WHERE seq >= 3",
                 "UPDATE audit_entry SET seq = seq - 99 WHERE seq >= 103",
                 "INSERT INTO audit_entry (seq, at, actor, action, organisation, object_type, object_id,"
                 " details, prev_hash, hash) SELECT 3, at, actor, 'test.forged', '', '', '', '{}', "
                 f"'{'1' * 64}', '{'2' * 64}' FROM audit_entry WHERE seq = 2"],
    "inserted_chained": "forge",
}  # fmt: skip
FIRST_BAD = {"edited": 3, "deleted": 4, "reordered": 3, "inserted": 3, "inserted_chained": 3}


@pytest.mark.parametrize("kind", sorted(TAMPERING))
def test_tampering_is_named_by_verify(store_db: Db, django_db_blocker: Any, kind: str) -> None:  # noqa: F811
    alias = store_db.alias
    with django_db_blocker.unblock():
        for k in range(1, 6):
            audit.record("cli:test", f"test.{k}", None, {"k": k}, using=alias)
        _drop_triggers(alias)
        with connections[alias].cursor() as cursor:
            if kind == "inserted_chained":
                _forge_chained(cursor, alias)
            else:
                for sql in TAMPERING[kind]:
                    cursor.execute(sql)
        result = audit.verify(using=alias)
    assert result.problem is not None
    assert (result.problem.seq, result.problem.kind) == (FIRST_BAD[kind], kind.split("_")[0])


def _forge_chained(cursor: Any, alias: str) -> None:
    """An attacker who knows the hashing: a valid entry chained after entry 2."""
    from tenken import trail
    from tenken.store.audit.models import stamp

    second = AuditEntry.objects.using(alias).get(seq=2)
    fields = {"at": stamp(second.at), "actor": "cli:test", "action": "test.forged",
              "organisation": "", "object_type": "", "object_id": "", "details": {}}  # fmt: skip
    digest = trail.entry_hash(second.hash, fields)
    cursor.execute("UPDATE audit_entry SET seq = seq + 100 WHERE seq >= 3")
    cursor.execute("UPDATE audit_entry SET seq = seq - 99 WHERE seq >= 103")
    cursor.execute("ALTER TABLE audit_entry RENAME TO audit_entry_old")
    cursor.execute("CREATE TABLE audit_entry AS SELECT * FROM audit_entry_old")  # no UNIQUE
    cursor.execute(
        "INSERT INTO audit_entry (id, seq, at, actor, action, organisation, object_type, "
        "object_id, details, prev_hash, hash) SELECT 1000, 3, at, 'cli:test', 'test.forged', '', "
        "'', '', '{}', %s, %s "
        "FROM audit_entry WHERE seq = 2",
        [second.hash, digest],
    )


def _cli(args: list[str], workspace: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TENKEN_WORKSPACE": str(workspace),
           "TENKEN_NUMBER_KEY_FILE": str(workspace / "keys.json")}  # fmt: skip
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run([sys.executable, "-m", "tenken", *args], env=env, text=True,
                          capture_output=True, timeout=300, cwd=ROOT)  # fmt: skip


@pytest.mark.slow
def test_cli_import_verify_and_tampered_file(inspect_output: Path, tmp_path: Path) -> None:
    """The real command line on a SQLite file: import twice, verify, head, export; then the
    triggers are dropped and a row edited with sqlite3: verify exits 1 naming the entry."""
    ws = tmp_path / "ws"
    first = _cli(["review", "import", str(inspect_output), "--org", ORG], ws)
    assert first.returncode == 0, first.stderr
    again = _cli(["review", "import", str(inspect_output), "--org", ORG], ws)
    assert again.returncode == 0 and "変更なし" in again.stdout
    head = _cli(["audit", "head"], ws).stdout.split()[0]
    verified = _cli(["audit", "verify", "--expect", head], ws)
    assert verified.returncode == 0 and "1 件" in verified.stdout, verified.stdout
    out = tmp_path / "trail.csv"
    assert _cli(["audit", "export", "--out", str(out), "--from", "2000-01-01"], ws).returncode == 0
    assert "run.import" in out.read_text(encoding="utf-8-sig")
    db = sqlite3.connect(ws / "tenken.sqlite3")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("UPDATE audit_entry SET actor = 'someone-else'")
    db.execute("DROP TRIGGER audit_entry_no_update")
    db.execute("UPDATE audit_entry SET details = ? WHERE seq = 1", (json.dumps({"cases": 0}),))
    db.commit()
    db.close()
    broken = _cli(["audit", "verify"], ws)
    assert broken.returncode == 1 and "エントリ 1: 改ざん" in broken.stdout


@pytest.mark.slow
def test_cli_refuses_an_edited_folder_with_exit_2(inspect_output: Path, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(inspect_output, copy)
    (copy / "case_evidence.parquet").unlink()
    result = _cli(["review", "import", str(copy), "--org", ORG], tmp_path / "ws")
    assert result.returncode == 2
    assert "case_evidence.parquetがありません" in "".join(result.stderr.split())
    assert "Traceback" not in result.stderr
