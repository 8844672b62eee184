"""Ingest: idempotent, keeps history, atomic per file; on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tenken.cli import app
from tenken.store import ingest as ingest_module
from tenken.store.ingest import ingest
from tenken.store.models import Response, ResponseAttachment
from tenken.survey.model import Questionnaire
from tests.store.conftest import Db, survey_round, write_answer

T0 = dt.datetime(2023, 7, 10, 9, 0, tzinfo=dt.UTC).timestamp()


def rnd(db: Db) -> Any:
    return survey_round(db)


def responses(db: Db) -> Any:
    return Response.objects.using(db.alias)


def test_same_files_twice_change_nothing(
    store_db: Db, questionnaire: Questionnaire, blank: bytes, tmp_path: Path, django_db_blocker: Any
) -> None:
    """A second ingest of the same folder stores nothing new and reports duplicates."""
    folder = tmp_path / "in"
    write_answer(folder, "a.xlsx", questionnaire, blank)
    write_answer(folder, "b.xlsx", questionnaire, blank, 組織名="13東京都", 組織区分="都道府県")
    with django_db_blocker.unblock():
        first = ingest([folder], rnd(store_db), questionnaire, store_db.alias, workers=1)
        rows = list(responses(store_db).values_list("id", "sha256", "is_current"))
        second = ingest([folder], rnd(store_db), questionnaire, store_db.alias, workers=1)
        assert first.count("current") == 2
        assert second.count("duplicate") == 2 and second.count("current") == 0
        assert list(responses(store_db).values_list("id", "sha256", "is_current")) == rows


def test_newer_file_becomes_current_and_older_stays_in_history(
    store_db: Db, questionnaire: Questionnaire, blank: bytes, tmp_path: Path, django_db_blocker: Any
) -> None:
    """Files of one organisation: the latest received is current, whatever the ingest order."""
    first = write_answer(tmp_path / "1", "x.xlsx", questionnaire, blank, mtime=T0)
    newer = write_answer(
        tmp_path / "2", "x.xlsx", questionnaire, blank, mtime=T0 + 3600, 担当部署名="福祉課"
    )
    older = write_answer(
        tmp_path / "3", "x.xlsx", questionnaire, blank, mtime=T0 - 3600, 担当部署名="旧課"
    )
    with django_db_blocker.unblock():
        assert (
            ingest([first], rnd(store_db), questionnaire, store_db.alias).outcomes[0][1]
            == "current"
        )
        assert (
            ingest([newer], rnd(store_db), questionnaire, store_db.alias).outcomes[0][1]
            == "current"
        )
        assert (
            ingest([older], rnd(store_db), questionnaire, store_db.alias).outcomes[0][1]
            == "history"
        )
        rows = responses(store_db).filter(org_name="14神奈川県相模原市")
        assert rows.count() == 3
        current = rows.get(is_current=True)
        assert current.respondent["担当部署名"] == "福祉課"


def test_failure_mid_file_leaves_whole_responses_and_rerun_completes(
    store_db: Db,
    questionnaire: Questionnaire,
    blank: bytes,
    tmp_path: Path,
    django_db_blocker: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A crash after a response row but before its attachments rolls that file back."""
    names = ["13東京都", "14神奈川県相模原市", "27大阪府"]
    kinds = ["都道府県", "市区町村", "都道府県"]
    for name, kind in zip(names, kinds, strict=True):
        folder = tmp_path / "in" / name
        write_answer(folder, f"{name}.xlsx", questionnaire, blank, 組織名=name, 組織区分=kind)
        (folder / "要領.pdf").write_bytes(name.encode())
    real = ingest_module._save_attachments
    calls = {"n": 0}

    def crash_on_second(response: Response, prepared: Any, alias: str) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("simulated crash")
        real(response, prepared, alias)

    monkeypatch.setattr(ingest_module, "_save_attachments", crash_on_second)
    with django_db_blocker.unblock():
        with pytest.raises(RuntimeError):
            ingest([tmp_path / "in"], rnd(store_db), questionnaire, store_db.alias, workers=1)
        assert list(responses(store_db).values_list("org_name", flat=True)) == ["13東京都"]
        assert ResponseAttachment.objects.using(store_db.alias).count() == 1
        monkeypatch.setattr(ingest_module, "_save_attachments", real)
        again = ingest([tmp_path / "in"], rnd(store_db), questionnaire, store_db.alias, workers=1)
        assert [o for _p, o, _n in again.outcomes] == ["duplicate", "current", "current"]
        for r in responses(store_db):
            assert [a.name for a in r.attachments.all()] == ["要領.pdf"]


def test_attachments_are_the_files_beside_the_sheet(
    store_db: Db, questionnaire: Questionnaire, blank: bytes, tmp_path: Path, django_db_blocker: Any
) -> None:
    """Alone in a folder a sheet owns every other file; beside others, files named after it."""
    one = tmp_path / "one"
    write_answer(one, "回答.xlsx", questionnaire, blank)
    (one / "manual.pdf").write_bytes(b"x")
    many = tmp_path / "many"
    write_answer(
        many, "13東京都.xlsx", questionnaire, blank, 組織名="13東京都", 組織区分="都道府県"
    )
    write_answer(
        many, "27大阪府.xlsx", questionnaire, blank, 組織名="27大阪府", 組織区分="都道府県"
    )
    (many / "13東京都_要領.pdf").write_bytes(b"y")
    (many / "~$13東京都.xlsx").write_bytes(b"lock file")
    with django_db_blocker.unblock():
        report = ingest([one, many], rnd(store_db), questionnaire, store_db.alias, workers=1)
        assert report.count("current") == 3, report.outcomes
        found = {
            r.org_name: sorted(a.name for a in r.attachments.all()) for r in responses(store_db)
        }
    assert found == {
        "14神奈川県相模原市": ["manual.pdf"],
        "13東京都": ["13東京都_要領.pdf"],
        "27大阪府": [],
    }


def test_ingest_cli_reports_unreadable_files_and_stores_the_rest(
    store_db: Db, questionnaire: Questionnaire, blank: bytes, tmp_path: Path, django_db_blocker: Any
) -> None:
    """A bad file gets its message and exit 2; the good ones are stored all the same."""
    folder = tmp_path / "in"
    write_answer(folder, "good.xlsx", questionnaire, blank)
    (folder / "bad.xlsx").write_bytes(b"this is not excel")
    if store_db.options:
        pytest.skip("the CLI's --db cannot select the per-test PostgreSQL schema")
    with django_db_blocker.unblock():
        survey_round(store_db)
        result = CliRunner().invoke(app, ["survey", "ingest", str(folder), *store_db.cli_args()])
        assert result.exit_code == 2, result.output
        output = "".join(result.output.split())
        assert "bad.xlsx" in output and "ファイル（.xlsx）ではありません" in output
        assert responses(store_db).count() == 1


def test_many_files_through_worker_processes(
    store_db: Db, questionnaire: Questionnaire, tmp_path: Path, django_db_blocker: Any
) -> None:
    """With two reader processes (20+ files) every sheet is stored once, in file order."""
    from tenken.survey.roster import local_government_roster
    from tenken.survey.xlsx.batch import write_roster_forms

    roster = local_government_roster()[:24]
    write_roster_forms(questionnaire, roster, tmp_path / "sheets")
    with django_db_blocker.unblock():
        report = ingest(
            [tmp_path / "sheets"], rnd(store_db), questionnaire, store_db.alias, workers=2
        )
        assert report.count("current") == 24
        names = sorted(responses(store_db).values_list("org_name", flat=True))
    assert names == sorted(e.org_name for e in roster)
