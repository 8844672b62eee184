"""Console output and error handling shared by all commands."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.text import Text

from tenken.errors import Location, TenkenError, redact

console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_UNREADABLE = 2


def shown(value: object) -> str:
    """A user's value (a path, an organisation name, a problem message) made safe to print with
    rich: any My Number masked, and ``[`` escaped so it is never read as markup (a value such as
    ``[/x]`` used to crash the report with a MarkupError)."""
    return escape(redact(str(value)))


def fail(message: str, code: int = EXIT_UNREADABLE) -> NoReturn:
    """Print a clear error on stderr and exit with ``code`` (never a traceback).

    The message is printed as text, never as rich markup (a user's value may hold ``[``), with
    any My Number in it masked.
    """
    err_console.print(Text.assemble(("エラー:", "bold red"), " ", redact(message)))
    raise typer.Exit(code)


def fail_with(error: TenkenError, as_json: bool = False) -> NoReturn:
    """Report ``error``: its text on stderr, or under ``--json`` its shape on stdout."""
    if as_json:
        print_json({"error": error.as_dict()})
        raise typer.Exit(EXIT_UNREADABLE)
    fail(str(error))


def os_error(error: OSError) -> TenkenError:
    """An unexpected OS error as a tenken error (it names the file when the OS does)."""
    name = getattr(error, "filename", None)
    return TenkenError(
        str(error.strerror or error), location=Location(str(name)) if name else None,
        code="E-OS",
    )  # fmt: skip


@contextmanager
def guarded(as_json: bool = False) -> Iterator[None]:
    """Turn tenken errors (and unexpected OS errors) into a message and exit 2."""
    try:
        yield
    except TenkenError as error:
        fail_with(error, as_json)
    except OSError as error:
        fail_with(os_error(error), as_json)


def print_json(data: Any) -> None:
    """Print JSON with Japanese kept readable (no \\u escapes)."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def run(func: Callable[[], int], as_json: bool = False) -> None:
    """Run a command body under :func:`guarded` and exit with its return code.

    ``as_json``: the command was asked for ``--json``, so an error is printed as JSON too.
    """
    with guarded(as_json):
        code = func()
    raise typer.Exit(code)
