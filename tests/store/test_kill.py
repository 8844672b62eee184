"""Killing `tenken survey ingest` mid-way leaves whole responses only; a rerun completes it."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tenken.survey.model import Questionnaire
from tests.store.conftest import write_answer

pytestmark = pytest.mark.slow
FILES = 24


def _rows(db: Path) -> tuple[int, list[tuple[str, int, int]]]:
    with sqlite3.connect(db) as conn:
        try:
            rows = conn.execute(
                "select r.org_name, r.is_current, count(a.id) from store_response r "
                "left join store_responseattachment a on a.response_id = r.id group by r.id"
            ).fetchall()
        except sqlite3.OperationalError:
            return 0, []
    return len(rows), rows


def _survivors(marker: str, wait: float = 5.0) -> list[int]:
    """Processes whose command line mentions ``marker`` (the test's folder), after a grace time."""
    deadline = time.monotonic() + wait
    while True:
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if marker in (entry / "cmdline").read_bytes().decode(errors="replace"):
                        found.append(int(entry.name))
                except OSError:
                    continue
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def test_kill_mid_ingest(questionnaire: Questionnaire, blank: bytes, tmp_path: Path) -> None:
    """SIGKILL during the run: every stored response has its attachment; rerun stores all."""
    from tenken.survey.local_governments import all_local_governments

    orgs = [lg for lg in all_local_governments() if lg.kind == "市区町村"][:FILES]
    for lg in orgs:
        folder = tmp_path / "in" / lg.code
        write_answer(folder, "回答.xlsx", questionnaire, blank, 組織名=lg.org_name)
        (folder / "要領.pdf").write_bytes(lg.code.encode())
    db = tmp_path / "store.sqlite3"
    tenken = str(Path(sys.executable).parent / "tenken")
    command = [tenken, "survey", "ingest", str(tmp_path / "in"), "--db", f"sqlite:///{db}"]
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    create = [tenken, "survey", "round", "create", "2023", "--title", "調査", "--deadline"]
    made = subprocess.run(
        [*create, "2023-07-21", "--db", f"sqlite:///{db}"],
        capture_output=True,
        env=env,
        check=False,
    )
    assert made.returncode == 0, made.stderr.decode()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and _rows(db)[0] < 3 and process.poll() is None:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert _survivors(str(tmp_path)) == [], "worker processes outlived the killed ingest"
    count, rows = _rows(db)
    assert count > 0, "the ingest should have stored something before the kill"
    assert all(attachments == 1 and current == 1 for _org, current, attachments in rows), rows
    rerun = subprocess.run(command, capture_output=True, env=env, check=False)
    assert rerun.returncode == 0, rerun.stderr.decode()
    count, rows = _rows(db)
    assert count == FILES and all(a == 1 for _o, _c, a in rows)
