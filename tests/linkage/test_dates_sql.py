"""Japanese-era dates read in SQL (checks.era_date) are parse_date's answers, on every engine."""

from __future__ import annotations

import datetime as dt
import re

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from tenken.errors import NormalizeError
from tenken.linkage import checks
from tenken.linkage.engine import DuckDBEngine, Engine
from tenken.normalize.date import parse_date


def _read(engine: Engine, texts: list[str]) -> dict[str, dt.date | None]:
    engine.register("era_in", pa.table({"v": pa.array(texts, pa.string())}))
    sql = f"SELECT v, {checks.era_date(engine.dialect, 'v')} AS d FROM era_in"
    return {r["v"]: r["d"] for r in engine.arrow(sql).to_pylist()}


def _parsed(text: str) -> dt.date | None:
    try:
        return parse_date(text)
    except NormalizeError:
        return None


_DUCKDB = DuckDBEngine()
_NUMBER = st.one_of(st.integers(0, 99).map(str), st.sampled_from(["元", "01", "００", "1 ", ""]))


@settings(deadline=None, max_examples=300)
@given(st.lists(st.tuples(st.sampled_from(["明治", "大正", "昭和", "平成", "令和", "S", "昭"]),
                          _NUMBER, _NUMBER, _NUMBER, st.sampled_from(["日", ""])),
                min_size=1, max_size=30))  # fmt: skip
def test_era_dates_read_in_sql_are_parse_dates_answers(parts: list[tuple[str, ...]]) -> None:
    """Any era, year, month and day: a date the engine reads is the one parse_date gives,
    and every era date in full ASCII digits that parse_date reads is read by the engine."""
    texts = [f"{e}{y}年{m}月{d}{end}" for e, y, m, d, end in parts]
    for text, day in _read(_DUCKDB, texts).items():
        expected = _parsed(text)
        assert day is None or day == expected, text
        if re.fullmatch(checks.ERA_DATE, text):
            assert day == expected, text


_TEXTS = [
    "昭和55年1月2日", "令和元年5月1日", "平成31年4月30日", "平成31年5月1日", "昭和64年1月7日",
    "昭和64年1月8日", "明治45年7月30日", "大正元年7月30日", "大正15年12月25日", "昭和元年12月25日",
    "明治5年12月31日", "明治6年1月1日", "昭和0年1月1日", "平成2年2月30日", "令和99年12月31日",
    "昭和55年01月02日", "昭和５５年1月2日", "S55.1.2", "昭和55年1月2", "昭和 55年1月2日",
]  # fmt: skip


def test_era_dates_on_every_engine(engine: Engine) -> None:
    """The era's first and last days (both names on the days the era changed), days that do
    not exist and other spellings (left to parse_date) read alike on DuckDB and Spark."""
    got = _read(engine, _TEXTS)
    read = {v for v, day in got.items() if day is not None}
    assert read == {
        "昭和55年1月2日", "令和元年5月1日", "平成31年4月30日", "昭和64年1月7日", "明治45年7月30日",
        "大正元年7月30日", "大正15年12月25日", "昭和元年12月25日", "明治6年1月1日",
        "令和99年12月31日", "昭和55年01月02日",
    }  # fmt: skip
    assert all(got[v] == parse_date(v) for v in read)
    written_in_full = {v for v in _TEXTS if re.fullmatch(checks.ERA_DATE, v)}
    assert all(_parsed(v) is None for v in written_in_full - read)
