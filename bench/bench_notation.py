"""Mislinks found and false alarms on a ``tenken synth`` population with real notation habits.

    python bench/bench_notation.py --people 200000
    python bench/bench_notation.py --people 100000 --compare 3268e71

Generates one population (registry, records, truth) with the working tree's synth — which
writes the notation habits of issue 15 (kanji numerals with 十/百/千, 方書 glued or left out,
枝番, prefecture without suffix or omitted, 旧字体 and arabic town names, alphabet names of
foreign residents, kana spellings, namesakes in the next room or lot) — and inspects it with
``--truth`` scoring in a fresh process. Prints recall, false alarms per 10,000 right links,
the false alarms by reason code (a registry name holding a 外字 that the registry's 外字
table, gaiji.csv, does not identify goes to review by design: its count is shown apart) and
the inspection's seconds per stage. With ``--compare REV`` the
same files are also inspected by the code at git revision REV (before/after in one run).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import collections, json, sys, time
from pathlib import Path
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import inspect
from tenken.linkage.inspection import run
d = Path(sys.argv[1]); out = d / sys.argv[2]
gaiji = d / "gaiji.csv"  # the registry's 外字 table, for a revision that reads one
extra = {"gaiji": gaiji} if gaiji.exists() and "gaiji" in inspect.signature(run).parameters else {}
t = time.perf_counter()
s = run(d / "registry.csv", d / "records.csv", out, truth=d / "truth.csv", **extra)
seconds = time.perf_counter() - t
strings = pacsv.ConvertOptions(strings_can_be_null=False, column_types={
    "個人番号": "string", "正しい個人番号": "string", "誤紐付け": "string"})
truth = {r["制度固有番号"]: r["誤紐付け"] for r in pacsv.read_csv(d / "truth.csv",
    convert_options=strings).to_pylist()}
linked = {r["制度固有番号"] for r in pacsv.read_csv(d / "records.csv",
    convert_options=strings).to_pylist() if r["個人番号"]}
flagged = {"review", "suspected_mislink", "invalid_number", "not_in_registry"}
reasons = collections.Counter()
for row in pq.read_table(out / "verdicts.parquet").to_pylist():
    rid = row["制度固有番号"]
    if rid in linked and truth[rid] != "1" and row["verdict"] in flagged:
        reasons[row["reasons"] or "(none)"] += 1
sc = s["scoring"]
starts = list(s["stage_seconds"].items()) + [("end", seconds)]
stages = {n: round(starts[k + 1][1] - at, 2) for k, (n, at) in enumerate(starts[:-1])}
print(json.dumps({"seconds": round(seconds, 1), "recall": sc["recall"],
  "mislinks": sc["mislinks"], "missed": sc["missed"], "right_links": sc["right_links"],
  "false_alarms": sc["false_alarms"], "per_10000": sc["false_alarms_per_10000"],
  "by_reason": dict(reasons.most_common()), "stages": stages}, ensure_ascii=False))
"""


def _inspect(folder: Path, label: str, src: Path) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(folder), f"out-{label}"],
        env=env, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    result: dict[str, object] = json.loads(out.strip().splitlines()[-1])
    return result


def _report(label: str, r: dict[str, object]) -> None:
    by_reason = r["by_reason"]
    assert isinstance(by_reason, dict)
    gaiji = sum(n for reason, n in by_reason.items() if "name_unverifiable" in reason)
    right = int(str(r["right_links"]))
    other = int(str(r["false_alarms"])) - gaiji
    print(f"{label}: recall {r['recall']} ({r['missed']} of {r['mislinks']} mislinks missed), "
          f"{r['false_alarms']} false alarms = {r['per_10000']} per 10,000 right links "
          f"({right:,}); without the {gaiji} 外字 names sent to review by design: "
          f"{other} = {other * 10000 / right:.3f} per 10,000")  # fmt: skip
    print(f"  false alarms by reason: {json.dumps(by_reason, ensure_ascii=False)}")
    print(f"  inspection {r['seconds']} s; stages: {json.dumps(r['stages'], ensure_ascii=False)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--compare", metavar="REV", help="also inspect with the code at REV")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tenken-bench-notation-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", "from tenken.cli import main; main()", "synth",
             "--people", str(args.people), "--seed", str(args.seed), "--out", str(folder)],
            check=True, capture_output=True,
        )  # fmt: skip
        print(f"synth {args.people:,} people (seed {args.seed}): "
              f"{time.perf_counter() - started:.1f} s")  # fmt: skip
        _report("tree", _inspect(folder, "tree", ROOT / "src"))
        if args.compare:
            archive = subprocess.run(
                ["git", "-C", str(ROOT), "archive", args.compare, "src"],
                check=True,
                capture_output=True,
            ).stdout
            old = folder / "old"
            old.mkdir()
            subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
            _report(args.compare, _inspect(folder, "old", old / "src"))


if __name__ == "__main__":
    main()
