"""`tenken survey report` as a user runs it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from tenken.cli import app
from tests.survey.conftest import EXAMPLES

runner = CliRunner()


def answers_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "answers"
    folder.mkdir()
    for name in (
        "municipality-complete.json",
        "prefecture-complete.json",
        "problem-unanswered.json",
    ):
        shutil.copy(EXAMPLES / name, folder / name)
    (folder / "broken.json").write_text("{not json", encoding="utf-8")
    (folder / "notes.txt").write_text("ignored", encoding="utf-8")
    return folder


def test_report_from_answer_folder(tmp_path: Path) -> None:
    """Readable files are tallied, an unreadable one is reported and skipped, files are written."""
    out = tmp_path / "report"
    result = runner.invoke(
        app,
        ["survey", "report", "--answers", str(answers_dir(tmp_path)), "--out", str(out), "--json"],
    )
    assert result.exit_code == 0, result.output
    text = result.output.replace("\n", "")  # rich wraps long lines
    assert "broken.json" in text and "読み飛ばし 1 件" in text
    data = json.loads((out / "report.json").read_text("utf-8"))
    assert data["summary"]["submitted"] == 2  # the unanswered example is also 相模原市: last wins
    assert data["summary"]["duplicates"] == ["14神奈川県相模原市"]
    assert (out / "report.html").is_file() and (out / "report.xlsx").is_file()


def test_without_json_no_json_file(tmp_path: Path) -> None:
    """--json is what adds report.json."""
    out = tmp_path / "report"
    result = runner.invoke(
        app, ["survey", "report", "--answers", str(answers_dir(tmp_path)), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert not (out / "report.json").exists()


def test_answers_and_db_together_are_refused(tmp_path: Path) -> None:
    """--answers and --db name two sources: exit 2 with a message naming both options."""
    result = runner.invoke(
        app,
        ["survey", "report", "--answers", str(tmp_path), "--db", "sqlite:///x.db", "--out", "o"],
    )
    assert result.exit_code == 2
    text = result.output.replace("\n", "")
    assert "--answers" in text and "--db" in text


def test_report_from_the_store_equals_report_from_the_folder(
    tmp_path: Path, django_db_blocker: Any
) -> None:
    """Answers ingested into the store give the same figures as the same files read directly."""
    folder = answers_dir(tmp_path)
    (folder / "broken.json").unlink()
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    files = [str(p) for p in sorted(folder.glob("*.json"))]
    with django_db_blocker.unblock():
        made = runner.invoke(
            app,
            ["survey", "round", "create", "2023", "--title", "調査", "--deadline", "2023-07-21",
             "--db", url],
        )  # fmt: skip
        assert made.exit_code == 0, made.output
        ingested = runner.invoke(app, ["survey", "ingest", *files, "--db", url, "--workers", "1"])
        assert ingested.exit_code == 0, ingested.output
        from_db = runner.invoke(
            app, ["survey", "report", "--db", url, "--out", str(tmp_path / "a"), "--json"]
        )
    from_dir = runner.invoke(
        app, ["survey", "report", "--answers", str(folder), "--out", str(tmp_path / "b"), "--json"]
    )
    assert from_db.exit_code == 0 and from_dir.exit_code == 0, from_db.output + from_dir.output
    a = json.loads((tmp_path / "a" / "report.json").read_text("utf-8"))
    b = json.loads((tmp_path / "b" / "report.json").read_text("utf-8"))
    assert a["items"] == b["items"]
    assert a["summary"]["levels"] == b["summary"]["levels"]
    assert a["summary"]["submitted"] == 2


def test_roster_csv_limits_the_organisations(tmp_path: Path) -> None:
    """With --roster, only its organisations are listed (others' answers are 'outside')."""
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "組織名,組織区分\n13東京都,都道府県\n01北海道札幌市,市区町村\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        ["survey", "report", "--answers", str(answers_dir(tmp_path)), "--roster", str(roster),
         "--out", str(out), "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads((out / "report.json").read_text("utf-8"))
    assert data["summary"]["organisations"] == 2
    assert data["summary"]["not_submitted"] == 1  # 札幌市
    assert data["summary"]["outside_roster"] == 1  # 相模原市


def test_missing_folder(tmp_path: Path) -> None:
    """A folder that does not exist is a clear error, not a traceback."""
    result = runner.invoke(
        app, ["survey", "report", "--answers", str(tmp_path / "nope"), "--out", str(tmp_path)]
    )
    assert result.exit_code == 2 and "フォルダがありません" in result.output
