"""The same verdicts on every engine, and SQL builders tested with literal rows per engine.

Each test runs on DuckDB and on Spark in local mode (marker ``spark``; skipped when pyspark or
Java is missing), through the session-scoped ``engine_name`` of tests/linkage/conftest.py.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from typer.testing import CliRunner

from tenken.cli import app
from tenken.linkage import fastpath, synth
from tenken.linkage import sql as q
from tenken.linkage.engine import ENGINES, Engine, Step
from tenken.linkage.inspection import run
from tenken.normalize.mynumber import is_valid
from tests.linkage import fixtures


def _rows(engine: Engine, sql: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = engine.arrow(sql).to_pylist()
    return rows


def _verdicts(path: Path) -> list[dict[str, str]]:
    with (path / "verdicts.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_cli_offers_exactly_the_registered_engines() -> None:
    """--engine names come from the one registry; an unknown one lists them."""
    assert set(ENGINES) == {"duckdb", "spark"}
    args = ["inspect", "--registry", "a.csv", "--records", "b.csv", "--out", "o"]
    result = CliRunner().invoke(app, [*args, "--engine", "oracle"])
    assert result.exit_code == 2
    assert "oracle" in result.output and "duckdb" in result.output and "spark" in result.output


def test_fixtures_get_their_verdicts_and_reasons(engine_name: str, tmp_path: Path) -> None:
    """Every hand-written case gets its verdict and reasons on this engine."""
    registry, records = fixtures.write(tmp_path)
    run(registry, records, tmp_path / "out", engine_name=engine_name)
    got = {row["制度固有番号"]: row for row in _verdicts(tmp_path / "out")}
    for record, verdict, reasons in fixtures.RECORDS:
        row = got[record[0]]
        assert row["verdict"] == verdict, record[0]
        assert set(filter(None, row["reasons"].split(";"))) >= reasons, record[0]


def test_synthetic_population_gets_the_verdicts_of_duckdb(engine_name: str, tmp_path: Path) -> None:
    """On a synthetic population every record gets DuckDB's verdict, reasons and evidence
    (byte-identical verdicts.csv), and the summary counts agree."""
    paths = synth.write(synth.generate(1500, 5), tmp_path / "data")
    args = (paths["registry"], paths["records"])
    reference = run(*args, tmp_path / "duckdb", truth=paths["truth"])
    summary = run(*args, tmp_path / engine_name, truth=paths["truth"], engine_name=engine_name)
    assert summary["verdicts"] == reference["verdicts"]
    assert summary["recall"] == reference["recall"] == 1.0
    expected = (tmp_path / "duckdb" / "verdicts.csv").read_bytes()
    assert (tmp_path / engine_name / "verdicts.csv").read_bytes() == expected
    assert (tmp_path / engine_name / "review.xlsx").is_file()


def test_a_review_list_longer_than_a_sheet_loses_no_row(engine: Engine, tmp_path: Path) -> None:
    """With two rows per sheet, review.xlsx holds the one-sheet list's rows on further sheets,
    in input order, each sheet with its header."""
    from openpyxl import load_workbook

    from tenken.linkage import inspection
    from tenken.linkage.outputs import REVIEW_HEADERS, write_review

    registry, records = fixtures.write(tmp_path)
    inspection.inspect(engine, inspection.load(engine, registry, records, {}))
    total = write_review(engine, tmp_path / "one.xlsx")
    assert write_review(engine, tmp_path / "many.xlsx", per_sheet=2) == total > 4
    (one,) = load_workbook(tmp_path / "one.xlsx").worksheets
    many = load_workbook(tmp_path / "many.xlsx").worksheets
    assert len(many) == (total + 1) // 2
    expected = list(one.iter_rows(values_only=True))
    got = [row for sheet in many for row in list(sheet.iter_rows(values_only=True))[1:]]
    assert all(next(sheet.iter_rows(values_only=True)) == REVIEW_HEADERS for sheet in many)
    assert got == expected[1:]


# Splink-style tests of the SQL builders: literal input rows, the expected output rows.


def test_number_status_and_cleaning(engine: Engine) -> None:
    d = engine.dialect
    good = fixtures.number(1)
    rows = [good, "１２３４ ５６７８ ９０１２", fixtures.typo(good), "12345", "", None]
    engine.register("nums", pa.table({"raw": pa.array(rows, pa.string())}))
    engine.run(Step("cleaned", f"SELECT raw, {q.clean_number(d, 'raw')} AS mn FROM nums"))
    got = _rows(engine, f"SELECT raw, mn, {q.number_status(d, 'mn')} AS st FROM cleaned")
    status = {r["raw"]: (r["mn"], r["st"]) for r in got}
    assert status[good] == (good, "ok")
    assert status["１２３４ ５６７８ ９０１２"] == ("123456789012", "check")
    assert status[fixtures.typo(good)] == (fixtures.typo(good), "check")
    assert status["12345"] == ("12345", "format")
    assert status[""] == (None, "none") and status[None] == (None, "none")


def test_check_digit_is_the_normalisers_rule(engine: Engine) -> None:
    """number_status says 'ok' exactly for the numbers mynumber.is_valid accepts: every check
    digit after many first elevens (leading zeros, all nines), with and without the cast
    given as a column."""
    pick = random.Random(14)
    firsts = ["00000000000", "99999999999", "12345678901"]
    firsts += [f"{pick.randrange(10**11):011d}" for _ in range(60)]
    numbers = [f + str(k) for f in firsts for k in range(10)]
    d = engine.dialect
    engine.register("cd_in", pa.table({"mn": pa.array(numbers, pa.string())}))
    sql = (
        f"SELECT mn, {q.number_status(d, 'mn')} AS a, {q.number_status(d, 'mn', 'n')} AS b "
        f"FROM (SELECT mn, {d.try_long('mn')} AS n FROM cd_in) x"
    )
    got = _rows(engine, sql)
    assert len(got) == len(numbers)
    for row in got:
        expected = "ok" if is_valid(row["mn"]) else "check"
        assert row["a"] == row["b"] == expected, row["mn"][-4:]


def test_aggregates_and_hamming(engine: Engine) -> None:
    d = engine.dialect
    table = pa.table({"g": ["a", "a", "a", "b"], "v": ["y", "x", "y", None]})
    engine.register("agg_in", table)
    got = _rows(
        engine, f"SELECT g, {d.string_agg('v', ' / ')} AS s FROM agg_in GROUP BY g ORDER BY g"
    )
    assert got == [{"g": "a", "s": "x / y"}, {"g": "b", "s": None}]
    pairs = pa.table({"a": ["123456789012", "123456789012"], "b": ["123456789013", "923456789013"]})
    engine.register("ham_in", pairs)
    got = _rows(engine, f"SELECT {d.hamming('a', 'b')} AS n FROM ham_in ORDER BY n")
    assert [r["n"] for r in got] == [1, 2]


def test_quoting_escaping_and_casts(engine: Engine) -> None:
    d = engine.dialect
    text = "it's a \\ back'slash"
    got = _rows(engine, f"SELECT {d.literal(text)} AS {d.quote('制度固有番号')}, "
                f"{d.cast_text('DATE ' + d.literal('2020-01-02'))} AS day")  # fmt: skip
    assert got == [{"制度固有番号": text, "day": "2020-01-02"}]
    engine.register("re_in", pa.table({"v": ["123456789012", "12345678901\n2", "x1"]}))
    got = _rows(
        engine,
        f"SELECT v, {d.full_match('v', '[0-9]{12}')} AS full, "
        f"{d.contains_match('v', '[0-9]')} AS part, {d.extract('v', '([a-z])([0-9])', 2)} AS e "
        "FROM re_in ORDER BY v",
    )
    by_value = {r["v"]: (r["full"], r["part"], r["e"]) for r in got}
    assert by_value == {
        "123456789012": (True, True, ""),
        "12345678901\n2": (False, True, ""),  # no match across a line break
        "x1": (False, True, "1"),
    }


def test_rewrite_keeps_the_rest_and_writes_literal_text(engine: Engine) -> None:
    """Dialect.rewrite: the groups and the literal text (a $ and a backslash included) in place
    of the match, the rest kept, a value without a match unchanged."""
    d = engine.dialect
    engine.register("rw_in", pa.table({"v": ["ab12cd34ef", "xyz"]}))
    rewritten = d.rewrite("v", "^([a-z]*)([0-9]+)[a-z]+([0-9]+)", (1, "$\\", 2, "-", 3))
    got = {r["v"]: r["w"] for r in _rows(engine, f"SELECT v, {rewritten} AS w FROM rw_in")}
    assert got == {"ab12cd34ef": "ab$\\12-34ef", "xyz": "xyz"}


def test_fast_path_steps_with_literal_rows(engine: Engine) -> None:
    """The fast path's SQL gives the same canonical forms on every engine."""
    rows = {
        "東京都千代田区霞が関５丁目４番３号　メゾン１０１": "東京都千代田区霞が関5-4-3メゾン101",
        "東京都千代田区霞が関五丁目4番3号メゾン101": "東京都千代田区霞が関5-4-3メゾン101",
        "大阪府堺市北区１番地２": "大阪府堺市北区1-2",
        "宮城県仙台市若林区六丁目1番2号": "宮城県仙台市若林区六丁目1番2号",  # a town named 六丁目
        "ﾄｳｷｮｳ1-2": "ﾄｳｷｮｳ1-2",
        "神奈川県鎌倉市腰越八百十番地二十": "神奈川県鎌倉市腰越810-20",
        "東京都港区三田二丁目十五番四十五号": "東京都港区三田2-15-45",
        "東京都港区三田二丁目一五番四五号": "東京都港区三田2-15-45",
    }
    engine.register("fp_in", pa.table({"v": list(rows)}))
    fastpath.canonical(engine, "SELECT v FROM fp_in")
    got = {r["raw"]: r["c"] for r in _rows(engine, "SELECT raw, c FROM addr_canon")}
    assert got == rows


