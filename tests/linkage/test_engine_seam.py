"""The engine seam's Python hooks, on every engine: :meth:`Engine.map_table` runs a function
where the rows are (on Spark, in the executors' Python workers, never on the driver) and
:meth:`Engine.batches` streams an ordered result a batch at a time."""

from __future__ import annotations

import os

import pyarrow as pa

from tenken.linkage import keys
from tenken.linkage.engine import BATCH_ROWS, Engine


def test_map_table_gives_the_function_s_rows_for_the_query_s_rows(engine: Engine) -> None:
    """The statuses of the name pairs the query selects, as the function gives them for all
    the pairs at once, whatever the split into batches."""
    names = ["渡辺 一郎", "渡邊 一郎", "渡辺 〓郎", "佐藤 花子", "佐藤 花", ""]
    pairs = pa.table({"a": [a for a in names for _ in names], "b": names * len(names)})
    engine.register("pairs_in", pairs)
    engine.map_table(
        "status_out", "SELECT a, b FROM pairs_in", keys.name_comparisons, keys.NAME_CMP_SCHEMA
    )
    got = engine.arrow("SELECT a, b, status FROM status_out ORDER BY a, b").to_pylist()
    expected = keys.name_comparisons(pairs).to_pylist()
    assert got == sorted(expected, key=lambda r: (r["a"], r["b"]))


def test_map_table_runs_where_the_rows_are(engine: Engine) -> None:
    """DuckDB calls the function in this process; Spark in its Python workers (so the driver
    never holds a per-record or per-name table)."""
    engine.register("values_in", pa.table({"v": [f"v{k}" for k in range(100)]}))
    schema = pa.schema([("v", pa.string()), ("pid", pa.int64())])
    engine.map_table(
        "pids_out",
        "SELECT v FROM values_in",
        lambda table: pa.table(
            {"v": table.column(0), "pid": pa.array([os.getpid()] * table.num_rows, pa.int64())}
        ),
        schema,
    )
    rows = engine.arrow("SELECT v, pid FROM pids_out").to_pylist()
    assert sorted(r["v"] for r in rows) == sorted(f"v{k}" for k in range(100))
    in_driver = {r["pid"] for r in rows} == {os.getpid()}
    assert in_driver == (engine.dialect.name == "duckdb")


def test_batches_stream_the_query_in_its_order(engine: Engine) -> None:
    n = 2 * BATCH_ROWS + 17
    shuffled = [(k * 7919) % n for k in range(n)]
    engine.register("rows_in", pa.table({"row": pa.array(shuffled, pa.int64())}))
    sizes, seen = [], []
    for batch in engine.batches("SELECT row FROM rows_in ORDER BY row"):
        sizes.append(batch.num_rows)
        seen.extend(batch.column(0).to_pylist())
    assert seen == list(range(n))
    assert max(sizes) <= BATCH_ROWS
