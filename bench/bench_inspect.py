"""Benchmark ``tenken inspect`` end to end (files in -> verdicts out) on synthetic data.

    python bench/bench_inspect.py                 # 100k and 1M people, 3 runs each
    python bench/bench_inspect.py --people 100000 --runs 5

Each run is a fresh process (so peak memory is per run: ru_maxrss of the child and, separately,
of the forked normalisation workers). Prints wall time, seconds per stage (reading, name/date
keys, pairing SQL, address/kana keys of differing values, verdict SQL + scoring, writing),
peak RSS, precision, recall and false alarms per 10,000 links, the load average, and the
medians over runs. The machine is shared: report medians with the load, and expect noise.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = """
import json, sys, time, resource
from pathlib import Path
from tenken.linkage.inspection import run
d = Path(sys.argv[1])
t = time.perf_counter()
s = run(d / "registry.csv", d / "records.csv", d / "out", truth=d / "truth.csv")
seconds = time.perf_counter() - t
starts = list(s["stage_seconds"].items()) + [("end", seconds)]
stages = {name: round(starts[k + 1][1] - at, 2) for k, (name, at) in enumerate(starts[:-1])}
print(json.dumps({"seconds": seconds,
  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
  "children_peak_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
  "precision": s["precision"], "recall": s["recall"],
  "false_alarms_per_10000": s["false_alarms_per_10000"], "stages": stages,
  "load": open("/proc/loadavg").read().split()[0]}, ensure_ascii=False))
"""


def bench(people: int, runs: int, seed: int) -> None:
    """Generate once, inspect ``runs`` times, print each run and the medians."""
    with tempfile.TemporaryDirectory(prefix="tenken-bench-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", "from tenken.cli import main; main()", "synth",
             "--people", str(people), "--seed", str(seed), "--out", str(folder)],
            check=True, capture_output=True,
        )  # fmt: skip
        print(f"synth {people:,} people: {time.perf_counter() - started:.1f} s")
        results = []
        for k in range(runs):
            out = subprocess.run(
                [sys.executable, "-c", CHILD, str(folder)],
                check=True,
                capture_output=True,
                text=True,
            )
            result = json.loads(out.stdout.strip().splitlines()[-1])
            results.append(result)
            print(f"  run {k + 1}: " + json.dumps(result, ensure_ascii=False))
        median = {
            key: round(statistics.median(float(r[key]) for r in results), 3)
            for key in ("seconds", "peak_mib", "children_peak_mib")
        }
        stages = {
            name: round(statistics.median(r["stages"][name] for r in results), 2)
            for name in results[0]["stages"]
        }
        print(f"  median over {runs} runs: {median} (load average now {_load()})")
        print("  median seconds per stage: " + json.dumps(stages, ensure_ascii=False))


def _load() -> str:
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, action="append")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    for people in args.people or [100_000, 1_000_000]:
        bench(people, args.runs, args.seed)


if __name__ == "__main__":
    main()
