"""Dates of birth: western and Japanese-era notations to ``datetime.date``.

Understood: 1970-01-23, 1970/1/23, 1970.1.23, 19700123, 1970年1月23日 (full width too);
昭和45年1月23日, 昭和四十五年一月二十三日, 令和元年5月1日, 昭45.1.23; S45.1.23, R5.7.21, H31.4.30,
S450123; and the resident-registry era-coded 7 digits (1=明治, 2=大正, 3=昭和, 4=平成, 5=令和:
3450123 = 昭和45年1月23日).

Era ranges are strict. On the two days when an emperor died and the era changed the same day,
both names are correct (明治45年7月30日 = 大正元年7月30日, 大正15年12月25日 = 昭和元年12月25日);
平成31年5月1日 and 昭和64年1月8日 do not exist. 明治5年以前 used the lunisolar calendar and is
refused.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from tenken.errors import NormalizeError
from tenken.normalize._text import KANJI_NUMERALS, clean, kanji_to_int

_HINT = "例: 1970-01-23、19700123、昭和45年1月23日、S45.1.23、3450123（元号コード+年月日）"
_MAX_CHARS = 64


@dataclass(frozen=True)
class Era:
    """A Japanese era: its name, letter, registry code and first/last day."""

    name: str
    letter: str
    code: str
    first: dt.date  # 元年 is first.year
    last: dt.date | None
    earliest: dt.date  # earliest day accepted (明治: solar calendar only)


ERAS: tuple[Era, ...] = (
    Era("明治", "M", "1", dt.date(1868, 10, 23), dt.date(1912, 7, 30), dt.date(1873, 1, 1)),
    Era("大正", "T", "2", dt.date(1912, 7, 30), dt.date(1926, 12, 25), dt.date(1912, 7, 30)),
    Era("昭和", "S", "3", dt.date(1926, 12, 25), dt.date(1989, 1, 7), dt.date(1926, 12, 25)),
    Era("平成", "H", "4", dt.date(1989, 1, 8), dt.date(2019, 4, 30), dt.date(1989, 1, 8)),
    Era("令和", "R", "5", dt.date(2019, 5, 1), None, dt.date(2019, 5, 1)),
)
_BY_KEY = {e.name: e for e in ERAS} | {e.name[0]: e for e in ERAS} | {e.letter: e for e in ERAS}
_BY_CODE = {e.code: e for e in ERAS}

_WESTERN = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
_EIGHT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_CODED = re.compile(r"([1-5])(\d{2})(\d{2})(\d{2})")
_ERA = re.compile(
    r"(明治|大正|昭和|平成|令和|[明大昭平令MTSHR])\.?(元|\d{1,2})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
)
_ERA_COMPACT = re.compile(r"([MTSHR])(\d{2})(\d{2})(\d{2})")
_KANJI_NUMBER = re.compile(f"[{KANJI_NUMERALS}]+")


def _kanji_numbers_to_digits(text: str) -> str:
    return _KANJI_NUMBER.sub(lambda m: str(kanji_to_int(m.group()) or m.group()), text)


def _make(year: int, month: int, day: int, original: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise NormalizeError(
            f"存在しない日付です: {original}（{year}年{month}月{day}日）", hint=_HINT
        ) from None


def era_date(era: Era, year: int, month: int, day: int, original: str = "") -> dt.date:
    """The date of ``era`` year/month/day, checked against the era's exact range."""
    label = f"{era.name}{'元' if year == 1 else year}年{month}月{day}日"
    if year < 1:
        raise NormalizeError(f"{label}は存在しません（年は元年=1から）", hint=_HINT)
    value = _make(era.first.year + year - 1, month, day, original or label)
    if value < era.earliest:
        reason = (
            "明治5年以前は旧暦のため扱えません"
            if era.name == "明治"
            else f"{era.name}は{era.first.year}年{era.first.month}月{era.first.day}日から"
        )
        raise NormalizeError(f"{label}は存在しません（{reason}）", hint=_HINT)
    if era.last and value > era.last:
        raise NormalizeError(
            f"{label}は存在しません（{era.name}は{era.last.year}年{era.last.month}月"
            f"{era.last.day}日まで）",
            hint=_HINT,
        )
    return value


@lru_cache(maxsize=1 << 16)
def parse_date(text: str) -> dt.date:
    """Parse a date of birth; raises NormalizeError with a Japanese message when impossible.

    Results are cached (errors are not).
    """
    if not isinstance(text, str):
        raise NormalizeError("日付が文字列ではありません", hint=_HINT)
    value = clean(text, limit=_MAX_CHARS * 4)
    if not value:
        raise NormalizeError("日付が空です", hint=_HINT)
    if len(value) > _MAX_CHARS:
        raise NormalizeError(f"日付として長すぎます（{len(value)}文字）", hint=_HINT)
    compact = _kanji_numbers_to_digits(value.replace(" ", "").upper())
    if m := _WESTERN.fullmatch(compact) or _EIGHT.fullmatch(compact):
        return _make(int(m.group(1)), int(m.group(2)), int(m.group(3)), value)
    if m := _CODED.fullmatch(compact):
        era = _BY_CODE[m.group(1)]
        return era_date(era, int(m.group(2)), int(m.group(3)), int(m.group(4)), value)
    if m := _ERA.fullmatch(compact) or _ERA_COMPACT.fullmatch(compact):
        era = _BY_KEY[m.group(1)]
        year = 1 if m.group(2) == "元" else int(m.group(2))
        return era_date(era, year, int(m.group(3)), int(m.group(4)), value)
    raise NormalizeError(f"日付として読めません: {value[:40]}", hint=_HINT)


def to_era(value: dt.date) -> str:
    """A date in 和暦 (the later era on a day two eras share): 1970-01-23 → 昭和45年1月23日."""
    for era in reversed(ERAS):
        if value >= era.first:
            year = value.year - era.first.year + 1
            return f"{era.name}{'元' if year == 1 else year}年{value.month}月{value.day}日"
    return f"{value.year}年{value.month}月{value.day}日"
