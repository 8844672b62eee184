"""外字 of a registry: its own 外字 table, and the 〓 of a system that cannot hold them.

A resident registry written by a vendor system keeps a name character that no code holds as a
private-use code (外字, U+E000–U+F8FF) and ships a 外字 table (外字対応表) saying which
character each code is: a 字形 of the 文字情報基盤 (MJ), given as Unicode, with an IVS where
the 字形 needs one. :func:`decode` puts that character in place of the code; the name is then
compared like any other (the IVS selects a glyph of one character, the MJ縮退マップ folds an
MJ character outside JIS X 0208 to the JIS X 0208 one a system without it writes: see
:mod:`tenken.normalize.itaiji`). A code the table does not list stays a 外字 and the name stays
unverifiable: only an unknown 外字 goes to review.

A system that could not hold the registry's character writes the geta mark 〓 in its place.
:func:`geta_stands_for` says when a 〓 is exactly that degeneration: every 〓 stands where
the other name holds a character outside JIS X 0208 (or one with a variation selector), and
every other character agrees.
"""

from __future__ import annotations

from collections.abc import Mapping

from tenken.normalize._text import clean
from tenken.normalize.name import name_key

GETA = "〓"
_SKIPPED = " ・=＝,、."
_VARIATION_SELECTOR = ((0xFE00, 0xFE0F), (0xE0100, 0xE01EF))


PRIVATE_USE = ((0xE000, 0xF8FF), (0xF0000, 0x10FFFD))
"""The private-use areas (the BMP's and planes 15–16), where vendors put their 外字 codes."""

PRIVATE_USE_CLASS = "[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in PRIVATE_USE) + "]"
"""A regular-expression class of :data:`PRIVATE_USE`, for engines that look for codes in SQL."""


def is_private_use(ch: str) -> bool:
    """A code of the private-use areas (:data:`PRIVATE_USE`)."""
    code = ord(ch)
    return any(lo <= code <= hi for lo, hi in PRIVATE_USE)


def decode(text: str, table: Mapping[str, str]) -> str:
    """``text`` with every private-use code the 外字 table lists replaced by its character."""
    if not table or not any(is_private_use(ch) for ch in text):
        return text
    return "".join(table.get(ch, ch) for ch in text)


def _is_selector(ch: str) -> bool:
    return any(low <= ord(ch) <= high for low, high in _VARIATION_SELECTOR)


def _units(text: str) -> list[str]:
    """Characters with their variation selector, spaces and separators left out."""
    units: list[str] = []
    for ch in clean(text):
        if _is_selector(ch) and units:
            units[-1] += ch
        elif ch not in _SKIPPED:
            units.append(ch)
    return units


def _outside_jis_x0208(unit: str) -> bool:
    """A character a JIS X 0208 system cannot hold: not encodable, or a chosen 字形 (IVS)."""
    if len(unit) > 1:
        return True
    try:
        unit.encode("shift_jis")  # strict JIS X 0208, no vendor extensions
    except UnicodeEncodeError:
        return not is_private_use(unit)  # an undecoded 外字 is unknown, not degenerate
    return False


def geta_stands_for(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` are one name written by systems of two repertoires: equal but
    where one holds 〓 and the other, at the same place, a character outside JIS X 0208.

    There must be at least one such 〓; a 〓 against a JIS X 0208 character (which the
    system could have written) or against an unknown 外字 is no degeneration.
    """
    left, right = _units(a), _units(b)
    if len(left) != len(right) or GETA not in left + right:
        return False
    for x, y in zip(left, right, strict=True):
        if GETA in (x, y):
            other = y if x == GETA else x
            if other == GETA or not _outside_jis_x0208(other):
                return False
        elif name_key(x) != name_key(y):
            return False
    return True
