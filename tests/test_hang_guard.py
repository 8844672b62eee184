"""A test that hangs fails instead of stopping CI: pytest-timeout with a generous global limit
(pyproject.toml), and the hostile-input tests' own deadline() keeps that limit running."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile import deadline

ROOT = Path(__file__).resolve().parents[1]


def test_the_global_timeout_is_configured(pytestconfig: pytest.Config) -> None:
    limit = float(pytestconfig.getini("timeout"))
    assert 60 <= limit <= 1800  # generous for the slowest test, far below CI's 90 minutes


def test_a_test_blocked_on_a_fifo_fails_instead_of_hanging(tmp_path: Path) -> None:
    """The hang the issue is about: open() of a FIFO nobody writes to never returns."""
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "test_blocked.py").write_text(
        "def test_blocked():\n    open('pipe', 'rb').read()\n", encoding="utf-8"
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-c", str(ROOT / "pyproject.toml"), "-o", "timeout=2",
         "-p", "no:cacheprovider", "--rootdir", str(tmp_path), "test_blocked.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Timeout" in result.stdout


def test_deadline_keeps_an_outer_timer_running() -> None:
    """deadline() used to switch the alarm off on exit, and with it the global test timeout."""
    signal.setitimer(signal.ITIMER_REAL, 0)
    previous = signal.signal(signal.SIGALRM, signal.SIG_IGN)
    try:
        signal.setitimer(signal.ITIMER_REAL, 300)
        with deadline(5):
            pass
        remaining, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 290 < remaining <= 300
        assert signal.getsignal(signal.SIGALRM) == signal.SIG_IGN
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
