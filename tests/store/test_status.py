"""Status against a roster and a deadline: answered, late, flagged, not answered."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tenken.cli import app
from tenken.store.ingest import ingest
from tenken.store.status import status
from tenken.survey.model import Questionnaire
from tenken.survey.roster import RosterEntry
from tests.store.conftest import Db, write_answer

BEFORE = dt.datetime(2023, 7, 21, 23, 0, tzinfo=dt.timezone(dt.timedelta(hours=9))).timestamp()
AFTER = dt.datetime(2023, 7, 22, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=9))).timestamp()
ROSTER = [
    RosterEntry("14神奈川県相模原市", "市区町村"),
    RosterEntry("13東京都", "都道府県"),
    RosterEntry("27大阪府", "都道府県"),
]


def test_states_and_flags(
    store_db: Db, questionnaire: Questionnaire, blank: bytes, tmp_path: Path, django_db_blocker: Any
) -> None:
    """On time, late (after 23:59 JST of the deadline), not answered; flags from the engine."""
    write_answer(tmp_path / "a", "a.xlsx", questionnaire, blank, mtime=BEFORE)
    write_answer(
        tmp_path / "b",
        "b.xlsx",
        questionnaire,
        blank,
        example="problem-unanswered.json",
        mtime=AFTER,
        組織名="13東京都",
        組織区分="都道府県",
    )
    write_answer(
        tmp_path / "c", "c.xlsx", questionnaire, blank, 組織名="01北海道", 組織区分="都道府県"
    )
    with django_db_blocker.unblock():
        ingest([tmp_path], questionnaire, store_db.alias, workers=1)
        report = status(questionnaire.id, ROSTER, dt.date(2023, 7, 21), store_db.alias)
    states = {o.org_name: (o.state, o.missing_info, o.unanswered) for o in report.organisations}
    assert states == {
        "14神奈川県相模原市": ("answered", False, False),
        "13東京都": ("late", True, True),
        "27大阪府": ("not_answered", False, False),
    }
    assert [o.org_name for o in report.not_in_roster] == ["01北海道"]
    assert report.summary()["フラグあり"] == 1


def test_status_cli_json_with_default_roster_and_wareki_deadline(
    store_db: Db, questionnaire: Questionnaire, blank: bytes, tmp_path: Path, django_db_blocker: Any
) -> None:
    """Default roster is every local government; 令和5年7月21日 is read as the deadline."""
    if store_db.options:
        pytest.skip("the CLI's --db cannot select the per-test PostgreSQL schema")
    write_answer(tmp_path / "a", "a.xlsx", questionnaire, blank, mtime=BEFORE)
    with django_db_blocker.unblock():
        ingest([tmp_path], questionnaire, store_db.alias, workers=1)
        args = ["survey", "status", "--json", "--deadline", "令和5年7月21日", *store_db.cli_args()]
        result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["deadline"] == "2023-07-21"
    assert data["summary"]["名簿"] == 1788
    assert data["summary"]["回答済み"] == 1 and data["summary"]["未回答"] == 1787


def test_status_rejects_a_bad_deadline(store_db: Db) -> None:
    """A deadline that is not a date is a clear error (exit 2)."""
    result = CliRunner().invoke(
        app, ["survey", "status", "--deadline", "来週", "--db", store_db.url]
    )
    assert result.exit_code == 2 and "日付として読めません" in result.output
