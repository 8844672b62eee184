"""Dates of birth: every notation we promise, exact era boundaries, clear errors."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tenken.errors import NormalizeError
from tenken.normalize.date import ERAS, parse_date, to_era

D = dt.date(1970, 1, 23)


@pytest.mark.parametrize(
    "text",
    [
        "1970-01-23", "1970/1/23", "1970.1.23", "19700123", "1970年1月23日", "１９７０－０１－２３",
        "昭和45年1月23日", "昭和４５年１月２３日", "昭和四十五年一月二十三日", "昭45.1.23",
        "S45.1.23", "s45.1.23", "S.45.1.23", "S450123", "3450123", " 1970/01/23 ",
    ],
)  # fmt: skip
def test_every_notation_of_one_date_parses_to_it(text: str) -> None:
    """Western, full-width, 和暦 (kanji, abbreviated, era-coded 7 digits) all give 1970-01-23."""
    assert parse_date(text) == D


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("令和元年5月1日", dt.date(2019, 5, 1)),
        ("R5.7.21", dt.date(2023, 7, 21)),
        ("H31.4.30", dt.date(2019, 4, 30)),
        ("平成元年1月8日", dt.date(1989, 1, 8)),
        ("昭和64年1月7日", dt.date(1989, 1, 7)),
        ("明治45年7月30日", dt.date(1912, 7, 30)),
        ("大正元年7月30日", dt.date(1912, 7, 30)),
        ("大正15年12月25日", dt.date(1926, 12, 25)),
        ("昭和元年12月25日", dt.date(1926, 12, 25)),
        ("1120101", dt.date(1879, 1, 1)),
        ("5010501", dt.date(2019, 5, 1)),
    ],
)
def test_era_boundary_days_that_exist(text: str, expected: dt.date) -> None:
    """The first and last days of each era, including the two shared change-over days."""
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("平成31年5月1日", "平成は2019年4月30日まで"),
        ("昭和64年1月8日", "昭和は1989年1月7日まで"),
        ("明治45年7月31日", "明治は1912年7月30日まで"),
        ("大正15年12月26日", "大正は1926年12月25日まで"),
        ("大正元年7月29日", "大正は1912年7月30日から"),
        ("令和元年4月30日", "令和は2019年5月1日から"),
        ("平成元年1月7日", "平成は1989年1月8日から"),
        ("明治5年1月1日", "旧暦"),
        ("2023-02-29", "存在しない日付"),
        ("昭和45年2月30日", "存在しない日付"),
        ("4310501", "平成は2019年4月30日まで"),
        ("1970-13-01", "存在しない日付"),
        ("", "空"),
        ("きのう", "読めません"),
        ("1" * 10_000_000, "長すぎます"),
        ("1970\x00-01-23\U0001f600", "読めません"),
    ],
)
def test_impossible_dates_raise_a_clear_japanese_error(text: str, fragment: str) -> None:
    """Dates outside their era or the calendar are refused, and the message says why."""
    with pytest.raises(NormalizeError) as info:
        parse_date(text)
    assert fragment in info.value.message
    assert info.value.hint


def test_eras_are_contiguous() -> None:
    """Each era starts on the day the previous one ends, or the day after it."""
    for before, after in itertools.pairwise(ERAS):
        assert before.last is not None
        assert (after.first - before.last).days in (0, 1)


@settings(deadline=None)
@given(st.dates(min_value=dt.date(1873, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_era_rendering_round_trips(value: dt.date) -> None:
    """Any date written in 和暦 by to_era parses back to itself."""
    assert parse_date(to_era(value)) == value
    assert parse_date(value.strftime("%Y%m%d")) == value
