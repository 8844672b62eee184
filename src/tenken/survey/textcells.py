"""Text that goes into generated sheets and CSVs: never a formula, never a control character.

A respondent's free text beginning with ``=``, ``+``, ``-`` or ``@`` is data, but Excel (and
openpyxl when given a ``str``) would take it as a formula; in a CSV opened in Excel it would be
run (CSV injection). Control characters (U+0000–U+001F except tab and line breaks) are not
allowed in XML 1.0, so openpyxl refuses them and a writer would crash: they are refused where
text enters (the form, files) with :func:`control_characters`.
"""

from __future__ import annotations

import re
from typing import Any

from tenken.fileio import FORMULA_START, escape_formula

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def looks_like_formula(value: str) -> bool:
    return value.startswith(FORMULA_START)


def csv_text(value: str) -> str:
    """``value`` for a CSV cell: a leading ``'`` keeps formula-like text as text in Excel."""
    return escape_formula(value) or value


def control_characters(value: str) -> list[str]:
    """The control characters in ``value`` as ``U+000B``-style names (tab and newlines allowed)."""
    return sorted({f"U+{ord(c):04X}" for c in _CONTROL.findall(value)})


def without_control_characters(value: str) -> str:
    """``value`` with control characters removed (for writers: they never crash on old data)."""
    return _CONTROL.sub("", value)


def set_text(cell: Any, value: str) -> None:
    """Put ``value`` into an openpyxl cell as text: never a formula, never a crash.

    openpyxl turns a ``str`` starting with ``=`` into a formula; forcing the data type keeps
    it a string (a shared string in the file), and control characters are dropped.
    """
    cell.value = without_control_characters(value) if value else None
    if cell.value is not None:
        cell.data_type = "s"
