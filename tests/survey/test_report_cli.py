"""`tenken survey report` as a user runs it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

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


def test_source_is_required(tmp_path: Path) -> None:
    """Neither --answers nor --db: exit 2 with a message naming both options."""
    result = runner.invoke(app, ["survey", "report", "--out", str(tmp_path)])
    assert result.exit_code == 2
    text = result.output.replace("\n", "")
    assert "--answers" in text and "--db" in text


def test_missing_folder(tmp_path: Path) -> None:
    """A folder that does not exist is a clear error, not a traceback."""
    result = runner.invoke(
        app, ["survey", "report", "--answers", str(tmp_path / "nope"), "--out", str(tmp_path)]
    )
    assert result.exit_code == 2 and "フォルダがありません" in result.output
