"""Load test of the web site: respondents saving and submitting, or the ministry's viewers.

``--mode respondents`` (default):

Starts ``tenken serve`` (waitress) on a fresh database, logs N respondents in, then for
``--seconds`` each respondent repeats: open the form, save a draft, submit. Prints p50/p95/p99
latency per kind of request, throughput and errors, then counts the stored responses against
the saves that got a success answer ("lost answers" must be 0).

    .venv/bin/python bench/web_load.py --users 50 --seconds 60 \\
        --database postgresql://postgres@127.0.0.1:5432/postgres

``--mode viewers``: the full roster (1,788 local governments) with the sample answers of
``tenken demo`` ingested (1,679), then ``--users`` administrators open, in a loop, the
dashboard (first page, then a filtered page), the round page and (``--report``) the report.
Prints p50/p95 per page; ``--processes`` is passed to ``tenken serve``.

    .venv/bin/python bench/web_load.py --mode viewers --users 16 --seconds 30 --processes 2

With ``--database postgresql://…/NAME`` a scratch database ``NAME_tenken_bench`` is created and
dropped; without it the site uses SQLite in a temporary workspace. Client threads share the
machine with the server: on a 2-core machine the figures include the client's own CPU.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.web.server import running_site  # noqa: E402

PASSWORD = "bench-password-2023-tenken"
EXAMPLE = ROOT / "src" / "tenken" / "survey" / "examples" / "municipality-complete.json"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _scratch_postgres(url: str) -> tuple[str, str]:
    """A fresh database next to ``url``'s; returns (its URL, its name)."""
    parts = urllib.parse.urlsplit(url)
    name = (parts.path.lstrip("/") or "postgres") + "_tenken_bench"
    admin = ["psql", url, "-q", "-c"]
    subprocess.run([*admin, f"DROP DATABASE IF EXISTS {name}"], check=True)
    subprocess.run([*admin, f"CREATE DATABASE {name}"], check=True)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name)), name


def _seed(workspace: Path, users: int) -> list[tuple[str, str]]:
    """Migrate and create a round of ``users`` municipalities; returns (username, answer URL)."""
    script = f"""
import json
from datetime import timedelta
from django.core.management import call_command
from django.utils import timezone
from tenken.web import setup
setup()
call_command("migrate", verbosity=0)
from django.contrib.auth.hashers import make_password
from tenken.survey.loader import DEFAULT_QUESTIONNAIRE, bundled_path, load_bundled
from tenken.survey.local_governments import all_local_governments
from tenken.web.accounts import services
from tenken.web.accounts.models import Membership, Role
from tenken.web.accounts.roster import parse_roster
towns = [lg for lg in all_local_governments() if lg.kind == "市区町村"][:{users}]
lines = "\\n".join(t.org_name + ",市区町村" for t in towns)
roster = parse_roster(("組織名,組織区分\\n" + lines).encode(), load_bundled())
admin = services.create_staff("bench-admin", Role.ADMIN, None)
text = bundled_path(DEFAULT_QUESTIONNAIRE).read_text(encoding="utf-8")
r = services.create_round("負荷試験", text, roster, timezone.now() + timedelta(days=1), admin)
hashed = make_password({PASSWORD!r})
out = []
for m in Membership.objects.filter(role=Role.RESPONDENT).select_related("user"):
    m.user.password = hashed
    m.user.save()
    url = f"/rounds/{{r.pk}}/answers/{{m.organisation_id}}/"
    out.append((m.user.username, url, m.organisation.name))
print(json.dumps(out, ensure_ascii=False))
"""
    env = {**os.environ, "TENKEN_WORKSPACE": str(workspace), "TENKEN_HTTPS": "false"}
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    return [tuple(x) for x in json.loads(result.stdout.strip().splitlines()[-1])]


class Run:
    """What the respondent threads share: start barrier, end time and the measurements."""

    def __init__(self, users: int, think: float) -> None:
        self.think = think
        self.logins = threading.Semaphore(4)
        self.ready = threading.Barrier(users + 1)
        self.stop_at = 0.0
        self.lock = threading.Lock()
        self.results: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.saves: dict[str, int] = defaultdict(int)


