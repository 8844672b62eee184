"""Vectorised text building for the synthetic data (pyarrow compute, no per-row Python)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

KANJI_DIGITS = np.array(["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"], dtype=object)
_FULL_DIGITS = "０１２３４５６７８９"
_EPOCH = np.datetime64("1970-01-01", "D")


def cat(*parts: pa.Array | str) -> pa.Array:
    """Element-wise concatenation of string arrays and literal strings."""
    return pc.binary_join_element_wise(*parts, "")


def num(values: np.ndarray) -> pa.Array:
    """Integers as ASCII digit strings."""
    return pc.cast(pa.array(values), pa.string())


def full_width(text: pa.Array) -> pa.Array:
    """ASCII digits and hyphens replaced by their full-width forms."""
    for i, ch in enumerate(_FULL_DIGITS):
        text = pc.replace_substring(text, str(i), ch)
    return pc.replace_substring(text, "-", "－")


def choose(selector: np.ndarray, options: list[pa.Array]) -> pa.Array:
    """Pick, row by row, ``options[selector[i]][i]``."""
    result = options[0]
    for k in range(1, len(options)):
        result = pc.if_else(pa.array(selector == k), options[k], result)
    return result


def by_unique(values: np.ndarray, fn: Callable[[int], str]) -> pa.Array:
    """Apply ``fn`` once per distinct integer value and spread the results back."""
    uniq, inverse = np.unique(values, return_inverse=True)
    return pa.array([fn(int(v)) for v in uniq], pa.string()).take(pa.array(inverse))


def day_to_date(day: int) -> dt.date:
    """Days since 1970-01-01 as a date."""
    return dt.date(1970, 1, 1) + dt.timedelta(days=day)


def days(text: str) -> int:
    """An ISO date as days since 1970-01-01."""
    return int((np.datetime64(text, "D") - _EPOCH).astype(int))


def iso(values: np.ndarray) -> pa.Array:
    """Days since epoch as ISO dates (YYYY-MM-DD); negative sentinel -> null."""
    return by_unique(values, lambda d: day_to_date(d).isoformat())


_ERAS = ((days("2019-05-01"), 2019, "令和"), (days("1989-01-08"), 1989, "平成"))
_SHOWA = (days("1926-12-25"), 1926, "昭和")


def wareki(day: int) -> str:
    """A date in Japanese era notation (令和/平成/昭和), e.g. 昭和55年1月2日."""
    date = day_to_date(day)
    for start, base, era in (*_ERAS, _SHOWA):
        if day >= start:
            year = date.year - base + 1
            label = "元" if year == 1 else str(year)
            return f"{era}{label}年{date.month}月{date.day}日"
    return date.isoformat()


def slash(day: int) -> str:
    """A date as YYYY/M/D."""
    date = day_to_date(day)
    return f"{date.year}/{date.month}/{date.day}"


# --- Notation habits of real data (issue 15). Written apart from tenken.normalize on purpose:
# the synthetic data must not be produced by the code it tests.

_KANJI_ONES = "〇一二三四五六七八九"


def kanji_number(n: int) -> str:
    """``n`` in kanji with 十/百/千: 810 → 八百十, 2318 → 二千三百十八, 20 → 二十."""
    if n == 0:
        return "〇"
    out = []
    for value, unit in ((1000, "千"), (100, "百"), (10, "十")):
        digit, n = divmod(n, value)
        if digit:
            out.append(("" if digit == 1 else _KANJI_ONES[digit]) + unit)
    if n:
        out.append(_KANJI_ONES[n])
    return "".join(out)


def kanji_digits(n: int) -> str:
    """``n`` in positional kanji digits: 1234 → 一二三四."""
    return "".join(_KANJI_ONES[int(d)] for d in str(n))


_KANJI_VALUE = {ch: i for i, ch in enumerate(_KANJI_ONES)}


def _kanji_run_value(run: str) -> int | None:
    total, digit = 0, None
    for ch in run:
        if ch in "十百千":
            total += (digit or 1) * {"十": 10, "百": 100, "千": 1000}[ch]
            digit = None
        elif digit is None:
            digit = _KANJI_VALUE[ch]
        else:
            return None
    return total + (digit or 0)


def arabic_in_name(name: str) -> str:
    """A town name with its kanji numbers before 条/線/丁/番/号 in arabic digits, as systems
    write them (北二十四条西 → 北24条西, 十二番丁 → 12番丁); other names unchanged."""
    out: list[str] = []
    i = 0
    while i < len(name):
        j = i
        while j < len(name) and (name[j] in _KANJI_VALUE or name[j] in "十百千"):
            j += 1
        if j > i and j < len(name) and name[j] in "条線丁番号":
            value = _kanji_run_value(name[i:j])
            out.append(str(value) if value is not None else name[i:j])
            i = j
        elif j > i:
            out.append(name[i:j])
            i = j
        else:
            out.append(name[i])
            i += 1
    return "".join(out)


#: Standard → old form (旧字体) as people still write them in place and personal names.
OLD_FORMS = {
    "関": "關", "栄": "榮", "沢": "澤", "斎": "齋", "桜": "櫻", "広": "廣", "国": "國",
    "浜": "濱", "島": "嶋", "崎": "﨑", "高": "髙", "辺": "邊", "竜": "龍", "恵": "惠",
    "黒": "黑", "蔵": "藏", "条": "條", "会": "會", "渋": "澁", "滝": "瀧", "浅": "淺",
    "寿": "壽", "徳": "德", "真": "眞", "荘": "莊", "駅": "驛", "鉄": "鐵", "県": "縣",
    "斉": "齊",
}  # fmt: skip


def old_form(name: str) -> str:
    """``name`` with every character that has an old form in :data:`OLD_FORMS` replaced."""
    return "".join(OLD_FORMS.get(ch, ch) for ch in name)


_O_ROW = "オコソトノホモヨロゴゾドボポョ"
_SMALL_TO_LARGE = str.maketrans("ャュョァィゥェォ", "ヤユヨアイウエオ")


def kana_variant(kana: str) -> str:
    """Another spelling of one reading, as forms and systems write it: the long vowel ウ after
    the オ row as ー (サトウ → サトー) and small kana at full size (エイジュ → エイジユ)."""
    out: list[str] = []
    for ch in kana:
        out.append("ー" if ch == "ウ" and out and out[-1] in _O_ROW else ch)
    return "".join(out).translate(_SMALL_TO_LARGE)


FOREIGN_SURNAMES = (
    "NGUYEN", "TRAN", "LE", "PHAM", "HOANG", "KIM", "LEE", "PARK", "CHOI", "WANG", "LI",
    "ZHANG", "LIU", "CHEN", "SILVA", "SANTOS", "OLIVEIRA", "GARCIA", "REYES", "CRUZ",
    "JONES", "SMITH", "BROWN", "MILLER", "GURUNG", "SHRESTHA", "SINGH", "KHAN",
)  # fmt: skip
FOREIGN_GIVEN = (
    "VAN LONG", "THI HOA", "MINH", "DUC ANH", "MIN JUN", "SEO YEON", "JI HOON", "WEI",
    "XIAO MEI", "JUN", "MARIA", "JOSE", "ANA PAULA", "KRISTINE", "ROBERT", "MICHAEL",
    "JENNIFER", "DAVID", "SARAH", "RAM", "SITA", "AHMED", "FATIMA", "JOHN PAUL",
    "MARIA CLARA", "THANH TUNG", "NGOC LAN", "HYUN WOO", "YU NA", "LUCAS",
)  # fmt: skip


def foreign_name_variant(name: str, style: int) -> str:
    """How systems write a registry's upper-case alphabet name: title case, lower case,
    full width, a comma after the surname, or full-width title case with an ideographic space."""
    surname, _, given = name.partition(" ")
    if style == 1:
        return name.title()
    if style == 2:
        return name.lower()
    if style == 3:
        return _full_width_ascii(name).replace(" ", "\u3000")
    if style == 4:
        return f"{surname}, {given}"
    if style == 5:
        return _full_width_ascii(name.title()).replace(" ", "\u3000")
    return name


def _full_width_ascii(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)
