"""Reading keys in SQL (tenken.linkage.readings) are reading_key's answers, on every engine."""

from __future__ import annotations

import itertools

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from tenken.linkage import inspection, readings
from tenken.linkage import tables as t
from tenken.linkage.engine import DuckDBEngine, Engine
from tenken.normalize.name import reading_key

_MARKS = ["ﾞ", "ﾟ", "\u3099", "\u309a", "\u309b", "\u309c"]
# The engine's alphabet, the sound marks and characters that send a reading to Python
_OTHERS = ["山", "A", "\t", "\ue000", "〓", "ヿ", "゠", "。", "\u00a0"]
_CHARS = st.sampled_from(sorted(readings.images()) + _MARKS + _OTHERS)


def _sql_keys(engine: Engine, values: list[str]) -> dict[str, str | None]:
    """readings.reading_key_sql over ``values`` (None where the engine leaves it to Python)."""
    d = engine.dialect
    engine.register("reading_in", pa.table({"i": range(len(values)), "v": values}))
    key = readings.reading_key_sql(d, "v", "t")
    text = readings.reading_text_sql(d, "v")
    sql = f"SELECT v, {key} AS k FROM (SELECT v, {text} AS t FROM reading_in) x"
    return {row["v"]: row["k"] for row in engine.arrow(sql).to_pylist()}


_DUCKDB = DuckDBEngine()


def test_every_two_characters() -> None:
    """Every string of two characters of the alphabet or sound marks: the engine's key is
    reading_key's (composition, each character's image, the long-vowel rule), and the engine
    keys every such string without a sound mark it cannot compose."""
    chars = sorted(readings.images()) + _MARKS
    values = ["".join(p) for p in itertools.product(chars, repeat=2)]
    got = _sql_keys(_DUCKDB, values)
    keyed = {v: k for v, k in got.items() if k is not None}
    assert len(values) > 60_000 and len(keyed) > 55_000
    assert keyed == {v: reading_key(v) for v in keyed}
    alphabet = set(readings.images())
    assert all(got[v] is not None for v in values if set(v) <= alphabet)


@settings(deadline=None, max_examples=300)
@given(st.lists(st.text(_CHARS, min_size=1, max_size=12), min_size=1, max_size=20))
def test_any_reading(values: list[str]) -> None:
    """Any text of kana, spaces, marks and other characters: NULL or reading_key."""
    got = _sql_keys(_DUCKDB, values)
    assert all(k is None or k == reading_key(v) for v, k in got.items())


_READINGS = [
    "ｻﾄｳ ﾀﾛｳ", "サトー　タロウ", "サト ウ", "ｶﾞｸ", "ｱﾞｲ", "カﾞク", "ﾊﾟﾊﾞ", "ｳﾞｨ", "エイジユ",
    "ヂヅヲヴヰヱ", "やまだ　はなこ", "オオオ", "コウウ", "ケイイ", "ヤマダ・ハナコ", "山田",
    "ア" * 201, "ア" * 200, "キャ\t", "\ue000ア", "ワ\u3099",
]  # fmt: skip


def test_kana_keys_on_every_engine(engine: Engine) -> None:
    """kana_keys through the engine (SQL and the Python rest) is reading_key of each reading;
    readings of other characters, sound marks that do not compose or longer than the limit
    are left to Python."""
    got = _sql_keys(engine, _READINGS)
    python = {v for v, k in got.items() if k is None}
    assert python == {"ｱﾞｲ", "カﾞク", "山田", "ア" * 201, "キャ\t", "\ue000ア", "ワ\u3099"}
    rows = [{"rkana": v, "skana": "ン"} for v in _READINGS]
    schema = pa.schema([("rkana", pa.string()), ("skana", pa.string())])
    engine.register(t.LP_OPEN, pa.Table.from_pylist(rows, schema=schema))
    inspection.kana_keys(engine)
    table = engine.arrow(f"SELECT raw, key FROM {t.KANA_KEYS}").to_pylist()
    assert {r["raw"]: r["key"] for r in table} == {v: reading_key(v) for v in [*_READINGS, "ン"]}