class Respondent(threading.Thread):
    """One respondent's browser: cookies, CSRF token, and the loop of form/draft/submit."""

    def __init__(self, base: str, username: str, path: str, org: str, run: Run) -> None:
        super().__init__(daemon=True)
        self.base, self.username, self.path, self.org, self.shared = base, username, path, org, run
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        document = json.loads(EXAMPLE.read_text(encoding="utf-8"))
        self.fields = [("action", "")]
        for section in ("respondent", "answers"):
            for name, value in document[section].items():
                for v in value if isinstance(value, list) else [value]:
                    self.fields.append((f"q:{name}", v))

    def request(
        self, kind: str, path: str, data: list[tuple[str, str]] | None = None, timeout: float = 30
    ) -> str:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        headers = {"Referer": self.base + path}
        started = time.perf_counter()
        try:
            with self.opener.open(
                urllib.request.Request(self.base + path, body, headers), timeout=30
            ) as r:
                text = r.read().decode()
                ok = r.status == 200
        except (urllib.error.URLError, TimeoutError) as error:
            text, ok = "", False
            self.shared.errors.append(f"{kind}: {error}")
        self.shared.results[kind].append(time.perf_counter() - started)
        if not ok and text:
            self.shared.errors.append(f"{kind}: unexpected status")
        return text

    def token(self, page: str) -> str:
        match = CSRF.search(page)
        return match.group(1) if match else ""

    def run(self) -> None:
        page = self.request("login-page", "/login/")
        token = ("csrfmiddlewaretoken", self.token(page))
        login = [token, ("username", self.username), ("password", PASSWORD)]
        with self.shared.logins:  # password hashing is slow on purpose: log in a few at a time
            self.request("login", "/login/", login, timeout=120)
        self.shared.ready.wait()  # logins (slow password hashing) are not part of the minute
        while time.monotonic() < self.shared.stop_at:
            page = self.request("form", self.path)
            for action, done in (("draft", "一時保存しました"), ("submit", "提出しました")):
                time.sleep(self.shared.think)
                data = [("csrfmiddlewaretoken", self.token(page)), *self.fields]
                data[1] = ("action", action)
                page = self.request(action, self.path, data)
                if done in page:
                    with self.shared.lock:
                        self.shared.saves[self.org] += 1
                else:
                    self.shared.errors.append(f"{action}: no confirmation for {self.org}")


def _seed_viewers(workspace: Path) -> tuple[str, str]:
    """Full roster, the demo's sample answers stored; returns (admin username, round id)."""
    script = f"""
import json
from datetime import timedelta
from django.core.management import call_command
from django.utils import timezone
from tenken.web import setup
setup()
call_command("migrate", verbosity=0)
from tenken.store.ingest import store
from tenken.survey.engine import evaluate
from tenken.survey.loader import DEFAULT_QUESTIONNAIRE, bundled_path, load_bundled
from tenken.survey.local_governments import all_local_governments
from tenken.survey.prepare import Prepared
from tenken.survey.sample import generate
from tenken.web.accounts import services
from tenken.web.accounts.models import Role
from tenken.web.accounts.roster import RosterRow
q = load_bundled()
governments = all_local_governments()
roster = [RosterRow(g.org_name, g.kind, g.prefecture, "", f"r{{g.code6}}") for g in governments]
admin = services.create_staff("bench-admin", Role.ADMIN, {PASSWORD!r})
text = bundled_path(DEFAULT_QUESTIONNAIRE).read_text(encoding="utf-8")
r = services.create_round("負荷試験", text, roster, timezone.now() + timedelta(days=1), admin)
now = timezone.now()
for i, document in enumerate(generate(q, governments, seed=2023).documents):
    name = document.respondent["組織名"]
    prepared = Prepared.of(document, evaluate(q, document), path=f"{{i:04d}}.json",
        sha256=f"{{i:064d}}", org_name=name, org_kind=document.respondent["組織区分"],
        received_at=now)
    store(prepared, q, "default", r)
print(json.dumps(["bench-admin", r.pk]))
"""
    env = {**os.environ, "TENKEN_WORKSPACE": str(workspace), "TENKEN_HTTPS": "false"}
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(result.stderr[-3000:])
    user, round_id = json.loads(result.stdout.strip().splitlines()[-1])
    return str(user), str(round_id)


class Viewer(Respondent):
    """An administrator looking at the round: dashboard pages and the round page."""

    def __init__(self, base: str, username: str, round_id: str, run: Run, report: bool) -> None:
        super().__init__(base, username, "", "", run)
        self.round_id, self.report = round_id, report

    def run(self) -> None:
        page = self.request("login-page", "/login/")
        login = [("csrfmiddlewaretoken", self.token(page)), ("username", self.username),
                 ("password", PASSWORD)]  # fmt: skip
        with self.shared.logins:
            self.request("login", "/login/", login, timeout=120)
        self.shared.ready.wait()
        r = self.round_id
        pages = [
            ("dashboard", f"/dashboard/?round={r}"),
            ("dashboard-filtered", f"/dashboard/?round={r}&kind=市区町村&page=3"),
            ("round", f"/rounds/{r}/"),
        ]
        if self.report:
            pages.append(("report", f"/rounds/{r}/report.html"))
        while time.monotonic() < self.shared.stop_at:
            for kind, path in pages:
                time.sleep(self.shared.think)
                if "<html" not in self.request(kind, urllib.parse.quote(path, safe="/?=&")):
                    self.shared.errors.append(f"{kind}: no page")


