"""Console output and error handling shared by all commands."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import typer
from rich.console import Console

from tenken.errors import TenkenError

console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_UNREADABLE = 2


def fail(message: str, code: int = EXIT_UNREADABLE) -> NoReturn:
    """Print a clear error on stderr and exit with ``code`` (never a traceback)."""
    err_console.print(f"[bold red]エラー:[/] {message}", highlight=False)
    raise typer.Exit(code)


@contextmanager
def guarded() -> Iterator[None]:
    """Turn tenken errors (and unexpected OS errors) into a message and exit 2."""
    try:
        yield
    except TenkenError as error:
        fail(str(error))
    except OSError as error:
        fail(f"{getattr(error, 'filename', '') or ''} {error.strerror or error}".strip())


def print_json(data: Any) -> None:
    """Print JSON with Japanese kept readable (no \\u escapes)."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def run(func: Callable[[], int]) -> None:
    """Run a command body under :func:`guarded` and exit with its return code."""
    with guarded():
        code = func()
    raise typer.Exit(code)
