"""`tenken demo` runs end to end on the bundled sample data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from tenken.cli import app
from tests.hostile import no_exception


def test_demo_runs_and_finishes(tmp_path: Path, django_db_blocker: Any) -> None:
    """The newcomer's first command completes with exit 0 and shows each step."""
    with django_db_blocker.unblock():  # the sheets step ingests into a demo SQLite database
        result = CliRunner().invoke(app, ["demo", "--workspace", str(tmp_path / "demo")])
    assert result.exit_code == 0, result.output
    assert "調査票" in result.output and "デモ完了" in result.output
    no_exception(result)
    # the survey flow ends in a report whose HTML path is printed
    assert (tmp_path / "demo" / "report" / "report.html").is_file()
    assert "HTML レポート" in result.output
