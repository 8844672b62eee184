"""Benchmark ``tenken inspect`` end to end against a bare DuckDB join of the same files.

    python bench/bench_inspect.py                          # 100k and 1M people, 3 runs each
    python bench/bench_inspect.py --people 1000000 --runs 3 --cache /work/cache/tenken
    python bench/bench_inspect.py --people 100000 --full-path   # without the address fast path
    python bench/bench_inspect.py --people 100000 --runs 1 --engine spark   # Spark local[2]

Each run is two fresh processes on the same files, one after the other: the *bare join*
(DuckDB reads both CSV files, joins each record to its number's registry states and compares
the four facts as written, writing one row per record) and ``tenken inspect`` (reading,
normalising, pairing, the address fast path, verdicts, scoring against truth.csv and writing
verdicts.csv/.parquet, summary.json and review.xlsx). It prints both times, their ratio, the
peak RSS of each (ru_maxrss of the process; the forked normalisation workers separately) and
tenken's seconds per stage, then the medians over runs. The machine is shared: quote the
ratio measured in one run, with the load average, not times from different runs.

``--cache DIR`` keeps the synthetic population in DIR/people-N-seed-S (generated once; the
time it took is printed the first time).
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
from typing import Any

BARE = """
import json, resource, sys, time
import duckdb
d, out = sys.argv[1], sys.argv[2]
t = time.perf_counter()
con = duckdb.connect()
con.execute(f'''COPY (
  SELECT r.制度固有番号, count(s.個人番号) AS states,
    coalesce(bool_or(r.氏名 = s.氏名 AND r.生年月日 = s.生年月日 AND r.性別 = s.性別
      AND r.住所 = s.住所), false) AS same_as_written
  FROM read_csv('{d}/records.csv', all_varchar = true) r
  LEFT JOIN read_csv('{d}/registry.csv', all_varchar = true) s ON r.個人番号 = s.個人番号
  GROUP BY r.制度固有番号) TO '{out}' (FORMAT csv, HEADER true)''')
