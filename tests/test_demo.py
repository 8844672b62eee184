"""`tenken demo` runs end to end on the bundled sample data."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from tenken.cli import app


def test_demo_runs_and_finishes(tmp_path: Path) -> None:
    """The newcomer's first command completes with exit 0 and shows each step."""
    result = CliRunner().invoke(app, ["demo", "--workspace", str(tmp_path / "demo")])
    assert result.exit_code == 0, result.output
    assert "調査票" in result.output and "デモ完了" in result.output
    assert "Traceback" not in result.output
    # the survey flow ends in a report whose HTML path is printed
    assert (tmp_path / "demo" / "report" / "report.html").is_file()
    assert "HTML レポート" in result.output