def test_lookup_maps_a_normaliser_over_distinct_values(engine: Engine) -> None:
    """Engine.lookup: raw -> key for each distinct value (on the executors for Spark)."""
    from tenken.normalize.address import address_key

    values = ["東京都千代田区霞が関5-4-3", "東京都千代田区霞が関五丁目4番3号", ""]
    engine.register("lk_in", pa.table({"v": values}))
    engine.lookup("lk_out", "SELECT DISTINCT v FROM lk_in", address_key)
    got = {r["raw"]: r["key"] for r in _rows(engine, "SELECT raw, key FROM lk_out")}
    assert got == {v: address_key(v) for v in values if v}


def test_duckdb_lookup_in_slices_gives_the_whole_table(monkeypatch: pytest.MonkeyPatch) -> None:
    """DuckDBEngine.lookup holds one slice of values at a time; the table is the same."""
    from tenken.linkage import engine as engines

    values = [f"v{k}" for k in range(7)]
    duck = engines.DuckDBEngine(threads=1)
    try:
        duck.register("sl_in", pa.table({"v": [*values, "", "v1"]}))
        monkeypatch.setattr(engines, "LOOKUP_SLICE", 2)
        duck.lookup("sl_out", "SELECT DISTINCT v FROM sl_in", str.upper)
        got = {r["raw"]: r["key"] for r in _rows(duck, "SELECT raw, key FROM sl_out")}
        duck.release("sl_out", "sl_in")
    finally:
        duck.close()
    assert got == {v: v.upper() for v in values}


def test_duckdb_prints_nothing_of_its_own_on_long_queries() -> None:
    """DuckDB's progress bar would write to stdout during the inspection's long steps: in a
    terminal it garbles the CLI's display, into an unread pipe it blocks the run."""
    from tenken.linkage.engine import DuckDBEngine

    engine = DuckDBEngine()
    try:
        shown = engine.arrow("SELECT current_setting('enable_progress_bar') AS on").column(0)
        assert shown.to_pylist() == [False]
    finally:
        engine.close()
