"""Block numbers (丁目・番地・号) after the town.

「5丁目-4-3」「五丁目4番3号」「５丁目４番地の３」 all read as 5, 4, 3.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tenken.normalize._text import KANJI_NUMERALS, number_value

_K = KANJI_NUMERALS
_UNIT = r"丁目|番地|番(?![町丁])|号|地割"
_TOKEN = re.compile(rf"(?P<num>[0-9]+|[{_K}]+)(?P<unit>{_UNIT})?")
_NEXT_NUMBER = re.compile(rf"[-のノ之]?(?=[0-9]|[{_K}]+(?:{_UNIT}))|-(?=[{_K}])")

#: Where the block numbers start in text after the town name: an arabic number not glued to a
#: following kanji (北1条 is a name), or a kanji number with a unit (二丁目, 三番).
BLOCK_START = re.compile(
    rf"[0-9]+(?=丁目|番|号|地割|之|[^0-9\u3400-\u9fff\U00020000-\U0003ffff]|$)|[{_K}]+(?=(?:{_UNIT}))"
)


@dataclass(frozen=True)
class Blocks:
    """Numbers found, whether the first one was written as 丁目, and where the numbers end."""

    numbers: tuple[int, ...]
    chome_written: bool
    end: int


#: The common case, arabic numbers joined by hyphens and nothing number-like after them.
_SIMPLE = re.compile(r"([0-9]+)(?:-([0-9]+))?(?:-([0-9]+))?(?![0-9丁番号地のノ之-])")


def parse_blocks(text: str, start: int) -> Blocks:
    """Read block numbers from ``text[start:]`` until something that is not one."""
    simple = _SIMPLE.match(text, start)
    if simple:
        found = tuple([int(n) for n in simple.groups() if n is not None])
        return Blocks(found, False, simple.end())
    numbers: list[int] = []
    chome_written = False
    pos = start
    while True:
        match = _TOKEN.match(text, pos)
        if not match:
            break
        value = number_value(match.group("num"))
        unit = match.group("unit")
        if value is None or (not unit and not match.group("num").isascii() and not numbers):
            break
        numbers.append(value)
        pos = match.end()
        if unit == "丁目" and len(numbers) == 1:
            chome_written = True
        if unit == "号":
            break
        sep = _NEXT_NUMBER.match(text, pos)
        if not sep:
            break
        if not unit and not sep.group():
            break
        pos = sep.end()
    return Blocks(tuple(numbers), chome_written, pos)
