"""Benchmark: answer sheets for all 1,788 local governments, generated and ingested back.

    .venv/bin/python bench/bench_sheets.py [--repeat 3] [--db URL]

Prints each run and the medians. Generation is ``tenken survey form --roster``'s path
(one generated template, filled per organisation); ingest is ``tenken survey ingest``'s path
(safety checks, openpyxl read, formula check, engine, one transaction per file) into a fresh
SQLite database per run (or the database given with --db, emptied first).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from tenken.survey.loader import load_bundled
from tenken.survey.roster import local_government_roster
from tenken.survey.xlsx.batch import write_roster_forms


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--db", default=None)
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    args = parser.parse_args()
    q = load_bundled()
    roster = local_government_roster()
    generate: list[float] = []
    ingest_times: list[float] = []
    with tempfile.TemporaryDirectory(prefix="tenken-bench-") as tmp:
        from tenken.store.db import setup

        for run in range(args.repeat):
            out = Path(tmp) / f"sheets{run}"
            start = time.perf_counter()
            paths = write_roster_forms(q, roster, out)
            generate.append(time.perf_counter() - start)
            alias = setup(args.db or f"sqlite:///{Path(tmp) / f'bench{run}.sqlite3'}")
            from tenken.store.ingest import ingest
            from tenken.store.models import Response

            Response.objects.using(alias).all().delete()
            start = time.perf_counter()
            report = ingest([out], q, alias, workers=args.workers)
            ingest_times.append(time.perf_counter() - start)
            stored = report.count("current")
            print(
                f"run {run + 1}: generate {len(paths)} sheets {generate[-1]:.1f} s, "
                f"ingest {stored} stored / {report.count('rejected')} rejected "
                f"{ingest_times[-1]:.1f} s"
            )
            if stored != len(roster):
                print("error: not every sheet was stored", file=sys.stderr)
                return 1
    print(
        f"median over {args.repeat} runs ({len(roster)} local governments, "
        f"{args.workers} reader processes): generate {statistics.median(generate):.1f} s, "
        f"ingest {statistics.median(ingest_times):.1f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
