"""Block numbers (丁目・番地・号, 枝番) after the town.

「5丁目-4-3」「五丁目4番3号」「５丁目４番地の３」 all read as 5, 4, 3. The text has been through
:func:`~tenken.normalize._text.arabic_numerals`, so every number is written in arabic digits.
A single letter between numbers (14-イ22, 14-A-22) is a block part of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(r"([0-9]+)(丁目|番地|番(?![町丁])|号|地割)?")
_LETTER = re.compile(r"([A-Za-zイロハニホヘトチリヌルヲ])-?(?=[0-9])")
_SEPARATORS = "-のノ之"

#: Where the block numbers start in text after the town name: an arabic number not glued to a
#: following kanji (北1条, 3世寺 are names) or followed by a unit (2丁目, 3番).
BLOCK_START = re.compile(
    r"[0-9]+(?![のノ之][^0-9])"
    r"(?=丁目|番(?![町丁])|号|地割|之|[^0-9\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]|$)"
)

#: Right after a resolved town, a number starts the blocks even when a building name follows
#: it at once (三世寺12根本荘306号室) unless it is itself a place name (北1条, 2線, 3番町, 4区).
BARE_NUMBER = re.compile(r"[0-9]+(?!条|線|番町|番丁|区|軒|町(?!目)|丁(?!目)|[0-9]|[のノ之][^0-9])")


@dataclass(frozen=True)
class Blocks:
    """Numbers found (as text: 12, イ), whether the first was written as 丁目, and where the
    numbers end."""

    numbers: tuple[str, ...]
    chome_written: bool
    end: int


# In the patterns below ``0*([0-9]+)`` captures a number as :func:`number` writes it: 0* takes
# the leading zeros and backtracks to leave one digit (007 → 7, 00 → 0); the span matched is
# that of [0-9]+.

#: Nothing after the last number that parse_units would read on (a digit, unit, separator or
#: letter): there the regular notations below decline and parse_units reads the text.
_NOTHING_MORE = r"(?![0-9丁番号地のノ之A-Za-z-])"

#: The common case, arabic numbers joined by hyphens and nothing number-like after them.
SIMPLE = re.compile(r"0*([0-9]+)(?:-0*([0-9]+))?(?:-0*([0-9]+))?" + _NOTHING_MORE)


#: The two official notations, read as :func:`parse_units` reads them (a test compares the two).
OFFICIAL = re.compile(
    r"0*([0-9]+)丁目0*([0-9]+)番0*([0-9]+)号(?![-の][0-9])"
    r"|0*([0-9]+)番地0*([0-9]+)" + _NOTHING_MORE
)

#: Further regular notations parse_units reads: 「3丁目4-5」「12番地3-4」「12番3」 (a unit, then a
#: number right after it, then at most one more after a hyphen).
_UNIT_THEN_DASH = r"0*([0-9]+)(?:丁目|番地?)0*([0-9]+)(?:-0*([0-9]+))?" + _NOTHING_MORE

#: Right after a town: where :data:`BARE_NUMBER` starts the blocks, the notations above in one
#: match (the groups of the alternative that matched hold the numbers, the others None). Where
#: it fails, BARE_NUMBER and parse_units decide (a test compares this with parse_units).
REGULAR_AFTER_TOWN = re.compile(
    f"(?={BARE_NUMBER.pattern})(?:{SIMPLE.pattern}|{OFFICIAL.pattern}|{_UNIT_THEN_DASH})"
)


def number(digits: str) -> str:
    return digits.lstrip("0") or "0"


def parse_blocks(text: str, start: int) -> Blocks:
    """Read block numbers from ``text[start:]`` until something that is not one."""
    simple = SIMPLE.match(text, start)
    if simple:
        return Blocks(tuple(filter(None, simple.groups())), False, simple.end())
    return parse_units(text, start)


def parse_units(text: str, start: int) -> Blocks:
    """:func:`parse_blocks` for text that :data:`SIMPLE` does not match (units, の, letters)."""
    numbers: list[str] = []
    chome_written = False
    pos = start
    size = len(text)
    after_dash = False
    while pos < size:
        match = _TOKEN.match(text, pos)
        if not match:
            letter = _LETTER.match(text, pos) if after_dash else None
            if letter is None:
                break
            numbers.append(letter.group(1).upper())
            pos = letter.end()
            after_dash = False
            continue
        numbers.append(number(match.group(1)))
        unit = match.group(2)
        pos = match.end()
        if unit == "丁目" and len(numbers) == 1:
            chome_written = True
        if pos >= size:
            break
        ch = text[pos]
        if unit == "号" and not (ch in "-の" and text[pos + 1 : pos + 2].isdigit()):
            break  # 18号の4, 18号-4: a 枝番 after 号 (it joins the TAIL)
        if ch in _SEPARATORS and pos + 1 < size and (text[pos + 1].isdigit() or ch == "-"):
            pos += 1
            after_dash = ch == "-"
        elif unit and ch.isdigit():
            after_dash = False
        else:
            break
    return Blocks(tuple(numbers), chome_written, pos)
