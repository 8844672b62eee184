"""The writing stage of ``tenken inspect`` alone: every output file, and each file apart.

    python bench/bench_write.py --people 1000000 --cache /work/cache/issue14 --runs 5

Runs the inspection once in this process (DuckDB, fast path, with truth.csv), then ``--runs``
times :func:`tenken.linkage.outputs.write_all` into a fresh folder, then each output on its
own (the verdicts CSV and Parquet, case_evidence.parquet, review.xlsx) and the scoring query,
and prints the median and the minimum of each with the load average. Another checkout's
venv measures that checkout's code on the same population
(``/other/.venv/bin/python bench/bench_write.py ...``; only the public functions of
outputs.py and scoring.py are called).
"""

from __future__ import annotations

import argparse
import inspect
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_inspect import population


def _timed(runs: int, fn: Callable[[], object]) -> str:
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        seconds.append(time.perf_counter() - started)
    return f"median {statistics.median(seconds):.2f} s, min {min(seconds):.2f} s"


def bench(people: int, runs: int, seed: int, cache: Path | None) -> None:
    from tenken.linkage import inspection, outputs, scoring
    from tenken.linkage.engine import make_engine
    from tenken.linkage.evidence import evidence_select

    with tempfile.TemporaryDirectory(prefix="tenken-bench-write-") as name:
        tmp = Path(name)
        folder = population(people, seed, cache, tmp)
        engine = make_engine("duckdb")
        started = time.perf_counter()
        truth: Any = folder / "truth.csv"
        by_engine = "engine" in inspect.signature(scoring.load_truth).parameters
        if by_engine:
            scoring.load_truth(engine, truth)
        else:  # a checkout from before the engine read the truth table
            truth = scoring.load_truth(truth)
        inputs = inspection.load(engine, folder / "registry.csv", folder / "records.csv", {})
        inspection.inspect(engine, inputs)
        print(f"  inspection (once): {time.perf_counter() - started:.1f} s")

        def write_all() -> None:
            out = tmp / "out"
            shutil.rmtree(out, ignore_errors=True)
            outputs.write_all(engine, out, {"verdicts": outputs.counts(engine)})

        def score() -> object:
            return scoring.score(engine) if by_engine else scoring.score(engine, truth)

        select = outputs.verdicts_select(engine.dialect)
        parts = {
            "write_all (every file, checksums, summary)": write_all,
            "verdicts.csv": lambda: engine.copy(select, tmp / "v.csv", "csv"),
            "verdicts.parquet": lambda: engine.copy(select, tmp / "v.parquet", "parquet"),
            "case_evidence.parquet": lambda: engine.copy(
                evidence_select(engine.dialect), tmp / "e.parquet", "parquet"
            ),
            "review.xlsx": lambda: outputs.write_review(engine, tmp / "r.xlsx"),
            "counts + scoring": lambda: (outputs.counts(engine), score()),
        }
        for label, fn in parts.items():
            print(f"  {label}: {_timed(runs, fn)} (load {os.getloadavg()[0]:.2f})", flush=True)
        engine.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cache", type=Path, help="keep generated populations here")
    args = parser.parse_args()
    print(f"{args.people:,} people, writing ({sys.prefix}):")
    bench(args.people, args.runs, args.seed, args.cache)


if __name__ == "__main__":
    main()
