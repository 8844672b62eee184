"""One exception tree for tenken.

    TenkenError                 base: code, message, hint, location
    ├── InputError              a user's file or value cannot be used (CLI exit 2)
    │   └── NormalizeError      one value cannot be normalised
    └── SpecError               a questionnaire or rule file is broken

Every error says what went wrong, where (file, row, column) and, when we know, how to fix it.
CLI commands catch TenkenError and print ``str(error)``; they never show a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


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


class TenkenError(Exception):
    """Base error: a stable ``code``, a message, an optional hint and location."""

    code = "tenken"

    def __init__(
        self, message: str, *, hint: str | None = None, location: Location | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.location = location

    def __str__(self) -> str:
        text = self.message
        if self.location and str(self.location):
            text = f"{self.location}: {text}"
        if self.hint:
            text = f"{text}（{self.hint}）"
        return text

    def as_dict(self) -> dict[str, str | int | None]:
        loc = self.location or Location()
        return {
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
            "file": loc.file,
            "row": loc.row,
            "column": loc.column,
        }


class InputError(TenkenError):
    """A user-supplied file or value cannot be used."""

    code = "input"


class NormalizeError(InputError):
    """One value cannot be normalised (bad date, unknown sex code, ...)."""

    code = "normalize"


class SpecError(TenkenError):
    """A questionnaire or rule file is broken."""

    code = "spec"


class ErrorList:
    """Collects the problems of one file so that its author sees all of them at once.

    ``what`` names the kind of file in the message (e.g. 調査票ファイル); :meth:`raise_if_any`
    raises one :class:`SpecError` listing every problem with where it is.
    """

    def __init__(self, what: str, source: str, hint: str | None = None) -> None:
        self.what = what
        self.source = source
        self.hint = hint
        self.items: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.items.append(f"{where}: {message}")

    def raise_if_any(self) -> None:
        if self.items:
            listing = "\n".join(f"  - {item}" for item in self.items)
            raise SpecError(
                f"{self.what} {self.source} に {len(self.items)} 件の誤り:\n{listing}",
                hint=self.hint,
            )
