"""The engine seam's Python hooks, on every engine: :meth:`Engine.map_table` runs a function
where the rows are (on Spark, in the executors' Python workers, never on the driver) and
:meth:`Engine.batches` streams an ordered result a batch at a time."""

from __future__ import annotations

import os

import pyarrow as pa

from tenken.linkage import keys
from tenken.linkage.engine import BATCH_ROWS, Engine
from tenken.normalize.mynumber import mask
from tests.linkage import fixtures


def test_map_table_gives_the_function_s_rows_for_the_query_s_rows(engine: Engine) -> None:
    """The masks of the numbers the query selects (blank ones left out), whatever the split
    into batches."""
    numbers = [fixtures.number(k) for k in range(1, 40)]
    engine.register("numbers_in", pa.table({"mn": [*numbers, "", None]}))
    engine.map_table(
        "masked_out", "SELECT DISTINCT mn AS v FROM numbers_in", keys.mask_table, keys.MASKS_SCHEMA
    )
    got = engine.arrow("SELECT mn, masked FROM masked_out ORDER BY mn").to_pylist()
    assert got == [{"mn": n, "masked": mask(n)} for n in sorted(numbers)]


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
