"""Read a registry's 外字 table (外字対応表): which character each private-use code stands for.

CSV (or Excel) with the columns 外字コード — ``U+E000``, ``E000`` or the code itself — and
文字 — the character, as Unicode, with its IVS when the 字形 needs one (``葛󠄀``). Rows of a
code the vendor could not identify are left out; those names stay unverifiable.
"""

from __future__ import annotations

import re
from pathlib import Path

from tenken.errors import InputError
from tenken.linkage.columns import Column
from tenken.linkage.readers import read
from tenken.normalize.gaiji import is_private_use

GAIJI_COLUMNS = (Column("外字コード", "code"), Column("文字", "char"))
_HEX = re.compile(r"(?:U\+|u\+|0x)?([0-9A-Fa-f]{4,6})")
_HINT = "外字コードは U+E000 の形、文字は対応する漢字1字（IVS付きも可）"


def _code(value: str) -> str | None:
    value = value.strip()
    match = _HEX.fullmatch(value)
    ch = chr(int(match.group(1), 16)) if match and int(match.group(1), 16) <= 0x10FFFF else value
    return ch if len(ch) == 1 and is_private_use(ch) else None


def _char(value: str) -> str | None:
    value = value.strip()
    if not value or len(value) > 2 or any(is_private_use(ch) for ch in value):
        return None
    return value


def load_gaiji_table(path: Path) -> dict[str, str]:
    """Private-use code → character; a bad or repeated row stops with its place in the file."""
    loaded = read(path, GAIJI_COLUMNS, {})
    table: dict[str, str] = {}
    codes = loaded.table.column("code").to_pylist()
    chars = loaded.table.column("char").to_pylist()
    for index, (raw_code, raw_char) in enumerate(zip(codes, chars, strict=True)):
        code, char = _code(raw_code or ""), _char(raw_char or "")
        problem = (
            "外字コードが私用領域（U+E000–U+F8FF など）のコードではありません" if code is None
            else "文字が空か、1字（IVS付き）ではありません" if char is None
            else "同じ外字コードが2回あります" if code in table
            else None
        )  # fmt: skip
        if problem is not None:
            column = "code" if code is None or code in table else "char"
            raise InputError(problem, location=loaded.location(index, column), hint=_HINT)
        assert code is not None and char is not None
        table[code] = char
    return table