print(json.dumps({"seconds": time.perf_counter() - t,
  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

CHILD = """
import json, sys, time, resource
from pathlib import Path
from tenken.linkage.inspection import run
d, out, fast, engine = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] == "fast", sys.argv[4]
t = time.perf_counter()
s = run(d / "registry.csv", d / "records.csv", out, truth=d / "truth.csv", fast=fast,
        engine_name=engine)
seconds = time.perf_counter() - t
starts = list(s["stage_seconds"].items()) + [("end", seconds)]
stages = {name: round(starts[k + 1][1] - at, 2) for k, (name, at) in enumerate(starts[:-1])}
print(json.dumps({"seconds": seconds,
  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
  "children_peak_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
  "precision": s["precision"], "recall": s["recall"],
  "false_alarms_per_10000": s["false_alarms_per_10000"], "stages": stages,
  "address_values": s.get("address_values", {})}, ensure_ascii=False))
"""


def _pss_kib(pid: int) -> int:
    """Proportional set size of ``pid``: pages shared with forked workers are counted once
    across the tree (a sum of RSS would count the parent's copy-on-write pages per worker)."""
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    kib = [line.split()[1] for line in rollup.splitlines() if line.startswith("Pss:")]
    return int(kib[0]) if kib else 0


def _tree_rss_mib(root: int) -> float:
    """Memory of ``root`` and all its descendants now, as PSS (Spark's JVM is a child of the
    Python driver, so ru_maxrss alone misses it), from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        children = [c for c, p in parents.items() if p == pid and c not in tree]
        tree.update(children)
        frontier.extend(children)
    return sum(_pss_kib(pid) for pid in tree) / 1024


def _child(code: str, *args: str) -> dict[str, Any]:
    """Run ``code`` in a fresh process; its last output line (JSON), plus ``tree_peak_mib``:
    the peak of the whole process tree's PSS, sampled every half second."""
    # Output goes to files, not pipes: a pipe nobody reads while polling fills up (64 KiB)
    # and blocks the child for good (seen at 10M people)
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        command = [sys.executable, "-c", code, *args]
        with subprocess.Popen(command, stdout=out, stderr=err) as process:
            peak = 0.0
            while process.poll() is None:
                peak = max(peak, _tree_rss_mib(process.pid))
                time.sleep(0.5)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if process.returncode:
        raise SystemExit(f"child failed ({process.returncode}):\n{stderr[-4000:]}")
    result: dict[str, Any] = json.loads(stdout.strip().splitlines()[-1])
    result["tree_peak_mib"] = peak
    return result


def population(people: int, seed: int, cache: Path | None, tmp: Path) -> Path:
    """The synthetic population's folder (generated now, or found in the cache)."""
    folder = (cache or tmp) / f"people-{people}-seed-{seed}"
    if (folder / "truth.csv").is_file():
        print(f"synth {people:,} people: cached in {folder}")
        return folder
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", "from tenken.cli import main; main()", "synth",
         "--people", str(people), "--seed", str(seed), "--out", str(folder)],
        check=True, capture_output=True,
    )  # fmt: skip
    print(f"synth {people:,} people: {time.perf_counter() - started:.1f} s -> {folder}")
    return folder


def bench(people: int, runs: int, seed: int, cache: Path | None, fast: bool, engine: str) -> None:
    """Generate (or reuse), then ``runs`` times: bare join, tenken; print each and the medians."""
    with tempfile.TemporaryDirectory(prefix="tenken-bench-") as name:
        tmp = Path(name)
        folder = population(people, seed, cache, tmp)
        rows = []
        for k in range(runs):
            bare = _child(BARE, str(folder), str(tmp / "bare.csv"))
            mode = "fast" if fast else "full"
            tenken = _child(CHILD, str(folder), str(tmp / f"out{k}"), mode, engine)
            ratio = float(tenken["seconds"]) / float(bare["seconds"])
            rows.append((bare, tenken, ratio))
            print(
                f"  run {k + 1} (load {_load()}): bare join {float(bare['seconds']):.2f} s, "
                f"tenken {float(tenken['seconds']):.2f} s, ratio {ratio:.2f}; "
                f"peak RSS tenken {float(tenken['peak_mib']):,.0f} MiB "
                f"(workers {float(tenken['children_peak_mib']):,.0f} MiB; whole process tree, "
                f"PSS, a JVM included {float(tenken['tree_peak_mib']):,.0f} MiB), "
                f"bare {float(bare['peak_mib']):,.0f} MiB"
            )
            print("    stages (s): " + json.dumps(tenken["stages"], ensure_ascii=False))
            print(
                f"    precision {tenken['precision']}, recall {tenken['recall']}, "
                f"false alarms/10k {tenken['false_alarms_per_10000']}, "
                f"addresses {json.dumps(tenken['address_values'])}"
            )
        med = statistics.median
        bare_s = med(float(b["seconds"]) for b, _, _ in rows)
        print(
            f"  median over {runs}: bare join {bare_s:.2f} s, "
            f"tenken {med(float(t['seconds']) for _, t, _ in rows):.2f} s, "
            f"ratio {med(r for _, _, r in rows):.2f}, "
            f"peak RSS {med(float(t['peak_mib']) for _, t, _ in rows):,.0f} MiB"
        )
        names = list(rows[0][1]["stages"])
        stages = {n: med(t["stages"][n] for _, t, _ in rows) for n in names}
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
    parser.add_argument("--cache", type=Path, help="keep generated populations here")
    parser.add_argument("--full-path", action="store_true", help="without the fast path")
    parser.add_argument("--engine", default="duckdb", help="tenken's engine (duckdb, spark)")
    args = parser.parse_args()
    for people in args.people or [100_000, 1_000_000]:
        path = "full path" if args.full_path else "fast path"
        print(f"{people:,} people ({args.engine}, {path}):")
        bench(people, args.runs, args.seed, args.cache, not args.full_path, args.engine)


if __name__ == "__main__":
    main()
