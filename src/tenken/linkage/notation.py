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
