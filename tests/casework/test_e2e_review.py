"""End to end in headless Debian chromium against `tenken serve`: the whole review flow.

A 点検担当者 uploads an inspect output as a zip, decides three cases (one mislink, typing the
right number), a 承認者 approves two and returns one, the 点検担当者 fixes it, the 承認者
approves it and downloads the corrections: exactly the three corrections. Every request stays
on the local site and no CSP violation is reported. Screenshots: artifacts/e2e/review-*.png.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.casework.leaks import full_numbers
from tests.linkage import fixtures
from tests.web.server import running_site, site_env
from tests.web.test_e2e_browser import ARTIFACTS, Watch, _login, browser  # noqa: F401

pytestmark = [pytest.mark.chromium, pytest.mark.slow]


def _accounts(workspace: Path) -> dict[str, dict[str, str]]:
    command = [sys.executable, "-m", "tenken.web.casework.demo", "--accounts"]
    done = subprocess.run(command, env=site_env(workspace), capture_output=True, text=True,
                          check=True, timeout=300)  # fmt: skip
    return dict(json.loads(done.stdout.strip().splitlines()[-1])["accounts"])


def _zip(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, f"out/{path.name}")
    return target


def _open_case(page: Any, base: str, run_url: str, rid: str) -> None:
    page.goto(f"{base}{run_url}?q={rid}")
    page.click(f"table.cases a:text-is('{rid}')")


def _decide(page: Any, action: str, reason: str, number: str = "") -> None:
    page.select_option("#id_action", action)
    if number:
        page.fill("#id_number", number)
    page.fill("#id_reason", reason)
    page.click("#decide-form button[type=submit]")
    assert page.is_visible("text=判断を記録しました"), page.inner_text("main")


def test_import_decide_approve_return_fix_export(
    browser: Any,
    inspect_output: Path,
    tmp_path: Path,  # noqa: F811
) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    accounts = _accounts(tmp_path)
    archive = _zip(inspect_output, tmp_path / "inspect-out.zip")
    with running_site(tmp_path) as base:
        options = {"locale": "ja-JP", "viewport": {"width": 1280, "height": 900},
                   "accept_downloads": True}  # fmt: skip
        reviewer_context, approver_context = (browser.new_context(**options) for _ in range(2))
        watches = [Watch(reviewer_context), Watch(approver_context)]
        reviewer, approver = watches[0].page(reviewer_context), watches[1].page(approver_context)

        _login(reviewer, base, accounts["reviewer"])
        reviewer.goto(f"{base}/review/")
        reviewer.set_input_files("#id_archive", str(archive))
        reviewer.fill("#id_title", "E2E の点検")
        reviewer.click("#import-form button[type=submit]")
        assert reviewer.is_visible("text=取り込みました")
        run_url = reviewer.url.removeprefix(base).split("?")[0]
        reviewer.screenshot(path=str(ARTIFACTS / "review-01-cases.png"), full_page=True)

        _open_case(reviewer, base, run_url, "R05")
        assert reviewer.locator("table.compare td.differs").count() > 0
        reviewer.screenshot(path=str(ARTIFACTS / "review-02-case.png"), full_page=True)
        _decide(reviewer, "mislink", "同姓同名の別人に紐付いていた", fixtures.number(4))
        _open_case(reviewer, base, run_url, "R09")
        _decide(reviewer, "correct", "転居前の住所で本人と確認")
        _open_case(reviewer, base, run_url, "R14")
        _decide(reviewer, "unlink", "本人不明")

        _login(approver, base, accounts["approver"])
        approver.goto(f"{base}{run_url}queue/")
        assert approver.locator("table.cases tbody tr").count() == 3
        approver.screenshot(path=str(ARTIFACTS / "review-03-queue.png"), full_page=True)
        for rid in ("R05", "R09"):
            approver.goto(f"{base}{run_url}queue/")
            approver.click(f"table.cases a:text-is('{rid}')")
            approver.click("#approve-form button[type=submit]")
            assert approver.is_visible("text=承認しました")
        approver.goto(f"{base}{run_url}queue/")
        approver.click("table.cases a:text-is('R14')")
        approver.fill("#id_return_reason", "照会の結果を理由に書いてください")
        approver.click("#return-form button[type=submit]")
        assert approver.is_visible("text=差し戻しました")

        _open_case(reviewer, base, run_url, "R14")
        assert reviewer.is_visible("text=照会の結果を理由に書いてください")
        _decide(reviewer, "unlink", "J-LIS 照会で該当なし、本人確認書類の提出を依頼")
        approver.goto(f"{base}{run_url}queue/")
        approver.click("table.cases a:text-is('R14')")
        approver.click("#approve-form button[type=submit]")
        approver.screenshot(path=str(ARTIFACTS / "review-04-approved.png"), full_page=True)

        approver.goto(f"{base}{run_url}")
        approver.fill("#id_export_reason", "業務システムへの訂正の取り込み")
        with approver.expect_download() as download:
            approver.click("#export-form button[type=submit]")
        saved = tmp_path / "corrections.csv"
        download.value.save_as(str(saved))
        approver.goto(f"{base}/review/")
        approver.screenshot(path=str(ARTIFACTS / "review-05-runs.png"), full_page=True)

        rows = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
        assert sorted((r["制度固有番号"], r["処理コード"]) for r in rows) == [
            ("R05", "mislink"), ("R09", "correct"), ("R14", "unlink")]  # fmt: skip
        by_rid = {r["制度固有番号"]: r for r in rows}
        assert by_rid["R05"]["設定する個人番号"] == fixtures.number(4)
        assert by_rid["R05"]["判断者"] == "demo-reviewer"
        assert by_rid["R05"]["承認者"] == "demo-approver"
        for watch in watches:
            assert watch.hosts == {"127.0.0.1"}, watch.hosts
            assert watch.csp_errors == []
        assert full_numbers((tmp_path / "serve.log").read_text(encoding="utf-8")) == []
        reviewer_context.close()
        approver_context.close()
