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
    _review_flow_leaves_no_full_number(tmp_path, result.output)


def _review_flow_leaves_no_full_number(tmp_path: Path, output: str) -> None:
    """The review step imports, decides 3, approves 2, returns 1, fixes, exports 3 and verifies;
    the raw SQLite file (and its WAL), the printed output and the audit trail hold no valid
    full My Number, while the owner-only corrections file holds the number it must set."""
    import csv
    import stat

    from tenken.normalize.mynumber import is_valid
    from tests.casework.leaks import full_numbers

    site = tmp_path / "demo" / "site"
    assert "訂正一覧 3 件" in output and "改ざんなし" in output
    corrections = site / "corrections.csv"
    assert stat.S_IMODE(corrections.stat().st_mode) == 0o600
    with corrections.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(r["処理コード"] for r in rows) == ["correct", "mislink", "unlink"]
    assert [is_valid(r["設定する個人番号"]) for r in rows if r["処理コード"] == "mislink"] == [True]

    for name in ("tenken.sqlite3", "tenken.sqlite3-wal"):
        if (site / name).exists():
            assert full_numbers((site / name).read_bytes()) == [], name
    assert full_numbers(output) == []
    assert full_numbers(corrections.read_bytes()) != []  # the detector does find numbers
    trail = tmp_path / "trail.csv"
    import os
    import subprocess
    import sys

    env = {**os.environ, "TENKEN_WORKSPACE": str(site)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run([sys.executable, "-m", "tenken", "audit", "export", "--out", str(trail)],
                          env=env, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    text = trail.read_text(encoding="utf-8-sig")
    assert "case.approve" in text and "run.export" in text and full_numbers(text.encode()) == []
