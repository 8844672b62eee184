"""The lookup's workers (tenken.linkage.fanout): the same keys in process and on the pool."""

from __future__ import annotations

import multiprocessing as mp
import os
from functools import lru_cache, partial

import pyarrow as pa
import pytest

from tenken.errors import TenkenError
from tenken.linkage import engine as engines
from tenken.linkage import fanout


def _reverse(value: str, mark: str = "") -> str:
    return value[::-1] + mark


def test_plain_drops_a_memo_cache_only() -> None:
    cached = lru_cache(maxsize=8)(_reverse)
    assert fanout.plain(cached) is _reverse
    bound = partial(_reverse, mark="!")
    assert fanout.plain(bound) is bound
    assert fanout.plain(_reverse) is _reverse


def test_non_empty_drops_nulls_and_empty_strings() -> None:
    column = pa.chunked_array([["a", None, ""], ["b"]])
    assert fanout.non_empty(column).to_pylist() == ["a", "b"]


@pytest.mark.parametrize("slice_size", [7, 1 << 15])
def test_lookup_on_the_workers_keeps_every_value_with_its_key(
    monkeypatch: pytest.MonkeyPatch, slice_size: int
) -> None:
    """Enough values to fork the workers (fanout.PARALLEL_FROM), read in many batches or a
    few, with nulls and '' among them: each value once, with its own key."""
    monkeypatch.setattr(fanout, "PARALLEL_FROM", 50)
    monkeypatch.setattr(engines, "LOOKUP_SLICE", slice_size)
    values = [f"住所{k}番地" for k in range(300)]
    duck = engines.DuckDBEngine(threads=1)
    try:
        duck.register("fo_in", pa.table({"v": [*values, "", None]}))
        duck.lookup("fo_out", "SELECT DISTINCT v FROM fo_in", partial(_reverse, mark="#"))
        got = duck.arrow("SELECT raw, key FROM fo_out").to_pylist()
        duck.release("fo_out", "fo_in")
    finally:
        duck.close()
    assert len(got) == len(values)
    assert {r["raw"]: r["key"] for r in got} == {v: v[::-1] + "#" for v in values}


_PARENT = os.getpid()


def _dies_on_a_worker(value: str) -> str:
    """A worker the OS stops (as its out-of-memory killer would); never the test process."""
    if value == "住所7番地" and os.getpid() != _PARENT:
        os._exit(9)
    return value


def test_a_worker_that_dies_stops_the_lookup_with_a_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No BrokenProcessPool traceback: a clear error, and no worker left behind."""
    monkeypatch.setattr(fanout, "PARALLEL_FROM", 50)
    duck = engines.DuckDBEngine(threads=1)
    try:
        duck.register("fo_in", pa.table({"v": [f"住所{k}番地" for k in range(300)]}))
        with pytest.raises(TenkenError, match="ワーカー") as caught:
            duck.lookup("fo_out", "SELECT v FROM fo_in", _dies_on_a_worker)
    finally:
        duck.close()
    assert caught.value.code == "E-WORKER-STOPPED"
    assert not mp.active_children()
