"""Helpers for the hostile-input tests: a time limit per case and a CLI call that must refuse.

A test that only checks ``"Traceback" not in result.output`` cannot fail under typer's runner
(it catches the exception and prints nothing); :func:`refused` checks the exit code, the
message and that no exception escaped.
"""

from __future__ import annotations

import io
import signal
import time
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from typer.testing import CliRunner, Result

from tenken.cli import app
from tenken.normalize.mynumber import check_digit

runner = CliRunner()


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Fail the block with TimeoutError when it runs longer than ``seconds`` (a hang).

    An outer alarm (pytest-timeout's limit for the whole test) is put back when the block ends,
    so the rest of the test stays bounded.
    """

    def expire(_signum: int, _frame: FrameType | None) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    started = time.monotonic()
    outer, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer:
            left = outer - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 0.001))


def invoke(args: Sequence[str], seconds: float = 60) -> Result:
    with deadline(seconds):
        return runner.invoke(app, list(args))


def no_exception(result: Result) -> None:
    """No exception escaped the command (a clean exit is a SystemExit)."""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"exception escaped: {result.exception!r}") from result.exception


def refused(result: Result, *words: str, code: int = 2) -> str:
    """Exit ``code`` with every word in the output, and no exception escaped."""
    no_exception(result)
    assert result.exit_code == code, result.output
    for word in words:
        assert word in result.output, (word, result.output)
    return result.output


def valid_number(seed: int = 815107999) -> str:
    """A My Number with a correct check digit."""
    first = f"{seed:011d}"
    return first + check_digit(first)


def rezip(data: bytes, extra: dict[str, bytes], drop: tuple[str, ...] = ()) -> bytes:
    """Copy a zip, dropping some members and adding or replacing others."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            if item.filename not in extra and item.filename not in drop:
                dst.writestr(item, src.read(item.filename))
        for name, payload in extra.items():
            dst.writestr(name, payload, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def member(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


def fifo(path: Path) -> Path:
    import os

    os.mkfifo(path)
    return path


def special_file(path: Path, kind: str) -> Path:
    """``path`` made a FIFO (``"fifo"``) or a link to /dev/zero (``"dev-zero"``)."""
    import os

    if kind == "fifo":
        return fifo(path)
    os.symlink("/dev/zero", path)
    return path
