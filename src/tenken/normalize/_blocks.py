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


#: The common case, arabic numbers joined by hyphens and nothing number-like after them.
SIMPLE = re.compile(r"([0-9]+)(?:-([0-9]+))?(?:-([0-9]+))?(?![0-9丁番号地のノ之A-Za-z-])")


def number(digits: str) -> str:
    return digits.lstrip("0") or "0"


def parse_blocks(text: str, start: int) -> Blocks:
    """Read block numbers from ``text[start:]`` until something that is not one."""
    simple = SIMPLE.match(text, start)
    if simple:
        found = tuple([number(n) for n in simple.groups() if n is not None])
        return Blocks(found, False, simple.end())
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
