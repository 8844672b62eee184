"""Backup and restore of the store: SQLite online backup while a connection is open, and
pg_dump / pg_restore on PostgreSQL; the restored database holds the same responses."""

from __future__ import annotations

import os
import shutil
import sqlite3
import uuid
from pathlib import Path
from typing import Any

import pytest

from tenken.errors import InputError
from tenken.store.backup import backup, restore
from tenken.store.ingest import ingest
from tenken.store.models import Response
from tenken.survey.model import Questionnaire
from tests.hostile import invoke, refused
from tests.store.conftest import PG_URL, Db, _postgres_reachable, survey_round, write_answer


def _fingerprint(alias: str) -> list[tuple[str, str, bool]]:
    rows = Response.objects.using(alias).order_by("sha256")
    return list(rows.values_list("org_name", "sha256", "is_current"))


def _fill(alias: str, q: Questionnaire, blank: bytes, folder: Path) -> None:
    write_answer(folder, "a.xlsx", q, blank)
    write_answer(folder, "b.xlsx", q, blank, 組織名="13東京都", 組織区分="都道府県")
    survey = survey_round(Db("", alias, {}))
    assert ingest([folder], survey, q, alias, workers=1).count("current") == 2


def test_sqlite_online_backup_and_restore(
    questionnaire: Questionnaire, blank: bytes, tmp_path: Path, django_db_blocker: Any
) -> None:
    from tenken.store.db import setup

    url = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    with django_db_blocker.unblock():
        alias = setup(url)
        _fill(alias, questionnaire, blank, tmp_path / "in")
        before = _fingerprint(alias)
        reader = sqlite3.connect(tmp_path / "live.sqlite3")  # the site keeps a connection open
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM store_response").fetchone()
        result = invoke(["backup", "--db", url, "--out", str(tmp_path / "b.sqlite3")])
        reader.rollback()
        reader.close()
        assert result.exit_code == 0, result.output
        target = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        assert invoke(["restore", str(tmp_path / "b.sqlite3"), "--db", target]).exit_code == 0
        assert _fingerprint(setup(target)) == before


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path: Path) -> None:
    (tmp_path / "x.sqlite3").write_bytes(b"not a database")
    url = f"sqlite:///{tmp_path / 'target.sqlite3'}"
    refused(
        invoke(["restore", str(tmp_path / "x.sqlite3"), "--db", url]), "バックアップではありません"
    )
    assert not (tmp_path / "target.sqlite3").exists()


@pytest.mark.postgres
@pytest.mark.skipif(not shutil.which("pg_dump"), reason="pg_dump is not installed")
def test_postgres_pg_dump_and_pg_restore(
    questionnaire: Questionnaire, blank: bytes, tmp_path: Path, django_db_blocker: Any
) -> None:
    if not _postgres_reachable():
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
    import psycopg

    from tenken.store.db import setup

    names = [f"tenken_backup_{uuid.uuid4().hex[:10]}" for _ in range(2)]
    admin = PG_URL.replace("postgres://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        for name in names:
            conn.execute(f"CREATE DATABASE {name}")
    base = PG_URL.rsplit("/", 1)[0]
    source, target = (f"{base}/{name}" for name in names)
    try:
        with django_db_blocker.unblock():
            alias = setup(source)
            _fill(alias, questionnaire, blank, tmp_path / "in")
            before = _fingerprint(alias)
            dump = backup(source, tmp_path / "store.dump")
            assert dump.stat().st_size > 0
            restore(dump, target)
            assert _fingerprint(setup(target)) == before
    finally:
        from django.db import connections

        for conn in connections.all(initialized_only=True):
            conn.close()
        with psycopg.connect(admin, autocommit=True) as conn:
            for name in names:
                conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_a_password_never_reaches_the_command_line_or_the_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pg_dump gets the password through libpq's environment (``ps`` shows argv to everyone),
    and a failing tool that echoes it anyway has it hidden in the error."""
    secret = "s3cret-pw-Xy"
    fake = tmp_path / "bin" / "pg_dump"
    fake.parent.mkdir()
    fake.write_text(
        '#!/bin/sh\necho "argv: $*" > "$(dirname "$0")/argv.txt"\n'
        'echo "FATAL: auth failed for $PGUSER@$PGHOST:$PGPORT/$PGDATABASE pw=$PGPASSWORD" >&2\n'
        "exit 1\n"
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}:{os.environ['PATH']}")
    url = f"postgres://tenken:{secret}@db.example:6543/store"
    with pytest.raises(InputError) as raised:
        backup(url, tmp_path / "out.dump")
    message = str(raised.value)
    assert "tenken@db.example:6543/store" in message  # the tool was pointed at the database
    assert secret not in message
    assert secret not in (fake.parent / "argv.txt").read_text()
    assert not (tmp_path / "out.dump").exists()
