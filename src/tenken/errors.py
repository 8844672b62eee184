"""One exception tree for tenken, and one shape for every error a user sees.

    TenkenError                 base: code, message, hint, location
    ├── InputError              a user's file or value cannot be used (CLI exit 2)
    │   └── NormalizeError      one value cannot be normalised
    └── SpecError               a questionnaire or rule file is broken

Every error says what went wrong, where (file, row, column) and, when we know, how to fix it.
Its ``code`` is stable (``E-INPUT``, ``E-INPUT-ENCODING``, ...) so scripts can tell errors apart
without parsing Japanese text. CLI commands print ``str(error)``, or :meth:`TenkenError.as_dict`
as JSON under ``--json``; they never show a traceback. Values from a user's file are echoed
through :func:`echo`, which masks anything that looks like a My Number and shortens long text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Self

ECHO_CHARS = 60
# Any decimal digit (``\d`` is Unicode: ASCII, full-width and other scripts' digits), with at
# most one space or hyphen between two digits, as numbers are typed on forms.
_TWELVE_DIGITS = re.compile(r"(?<!\d)\d(?:[ 　\-‐－]?\d){11}(?!\d)")


def redact(text: str) -> str:
    """``text`` with every run of 12 digits masked (spaces or hyphens between them allowed).

    The one rule for finding a My Number inside a text: messages, logs and the audit trail
    (:func:`tenken.trail.scrub`) all call it.

    Deliberately not only valid My Numbers: a number typed with one wrong digit fails the check
    digit but still carries 11 of a person's digits, so it is masked as well. A message loses
    nothing it needs by this (row numbers, sizes and counts are never 12 digits; a 13-digit
    法人番号 is not touched). The one masking helper (:func:`tenken.normalize.mynumber.mask`)
    does the masking; this only finds the numbers inside a longer text.
    """
    from tenken.normalize.mynumber import mask

    return _TWELVE_DIGITS.sub(lambda m: mask(m.group(0)), text)


def echo(value: Any, limit: int = ECHO_CHARS) -> str:
    """A user's value as shown in a message: My Numbers masked, control characters made
    visible, and cut to ``limit`` characters (a 100,000-character value is not echoed whole)."""
    text = redact(str(value))
    text = "".join(
        f"\\x{ord(ch):02x}" if unicodedata.category(ch) in ("Cc", "Cf") and ch != " " else ch
        for ch in text[: limit + 1]
    )
    if len(text) > limit:
        text = text[:limit] + f"…（全 {len(str(value)):,} 文字）"
    return text


@dataclass(frozen=True)
class Location:
    """Where a problem is: any of file, row (1-based), column (name or letter)."""

    file: str | None = None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        if self.row is not None:
            parts.append(f"{self.row}行目")
        if self.column:
            parts.append(f"列 {self.column}")
        return " ".join(parts)

    def as_dict(self) -> dict[str, str | int | None]:
        return {"file": self.file, "row": self.row, "column": self.column}


class TenkenError(Exception):
    """Base error: a stable ``code``, a message, an optional hint and location."""

    code = "E-TENKEN"
    problems: tuple[Problem, ...] = ()

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        location: Location | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = redact(message)
        self.hint = redact(hint) if hint else hint
        self.location = location
        if code is not None:
            self.code = code

    def with_code(self, code: str) -> Self:
        """The same error with a more specific stable code (e.g. ``E-INPUT-ENCODING``)."""
        self.code = code
        return self

    def __str__(self) -> str:
        text = self.message
        if self.location and str(self.location):
            text = f"{self.location}: {text}"
        if self.hint:
            text = f"{text}（{self.hint}）"
        return text

    def as_dict(self) -> dict[str, Any]:
        """The error's JSON shape: ``code``, ``message``, ``location`` and ``hint``."""
        return {
            "code": self.code,
            "message": self.message,
            "location": (self.location or Location()).as_dict(),
            "hint": self.hint,
            **({"problems": [vars(p) for p in self.problems]} if self.problems else {}),
        }


class InputError(TenkenError):
    """A user-supplied file or value cannot be used."""

    code = "E-INPUT"


class NormalizeError(InputError):
    """One value cannot be normalised (bad date, unknown sex code, ...)."""

    code = "E-INPUT-VALUE"


class SpecError(TenkenError):
    """A questionnaire or rule file is broken."""

    code = "E-SPEC"


@dataclass(frozen=True)
class Problem:
    """One problem of a file that :class:`ErrorList` collects."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class ErrorList:
    """Collects the problems of one file so that its author sees all of them at once.

    ``what`` names the kind of file in the message (e.g. 調査票ファイル); :meth:`raise_if_any`
    raises one :class:`SpecError` listing every problem with where it is. The problems are kept
    as objects (:attr:`items`), not only as text.
    """

    def __init__(self, what: str, source: str, hint: str | None = None) -> None:
        self.what = what
        self.source = source
        self.hint = hint
        self.items: list[Problem] = []

    def add(self, where: str, message: str) -> None:
        self.items.append(Problem(where, message))

    def raise_if_any(self) -> None:
        if self.items:
            listing = "\n".join(f"  - {item}" for item in self.items)
            error = SpecError(
                f"{self.what} {self.source} に {len(self.items)} 件の誤り:\n{listing}",
                hint=self.hint,
                location=Location(self.source),
            )
            error.problems = tuple(self.items)
            raise error
