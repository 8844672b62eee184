"""Benchmark: the survey report on answers from all 1,788 local governments.

Prints the median seconds (of --runs runs) of each stage: reading the answer files (JSON),
evaluating + classifying + tallying (build_report), and writing the report files
(HTML, Excel, CSV, JSON). Run: .venv/bin/python bench/bench_report.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from tenken.survey.loader import load_bundled
from tenken.survey.local_governments import all_local_governments
from tenken.survey.pack import load_bundled_pack
from tenken.survey.report import build_pack_report, write_report
from tenken.survey.sample import generate
from tenken.survey.sources import load_answers

T = TypeVar("T")


def timed(func: Callable[[], T], runs: int) -> tuple[float, T]:
    seconds: list[float] = []
    result: T | None = None
    for _ in range(runs):
        start = time.perf_counter()
        result = func()
        seconds.append(time.perf_counter() - start)
    assert result is not None
    return statistics.median(seconds), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    q = load_bundled()
    roster = all_local_governments()
    pack = load_bundled_pack()
    sample = generate(pack, roster, seed=2023, response_rate=1.0)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "answers"
        folder.mkdir()
        for i, d in enumerate(sample.documents):
            text = json.dumps(d.to_json(), ensure_ascii=False)
            (folder / f"{i:04d}.json").write_text(text, encoding="utf-8")
        paths = sorted(folder.iterdir())
        read_s, docs = timed(lambda: [load_answers(p, q) for p in paths], args.runs)
        build_s, data = timed(lambda: build_pack_report(pack, roster, docs, "bench"), args.runs)
        out = Path(tmp) / "report"
        write_s, _ = timed(lambda: write_report(data, out, with_json=True), args.runs)
        sizes = {p.name: p.stat().st_size for p in sorted(out.iterdir())}
    print(f"responses: {len(docs)} of {len(roster)} organisations; median of {args.runs} runs")
    print(f"read JSON files          {read_s:6.2f} s")
    print(f"evaluate+classify+tally  {build_s:6.2f} s")
    print(f"write html/xlsx/csv/json {write_s:6.2f} s")
    print(f"total                    {read_s + build_s + write_s:6.2f} s")
    print("files: " + ", ".join(f"{n} {s / 1024:.0f} KiB" for n, s in sizes.items()))


if __name__ == "__main__":
    main()
