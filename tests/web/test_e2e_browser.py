"""End to end in headless Debian chromium against `tenken serve`: respondent and administrator.

Playwright drives /usr/bin/chromium (never a downloaded browser). Every request the pages make
is recorded and must go to the local site only; CSP violations reported in the console fail
the test. Screenshots land in artifacts/e2e/ (gitignored) for a human to look at.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.web.server import running_site

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "e2e"
EXAMPLES = ROOT / "src" / "tenken" / "survey" / "examples"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [pytest.mark.chromium, pytest.mark.slow]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (sudo bash scripts/system-deps.sh)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield instance
        instance.close()


class Watch:
    """Collects the hosts of every request and every CSP complaint of one browser context."""

    def __init__(self, context: Any) -> None:
        self.hosts: set[str] = set()
        self.csp_errors: list[str] = []
        context.on("request", lambda request: self.hosts.add(urlsplit(request.url).hostname))

    def page(self, context: Any) -> Any:
        page = context.new_page()
        page.on("console", self._console)
        return page

    def _console(self, message: Any) -> None:
        if "Content Security Policy" in message.text:
            self.csp_errors.append(message.text)


def _go(page: Any, selector: str) -> None:
    """Click what submits a form or follows a link, and wait until the next page has loaded.

    ``page.click`` returns once the navigation has started, so a check right after it could
    still read the old page (the flaky 「一時保存しました」 under load); ``is_visible`` never waits.
    """
    with page.expect_navigation(timeout=30_000):
        page.click(selector)


def _login(page: Any, base: str, account: dict[str, str]) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", account["username"])
    page.fill("#id_password", account["password"])
    _go(page, "button[type=submit]")


def _is_skipped(page: Any, name: str) -> bool:
    return bool(
        page.eval_on_selector(
            f'[data-field="{name}"]', "e => e.classList.contains('not-applicable')"
        )
    )


def _answer(page: Any, document: dict[str, Any]) -> None:
    """Type a whole answer document into the form, field by field, in questionnaire order."""
    for section in ("respondent", "answers"):
        for name, value in document[section].items():
            selector = f'[name="q:{name}"]'
            if page.query_selector(selector) is None:
                continue  # fixed by the site (組織名, 組織区分, ministry fields)
            if isinstance(value, list):
                for code in value:
                    page.check(f'{selector}[value="{code}"]')
            elif page.query_selector(f'{selector}[type="radio"]') is not None:
                page.check(f'{selector}[value="{value}"]')
            else:
                page.fill(selector, value)


def test_respondent_answers_drafts_returns_submits_and_admin_sees_it(
    browser: Any, tmp_path: Path
) -> None:
    """Login, live skip logic, check, draft, come back, submit; dashboard and report show it."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    example = json.loads((EXAMPLES / "municipality-complete.json").read_text(encoding="utf-8"))
    with running_site(tmp_path, "--demo") as base:
        accounts = json.loads((tmp_path / "demo-accounts.json").read_text(encoding="utf-8"))
        context = browser.new_context(locale="ja-JP", viewport={"width": 1200, "height": 900})
        watch = Watch(context)
        page = watch.page(context)

        _login(page, base, accounts["respondent"])
        _go(page, "text=回答画面へ")
        assert page.is_visible("text=14神奈川県相模原市")
        assert _is_skipped(page, "1-2") and not _is_skipped(page, "1-1")

        page.fill('[name="q:担当部署名"]', "健康福祉局福祉部地域福祉課")
        page.check('[name="q:3"][value="②"]')
        assert _is_skipped(page, "4") and _is_skipped(page, "5")
        assert page.is_disabled('[name="q:4"][value="①"]')
        page.screenshot(path=str(ARTIFACTS / "01-skip-logic.png"), full_page=True)

        page.check('[name="q:3"][value="①"]')
        assert not _is_skipped(page, "4") and not _is_skipped(page, "5")
        page.check('[name="q:5"][value="①"]')
        assert _is_skipped(page, "6")
        page.check('[name="q:2"][value="③"]')
        assert not _is_skipped(page, "2-予定年月")

        _go(page, "button[value=check]")
        assert page.is_visible("text=未回答あり")
        assert "補足" in page.inner_text('[data-field="2-予定年月"]')
        assert page.input_value('[name="q:担当部署名"]') == "健康福祉局福祉部地域福祉課"
        assert _is_skipped(page, "6")
        page.screenshot(path=str(ARTIFACTS / "02-checked.png"), full_page=True)

        _answer(page, example)
        assert not _is_skipped(page, "6")
        _go(page, "button[value=draft]")
        assert page.is_visible("text=一時保存しました")

        page.goto(f"{base}/")
        assert page.is_visible("td:has-text('一時保存')")
        _go(page, "text=回答画面へ")
        assert page.input_value('[name="q:担当部署名"]') == example["respondent"]["担当部署名"]
        assert page.is_checked('[name="q:10"][value="①"]')
        _go(page, "button[value=submit]")
        assert page.is_visible("text=提出しました")
        assert page.inner_text("#answer-status") == "提出済み"
        page.screenshot(path=str(ARTIFACTS / "03-submitted.png"), full_page=True)

        staff_context = browser.new_context(locale="ja-JP", viewport={"width": 1200, "height": 900})
        staff = Watch(staff_context)
        staff_page = staff.page(staff_context)
        _login(staff_page, base, accounts["admin"])
        assert staff_page.is_visible("text=回答の進捗")
        assert staff_page.inner_text('[data-state="提出済み"]') == "1"
        staff_page.select_option("#f-pref", "神奈川県")
        _go(staff_page, "text=絞り込む")
        assert staff_page.is_visible("text=14神奈川県相模原市")
        assert not staff_page.is_visible("text=13東京都八王子市")
        row = staff_page.inner_text("#organisations tr:has-text('14神奈川県相模原市')")
        assert "提出済み" in row
        # The dashboard embeds the report: its SVG charts render inside the frame.
        charts = staff_page.frame_locator("#report-frame").locator("#summary svg")
        charts.first.wait_for(timeout=15000)
        assert charts.count() > 0
        staff_page.screenshot(path=str(ARTIFACTS / "04-dashboard.png"), full_page=True)
        _go(staff_page, "text=レポートを表示")
        assert staff_page.locator("svg").count() > 0
        staff_page.screenshot(path=str(ARTIFACTS / "05-report.png"), full_page=True)

        for seen in (watch, staff):
            assert seen.hosts == {"127.0.0.1"}, seen.hosts
            assert seen.csp_errors == []
        context.close()
        staff_context.close()


def test_the_form_works_without_javascript(browser: Any, tmp_path: Path) -> None:
    """With JavaScript off, 点検 re-renders with the skip rules applied and a draft saves."""
    with running_site(tmp_path, "--demo") as base:
        accounts = json.loads((tmp_path / "demo-accounts.json").read_text(encoding="utf-8"))
        context = browser.new_context(locale="ja-JP", java_script_enabled=False)
        watch = Watch(context)
        page = watch.page(context)
        _login(page, base, accounts["respondent"])
        _go(page, "text=回答画面へ")
        page.check('[name="q:3"][value="②"]')
        assert not _has_class(page, "4", "not-applicable")  # nothing live without JS
        _go(page, "button[value=check]")
        assert _has_class(page, "4", "not-applicable")
        assert page.is_disabled('[name="q:4"][value="①"]')
        _go(page, "button[value=draft]")
        assert page.is_visible("text=一時保存しました")
        assert page.is_checked('[name="q:3"][value="②"]')
        assert watch.hosts == {"127.0.0.1"}
        context.close()


def _has_class(page: Any, name: str, cls: str) -> bool:
    """Read the class attribute without running page JavaScript (it is off in this context)."""
    return cls in (page.get_attribute(f'[data-field="{name}"]', "class") or "").split()
