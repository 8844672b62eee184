"""DuckDB reads UTF-8 CSV and Parquet itself and gets the rows the Python readers get."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tenken.linkage.columns import RECORD_COLUMNS
from tenken.linkage.duck_input import native
from tenken.linkage.engine import DuckDBEngine
from tenken.linkage.readers import read
from tenken.linkage.tables import REC_IN
from tests.linkage import fixtures

HEADER = [c.header for c in RECORD_COLUMNS]


def _rows(path: Path) -> list[dict[str, object]]:
    duck = DuckDBEngine(threads=2)
    try:
        duck.load(REC_IN, path, RECORD_COLUMNS, {})
        got = duck.arrow(f"SELECT * FROM {REC_IN} ORDER BY row").to_pylist()
    finally:
        duck.close()
    return [{k: v for k, v in r.items() if k != "row"} for r in got]


def _csv_text() -> str:
    lines = [",".join(HEADER)]
    for k, (row, _, _) in enumerate(fixtures.RECORDS):
        values = list(row)
        if k == 1:
            values[HEADER.index("住所")] = '"東京都\r\n千代田区, ""本町"""'  # quoted, two lines
        if k == 2:
            values[HEADER.index("氏名カナ")] = '""'  # quoted empty
        if k == 3:
            values[HEADER.index("氏名カナ")] = ""  # empty
        lines.append(",".join(values))
        if k == 4:
            lines.append("")  # a blank line is not a record
    return "\ufeff" + "\r\n".join(lines) + "\r\n"


def test_utf8_csv_read_by_duckdb_gives_the_python_readers_rows(tmp_path: Path) -> None:
    path = tmp_path / "records.csv"
    path.write_text(_csv_text(), encoding="utf-8", newline="")
    assert native(path, RECORD_COLUMNS, {}) is not None
    assert _rows(path) == read(path, RECORD_COLUMNS, {}).table.to_pylist()


def test_parquet_of_strings_integers_and_dates_read_by_duckdb(tmp_path: Path) -> None:
    rows = [list(r) for r, _, _ in fixtures.RECORDS]
    columns: list[pa.Array] = [pa.array(list(c), pa.string()) for c in zip(*rows, strict=True)]
    linked = HEADER.index("紐付け日")
    columns[linked] = pa.array(
        [dt.date.fromisoformat(v) if v else None for v in columns[linked].to_pylist()], pa.date32()
    )
    columns[0] = pa.array(range(1, len(rows) + 1), pa.int32())  # 制度固有番号 as numbers
    path = tmp_path / "records.parquet"
    table = pa.Table.from_arrays(columns, names=HEADER).drop_columns(["氏名カナ"])
    pq.write_table(table, path)
    assert native(path, RECORD_COLUMNS, {}) is not None
    assert _rows(path) == read(path, RECORD_COLUMNS, {}).table.to_pylist()


@pytest.mark.parametrize("kind", ["cp932", "float"])
def test_files_the_engines_would_spell_differently_stay_on_the_arrow_reader(
    tmp_path: Path, kind: str
) -> None:
    rows = [list(r) for r, _, _ in fixtures.RECORDS]
    if kind == "cp932":
        path = tmp_path / "records.csv"
        text = "\n".join(",".join(r) for r in [HEADER, *rows]) + "\n"
        path.write_bytes(text.encode("cp932"))
    else:
        columns = [pa.array(list(c), pa.string()) for c in zip(*rows, strict=True)]
        # 制度固有番号 as floats: Arrow writes 1.0 as "1", DuckDB as "1.0"
        columns[0] = pa.array([float(k) for k in range(1, len(rows) + 1)], pa.float64())
        path = tmp_path / "records.parquet"
        pq.write_table(pa.Table.from_arrays(columns, names=HEADER), path)
    assert native(path, RECORD_COLUMNS, {}) is None
    assert _rows(path) == read(path, RECORD_COLUMNS, {}).table.to_pylist()


@pytest.mark.slow
def test_a_csv_read_in_parallel_keeps_its_rows_in_file_order(tmp_path: Path) -> None:
    """A file of several read buffers (DuckDB reads them on both threads): ``row`` is still
    each record's place in the file (read without keeping order, half the rows move)."""
    path = tmp_path / "records.csv"
    pad = "x" * 120
    body = "".join(f"R{k},a,,1980-01-02,1,{pad},123456789018,\n" for k in range(400_000))
    path.write_text(",".join(HEADER) + "\n" + body, encoding="utf-8")
    duck = DuckDBEngine(threads=2)
    try:
        duck.load(REC_IN, path, RECORD_COLUMNS, {})
        moved = duck.arrow(f"SELECT count(*) AS n FROM {REC_IN} WHERE rid <> 'R' || row")
    finally:
        duck.close()
    assert moved.to_pylist() == [{"n": 0}]
