"""Reading a user's input file: one place that turns OS errors into a clear InputError."""

from __future__ import annotations

from pathlib import Path

from tenken.errors import InputError, Location


def read_bytes(path: Path, what: str = "ファイル") -> bytes:
    """The file's bytes; a missing or unreadable file is an InputError naming it."""
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise InputError(
            f"{what}を読めません: {error.strerror or error}", location=Location(str(path))
        ) from error