def _viewers(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as folder:
        workspace = Path(folder)
        seeded = time.monotonic()
        username, round_id = _seed_viewers(workspace)
        print(f"seeded 1,788 organisations and the sample answers in "
              f"{time.monotonic() - seeded:.0f} s")  # fmt: skip
        options = ("--threads", str(args.threads), "--processes", str(args.processes))
        with running_site(workspace, *options, timeout=60) as base:
            run = Run(args.users, args.think)
            threads = [
                Viewer(base, username, round_id, run, args.report) for _ in range(args.users)
            ]
            for t in threads:
                t.start()
            run.stop_at = time.monotonic() + 3600
            run.ready.wait()
            started = time.monotonic()
            run.stop_at = started + args.seconds
            for t in threads:
                t.join()
            elapsed = time.monotonic() - started
    print(f"{args.users} concurrent viewers, {elapsed:.0f} s, SQLite, tenken serve --processes "
          f"{args.processes} --threads {args.threads}, think time {args.think} s")  # fmt: skip
    print(f"{'page':<20}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for kind in ("dashboard", "dashboard-filtered", "round", "report"):
        values = run.results.get(kind, [])
        if values:
            print(f"{kind:<20}{len(values):>7}{_percentile(values, 50):>9.0f}"
                  f"{_percentile(values, 95):>9.0f}{_percentile(values, 99):>9.0f}")  # fmt: skip
    total = sum(len(v) for k, v in run.results.items() if not k.startswith("login"))
    print(f"pages: {total}, {total / elapsed:.1f}/s, errors: {len(run.errors)}")
    for line in run.errors[:10]:
        print("  ", line)


def _count_stored(workspace: Path) -> dict[str, int]:
    script = """
import json
from django.db.models import Count
from tenken.web import setup
setup()
from tenken.store.models import Response
rows = Response.objects.values("org_name").annotate(n=Count("id"))
print(json.dumps({r["org_name"]: r["n"] for r in rows}, ensure_ascii=False))
"""
    env = {**os.environ, "TENKEN_WORKSPACE": str(workspace)}
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--threads", type=int, default=16, help="waitress threads")
    parser.add_argument(
        "--think", type=float, default=0.0, help="seconds a respondent pauses between requests"
    )
    parser.add_argument("--database", default="", help="postgresql://… (default: SQLite)")
    parser.add_argument("--mode", choices=("respondents", "viewers"), default="respondents")
    parser.add_argument("--processes", type=int, default=1, help="tenken serve --processes")
    parser.add_argument("--report", action="store_true", help="viewers also open the report")
    args = parser.parse_args()
    if args.mode == "viewers":
        _viewers(args)
        return
    scratch = ""
    with tempfile.TemporaryDirectory() as folder:
        workspace = Path(folder)
        if args.database:
            url, scratch = _scratch_postgres(args.database)
            os.environ["TENKEN_DATABASE_URL"] = url
        respondents = _seed(workspace, args.users)
        os.environ["TENKEN_WORKSPACE"] = str(workspace)
        with running_site(
            workspace, "--threads", str(args.threads), pass_env=("TENKEN_DATABASE_URL",)
        ) as base:
            run = Run(len(respondents), args.think)
            threads = [Respondent(base, u, p, o, run) for u, p, o in respondents]
            for t in threads:
                t.start()
            run.stop_at = time.monotonic() + 3600  # set before release; corrected just below
            run.ready.wait()
            started = time.monotonic()
            run.stop_at = started + args.seconds
            for t in threads:
                t.join()
            elapsed = time.monotonic() - started
        results, errors, saves = run.results, run.errors, run.saves
        stored = _count_stored(workspace)
        if scratch:
            subprocess.run(
                ["psql", args.database, "-q", "-c", f"DROP DATABASE IF EXISTS {scratch}"],
                check=False,
            )
    engine = "PostgreSQL" if args.database else "SQLite"
    print(
        f"{args.users} respondents, {elapsed:.0f} s, {engine}, waitress threads {args.threads}, "
        f"think time {args.think} s"
    )
    print(f"{'request':<12}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for kind in ("login", "form", "draft", "submit"):
        values = results.get(kind, [])
        if values:
            print(f"{kind:<12}{len(values):>7}{_percentile(values, 50):>9.0f}"
                  f"{_percentile(values, 95):>9.0f}{_percentile(values, 99):>9.0f}")  # fmt: skip
    steady = [v for k in ("form", "draft", "submit") for v in results.get(k, [])]
    p50, p95 = statistics.median(steady) * 1000, _percentile(steady, 95)
    rate = len(steady) / elapsed
    print(
        f"all saves/forms: {len(steady)} requests, {rate:.1f}/s, p50 {p50:.0f} ms, p95 {p95:.0f} ms"
    )
    lost = sum(max(0, saves[o] - stored.get(o, 0)) for o in saves)
    print(f"errors: {len(errors)}  confirmed saves: {sum(saves.values())}  "
          f"stored: {sum(stored.values())}  lost answers: {lost}")  # fmt: skip
    for line in errors[:10]:
        print("  ", line)


if __name__ == "__main__":
    main()
