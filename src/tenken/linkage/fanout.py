"""A ``str -> str`` function over Arrow columns of distinct values, on forked workers.

:meth:`tenken.linkage.engine.DuckDBEngine.lookup` feeds the chunks of its query's result
here as they arrive. Values travel as Arrow arrays both ways (a pickled Arrow array is a few
buffers, not one object per string), so the parent never turns the values or the keys into
Python strings: only the workers do, one chunk at a time. The workers are forked once per
lookup (when it has enough values to pay for them) and inherit the function and the
normalisers' loaded tables (nothing to pickle).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType

import pyarrow as pa
import pyarrow.compute as pc

from tenken.errors import TenkenError
from tenken.workers import die_with_parent

KeyFn = Callable[[str], str]

PARALLEL_FROM = 20_000
"""A lookup of fewer values runs in process (forking costs tens of milliseconds)."""

MAX_WORKERS = 4

WORKER_EXIT_WAIT = 5.0
"""Seconds to wait for each worker told to stop (SIGTERM ends one at once)."""

_WORKER_FN: list[KeyFn] = []


def plain(fn: KeyFn) -> KeyFn:
    """``fn`` without its memo cache (``functools.lru_cache``/``cache``): the values of a
    lookup are distinct, so the cache never hits and only costs its bookkeeping."""
    inner = getattr(fn, "__wrapped__", None)
    return inner if callable(inner) and hasattr(fn, "cache_info") else fn


def keys_of(values: pa.Array, fn: KeyFn) -> pa.Array:
    """``fn`` of each value of ``values`` (strings, none null), as a string array."""
    return pa.array([fn(v) for v in values.to_pylist()], pa.string())


def _keys_inherited(values: pa.Array) -> pa.Array:
    """Run in a forked worker: the function was set before the fork."""
    return keys_of(values, _WORKER_FN[0])


def _start_worker(parent: int) -> None:
    """Pool initializer: the worker dies with the parent, and Ctrl-C is the parent's to
    handle (it stops the workers), so the workers print no KeyboardInterrupt of their own."""
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def non_empty(column: pa.Array | pa.ChunkedArray) -> pa.Array:
    """The values of ``column`` that are neither null nor '' (what a lookup keys), as one
    ``string`` array."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if column.type != pa.string():
        column = column.cast(pa.string())
    kept = pc.and_kleene(pc.is_valid(column), pc.not_equal(column, ""))
    return column.filter(pc.fill_null(kept, False))


class KeyPool:
    """Workers for one lookup: :meth:`submit` a chunk of values, get a future of its keys.

    The workers are forked once the values submitted reach :data:`PARALLEL_FROM` (a lookup of
    a few values never forks); before that, and with one core or no ``fork``, chunks are
    keyed in process and their futures are already done."""

    def __init__(self, fn: KeyFn) -> None:
        self._fn = plain(fn)
        self._pool: ProcessPoolExecutor | None = None
        self._seen = 0
        self._workers = min(os.cpu_count() or 1, MAX_WORKERS)
        self._can_fork = self._workers >= 2 and "fork" in mp.get_all_start_methods()

    def submit(self, values: pa.Array) -> Future[pa.Array]:
        """The keys of ``values`` (a future, in the order of ``values``)."""
        self._seen += len(values)
        if self._pool is None and self._can_fork and self._seen >= PARALLEL_FROM:
            _WORKER_FN[:] = [self._fn]
            context = mp.get_context("fork")
            parent = (os.getpid(),)
            self._pool = ProcessPoolExecutor(self._workers, context, _start_worker, parent)
        if self._pool is None:
            done: Future[pa.Array] = Future()
            done.set_result(keys_of(values, self._fn))
            return done
        return self._pool.submit(_keys_inherited, values)

    def results(self, futures: Sequence[Future[pa.Array]]) -> list[pa.Array]:
        """The keys of each future, in order; a worker that died (the OS stops one when memory
        runs out) stops the lookup with a message instead of ``BrokenProcessPool``."""
        try:
            return [future.result() for future in futures]
        except BrokenProcessPool:
            raise TenkenError(
                "正規化のワーカープロセスが途中で止まりました（多くはメモリ不足です）",
                hint="ほかの処理を止めてからやり直すか、--engine spark で実行してください",
                code="E-WORKER-STOPPED",
            ) from None

    def __enter__(self) -> KeyPool:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._pool is None:
            return
        if error is not None:  # Ctrl-C or a failure: stop now, not after the chunks queued
            workers = list(getattr(self._pool, "_processes", {}).values())
            for process in workers:
                process.terminate()
            for process in workers:  # gone when the lookup's error reaches the caller
                process.join(WORKER_EXIT_WAIT)
        self._pool.shutdown(wait=error is None, cancel_futures=True)
        _WORKER_FN.clear()
