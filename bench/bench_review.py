"""Review at scale: import a run with 10,000+ cases, then the case list under a reviewer.

1. ``tenken synth`` + ``tenken inspect`` on enough people for ``--cases`` cases (about 2 % of
   records are not confirmed), once, into ``--work`` (reused when it exists);
2. ``tenken review import`` into a fresh SQLite workspace ``--repeat`` times (each a new
   database): wall time of the command (median), and the second, idempotent import;
3. ``tenken serve`` on the last workspace; a 点検担当者 logs in and requests case-list pages
   (first page, random pages, each verdict filter, a person search) one after another:
   p50 / p95 / p99 per kind and overall.

    .venv/bin/python bench/bench_review.py --cases 10000 --requests 300
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.web.server import running_site, site_env  # noqa: E402

TENKEN = [sys.executable, "-m", "tenken"]
ORG = "14神奈川県相模原市"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _inspect_output(work: Path, cases: int) -> Path:
    out = work / "out"
    if (out / "summary.json").exists():
        return out
    people = int(cases / 0.0205) + 1000
    print(f"synth + inspect: {people:,} 人 …", flush=True)
    subprocess.run([*TENKEN, "synth", "--people", str(people), "--out", str(work)], check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    subprocess.run([*TENKEN, "inspect", "--registry", str(work / "registry.csv"), "--records",
                    str(work / "records.csv"), "--out", str(out)], check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    return out


def _timed_import(out: Path, workspace: Path) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of one ``tenken review import``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([*TENKEN, "review", "import", str(out), "--org", ORG], check=True,
                   env=site_env(workspace), stdout=subprocess.DEVNULL)  # fmt: skip
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return time.perf_counter() - started, cpu


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


def _login(base: str, username: str, password: str) -> urllib.request.OpenerDirector:
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    page = opener.open(f"{base}/login/").read().decode()
    match = CSRF.search(page)
    data = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": match.group(1) if match else "",
            "username": username,
            "password": password,
        }
    ).encode()
    opener.open(urllib.request.Request(f"{base}/login/", data, {"Referer": f"{base}/login/"}))
    return opener


def _case_list(workspace: Path, requests: int, cases: int) -> dict[str, list[float]]:
    accounts = subprocess.run(
        [sys.executable, "-m", "tenken.web.casework.demo", "--accounts"], check=True,
        env=site_env(workspace), capture_output=True, text=True,
    )  # fmt: skip
    reviewer = json.loads(accounts.stdout.strip().splitlines()[-1])["accounts"]["reviewer"]
    timings: dict[str, list[float]] = defaultdict(list)
    rng = random.Random(1)
    with running_site(workspace, timeout=60) as base:
        opener = _login(base, reviewer["username"], reviewer["password"])
        runs = opener.open(f"{base}/review/").read().decode()
        run_url = re.search(r'href="(/review/runs/\d+/)"', runs)
        assert run_url, "no run on the runs page"
        path = run_url.group(1)
        pages = max(1, cases // 50)
        kinds = [
            ("first page", lambda: path),
            ("random page", lambda: f"{path}?page={rng.randint(1, pages)}"),
            ("verdict filter", lambda: f"{path}?verdict=" + rng.choice(
                ["review", "suspected_mislink", "invalid_number", "unlinked_match"])),
            ("state filter + page", lambda: f"{path}?status=open&page={rng.randint(1, 20)}"),
            ("person search", lambda: f"{path}?q=" + urllib.parse.quote(rng.choice(
                ["佐藤", "鈴木", "高橋", "田中", "伊藤"]))),
        ]  # fmt: skip
        opener.open(f"{base}{path}").read()  # warm up
        for i in range(requests):
            kind, make = kinds[i % len(kinds)]
            started = time.perf_counter()
            with opener.open(f"{base}{make()}") as response:
                response.read()
                assert response.status == 200
            timings[kind].append(time.perf_counter() - started)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--requests", type=int, default=300)
    default_work = Path(tempfile.gettempdir()) / "tenken-bench-review"
    parser.add_argument("--work", type=Path, default=default_work)
    args = parser.parse_args()
    out = _inspect_output(args.work, args.cases)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    cases = sum(n for v, n in summary["verdicts"].items() if v != "confirmed")
    print(f"点検結果: 記録 {summary['record_rows']:,} 件、事案 {cases:,} 件 ({out})")
    seconds, cpus, workspace = [], [], Path()
    for k in range(args.repeat):
        workspace = Path(tempfile.mkdtemp(prefix=f"tenken-bench-review-{k}-"))
        wall, cpu = _timed_import(out, workspace)
        seconds.append(wall)
        cpus.append(cpu)
        print(f"  import {k + 1}: {wall:.1f} s wall, {cpu:.1f} s CPU, load "
              f"{os.getloadavg()[0]:.1f}", flush=True)  # fmt: skip
    again, again_cpu = _timed_import(out, workspace)
    size = (workspace / "tenken.sqlite3").stat().st_size / 2**20
    print(f"import {cases:,} cases: median {statistics.median(seconds):.1f} s wall, "
          f"{statistics.median(cpus):.1f} s CPU (runs: {', '.join(f'{s:.1f}' for s in seconds)}); "
          f"same folder again (idempotent) {again:.1f} s wall, {again_cpu:.1f} s CPU; "
          f"database {size:.0f} MiB")  # fmt: skip
    timings = _case_list(workspace, args.requests, cases)
    every = [t for values in timings.values() for t in values]
    for kind, values in timings.items():
        print(
            f"  {kind:22s} n={len(values):4d} p50 {_percentile(values, 50):6.1f} ms  "
            f"p95 {_percentile(values, 95):6.1f} ms  p99 {_percentile(values, 99):6.1f} ms"
        )
    print(
        f"case list at {cases:,} cases: p50 {_percentile(every, 50):.1f} ms, "
        f"p95 {_percentile(every, 95):.1f} ms, p99 {_percentile(every, 99):.1f} ms "
        f"({len(every)} requests, one reviewer, sequential; load {os.getloadavg()[0]:.1f})"
    )


if __name__ == "__main__":
    main()
