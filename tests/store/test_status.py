"""Status of a round against its roster and deadlines: submitted (with or without problems),
late, not started; the CLI's round commands and --round."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tenken.cli import app
from tenken.store import api
from tenken.store.ingest import ingest
from tenken.store.status import status
from tenken.survey.model import Questionnaire
from tests.store.conftest import Db, survey_round, write_answer

JST = dt.timezone(dt.timedelta(hours=9))
BEFORE = dt.datetime(2023, 7, 21, 23, 0, tzinfo=JST).timestamp()
AFTER = dt.datetime(2023, 7, 22, 0, 30, tzinfo=JST).timestamp()
ROSTER = [("14神奈川県相模原市", "市区町村"), ("13東京都", "都道府県"), ("27大阪府", "都道府県")]


def test_states_and_flags(
    store_db: Db, questionnaire: Questionnaire, blank: bytes, tmp_path: Path, django_db_blocker: Any
) -> None:
    """On time, late (after 23:59 JST of the deadline), not started; 不備あり from the engine."""
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
        r = survey_round(store_db, roster=ROSTER)
        ingest([tmp_path], r, questionnaire, store_db.alias, workers=1)
        report = status(r, store_db.alias)
    states = {
        o.org_name: (o.state, o.late, o.missing_info, o.unanswered) for o in report.organisations
    }
    assert states == {
        "14神奈川県相模原市": ("提出済み", False, False, False),
        "13東京都": ("提出済み（不備あり）", True, True, True),
        "27大阪府": ("未着手", False, False, False),
    }
    assert [o.org_name for o in report.not_in_roster] == ["01北海道"]
    assert report.summary()["フラグあり"] == 1
    assert report.summary()["提出済み（不備あり）"] == 1


def test_an_extension_moves_one_organisations_deadline(
    store_db: Db, questionnaire: Questionnaire, blank: bytes, tmp_path: Path, django_db_blocker: Any
) -> None:
    """A file after the round's deadline is not late for an organisation given an extension."""
    write_answer(tmp_path, "a.xlsx", questionnaire, blank, mtime=AFTER)
    with django_db_blocker.unblock():
        r = survey_round(store_db, roster=ROSTER)
        ingest([tmp_path], r, questionnaire, store_db.alias, workers=1)

        def late() -> bool:
            found = {o.org_name: o for o in status(r, store_db.alias).organisations}
            return found["14神奈川県相模原市"].late

        assert late()
        later = api.end_of_day(dt.date(2023, 7, 28))
        api.set_deadline(r, later, "14神奈川県相模原市", store_db.alias)
        assert not late()


def _cli(db: Db, *args: str) -> Any:
    return CliRunner().invoke(app, [*args, *db.cli_args()])


def test_status_cli_json_for_the_only_round(
    store_db: Db, questionnaire: Questionnaire, blank: bytes, tmp_path: Path, django_db_blocker: Any
) -> None:
    """`round create` with the default roster (every local government); status defaults to it."""
    if store_db.options:
        pytest.skip("the CLI's --db cannot select the per-test PostgreSQL schema")
    write_answer(tmp_path / "a", "a.xlsx", questionnaire, blank, mtime=BEFORE)
    with django_db_blocker.unblock():
        made = _cli(
            store_db, "survey", "round", "create", "2023", "--title", "実態調査",
            "--deadline", "令和5年7月21日",
        )  # fmt: skip
        assert made.exit_code == 0, made.output
        assert _cli(store_db, "survey", "ingest", str(tmp_path)).exit_code == 0
        result = _cli(store_db, "survey", "status", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["round"] == "2023" and data["deadline"].startswith("2023-07-21T23:59:59")
    assert data["summary"]["名簿"] == 1788
    assert data["summary"]["提出済み"] == 1 and data["summary"]["未着手"] == 1787


def test_several_rounds_need_round_and_list_them(store_db: Db, django_db_blocker: Any) -> None:
    """With two rounds and no --round: exit 2 naming both; `round list --json` lists them."""
    if store_db.options:
        pytest.skip("the CLI's --db cannot select the per-test PostgreSQL schema")
    with django_db_blocker.unblock():
        survey_round(store_db, "2023", roster=ROSTER)
        survey_round(store_db, "2024", roster=ROSTER[:1], deadline="2024-07-19")
        result = _cli(store_db, "survey", "status")
        listed = _cli(store_db, "survey", "round", "list", "--json")
        unknown = _cli(store_db, "survey", "status", "--round", "1999")
    assert result.exit_code == 2
    assert "--round" in result.output and "2023" in result.output and "2024" in result.output
    rows = json.loads(listed.stdout)
    assert [(r["id"], r["roster"]) for r in rows] == [("2023", 3), ("2024", 1)]
    assert unknown.exit_code == 2 and "1999" in unknown.output


def test_round_create_refuses_a_bad_deadline_or_a_duplicate_id(
    store_db: Db, django_db_blocker: Any
) -> None:
    """A deadline that is not a date, or an id already used, is a clear error (exit 2)."""
    with django_db_blocker.unblock():
        bad = _cli(store_db, "survey", "round", "create", "x", "--title", "t", "--deadline", "来週")
        assert bad.exit_code == 2 and "日付として読めません" in bad.output
        if store_db.options:
            return
        args = ("survey", "round", "create", "x", "--title", "t", "--deadline", "2030-01-01")
        assert _cli(store_db, *args).exit_code == 0
        again = _cli(store_db, *args)
    assert again.exit_code == 2 and "すでにあります" in again.output
