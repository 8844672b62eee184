"""Store fixtures: every test runs on SQLite, and on PostgreSQL when 127.0.0.1:5432 answers.

PostgreSQL runs get a schema of their own (dropped afterwards), so parallel runs never collide.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tenken.survey.document import parse_document
from tenken.survey.loader import load_bundled
from tenken.survey.model import Questionnaire
from tenken.survey.xlsx.fill import fill_sheet
from tenken.survey.xlsx.writer import form_bytes
from tests.sheets.conftest import example_data

PG_URL = os.environ.get("TENKEN_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")


def _postgres_reachable() -> bool:
    try:
        import psycopg
    except ImportError:
        return False
    try:
        with psycopg.connect(PG_URL.replace("postgres://", "postgresql://"), connect_timeout=2):
            return True
    except psycopg.Error:
        return False


@dataclass
class Db:
    url: str
    alias: str
    options: dict[str, Any]

    def cli_args(self) -> list[str]:
        return ["--db", self.url]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_db(
    request: pytest.FixtureRequest, tmp_path: Path, django_db_blocker: Any
) -> Iterator[Db]:
    from tenken.store.db import setup

    with django_db_blocker.unblock():
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
            yield Db(url, setup(url), {})
            return
        if not _postgres_reachable():
            pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
        import psycopg

        schema = f"tenken_test_{uuid.uuid4().hex[:12]}"
        plain = PG_URL.replace("postgres://", "postgresql://")
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        options = {"options": f"-c search_path={schema}"}
        try:
            yield Db(PG_URL, setup(PG_URL, options=options), options)
        finally:
            from django.db import connections

            for conn in connections.all(initialized_only=True):
                conn.close()
            with psycopg.connect(plain, autocommit=True) as conn:
                conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(scope="session")
def questionnaire() -> Questionnaire:
    return load_bundled()


@pytest.fixture(scope="session")
def blank() -> bytes:
    return form_bytes(load_bundled())


def write_answer(
    folder: Path,
    name: str,
    q: Questionnaire,
    blank: bytes,
    example: str = "municipality-complete.json",
    mtime: float | None = None,
    **respondent: str,
) -> Path:
    """A filled sheet from a bundled example, with respondent values overridden."""
    data = example_data(example)
    data["respondent"].update(respondent)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(fill_sheet(blank, q, parse_document(data, q, "<json>")))
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def survey_round(
    db: Db, code: str = "2023", roster: list[tuple[str, str]] | None = None, deadline: str = ""
) -> Any:
    """The round ``code`` of the test database (made on first use; default roster: 1,788)."""
    import datetime as dt

    from tenken.store import api
    from tenken.store.models import Round
    from tenken.survey.local_governments import all_local_governments

    found = Round.objects.using(db.alias).filter(code=code).first()
    if found is not None:
        return found
    if roster is None:
        members = [api.Member(g.org_name, g.kind, g.prefecture) for g in all_local_governments()]
    else:
        members = [api.Member(name, kind) for name, kind in roster]
    day = dt.date.fromisoformat(deadline or "2023-07-21")
    return api.create_round(
        code, f"調査 {code}", load_bundled(), api.end_of_day(day), members, alias=db.alias
    )
