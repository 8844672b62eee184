"""The HTML report in headless Chromium (Debian's): it renders its charts and fetches nothing.

Needs Debian's /usr/bin/chromium and the playwright Python package (which must not download a
browser of its own: we launch the system one). Skipped cleanly when either is missing.
The screenshot is saved as artifacts/report.png (gitignored) for a person to look at.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tenken.survey.local_governments import all_local_governments
from tenken.survey.model import Questionnaire
from tenken.survey.pack import load_bundled_pack
from tenken.survey.report import build_pack_report, write_report
from tenken.survey.sample import generate

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]  # fmt: skip

pytestmark = pytest.mark.chromium


def test_report_renders_offline_with_charts(questionnaire: Questionnaire, tmp_path: Path) -> None:
    """Only the report file itself is requested; the DOM has the summary, charts and lists."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed")
    roster = all_local_governments()[:300]
    sample = generate(load_bundled_pack(), roster, seed=3)
    data = build_pack_report(load_bundled_pack(), roster, sample.documents, "test")
    write_report(data, tmp_path)
    page_url = (tmp_path / "report.html").as_uri()

    requests: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            context = browser.new_context(viewport={"width": 1200, "height": 900})

            def record(route: object) -> None:
                url = route.request.url  # type: ignore[attr-defined]
                requests.append(url)
                if url == page_url:
                    route.continue_()  # type: ignore[attr-defined]
                else:
                    route.abort()  # type: ignore[attr-defined]

            context.route("**/*", record)
            page = context.new_page()
            page.on("request", lambda r: requests.append(r.url))
            page.goto(page_url, wait_until="load")
            dom = page.evaluate(
                """() => ({
                    title: document.querySelector('h1').textContent,
                    charts: document.querySelectorAll('svg.chart').length,
                    bars: document.querySelectorAll('svg.bars rect.bar').length,
                    items: document.querySelectorAll('article.item').length,
                    crosstabs: document.querySelectorAll('figure.crosstab').length,
                    rules: document.querySelectorAll('table.rules tbody tr').length,
                    high: document.querySelectorAll('#orgs-high + table tbody tr').length,
                    note: document.querySelector('#note').textContent,
                    scripts: document.scripts.length,
                    chartWidth: document.querySelector('svg.bars').getBoundingClientRect().width,
                })"""
            )
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=False)
            page.locator("#items").scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / "report-items.png"))
        finally:
            browser.close()

    assert set(requests) == {page_url}, requests
    assert "マイナンバー情報連携関係実態調査" in dom["title"]
    assert dom["items"] == len(data.tallies) and dom["crosstabs"] == len(data.crosstabs)
    assert dom["rules"] == len(data.rules.rules)
    assert dom["high"] == sum(o.level == "高" for o in data.orgs) > 0
    assert dom["charts"] > dom["items"] and dom["bars"] > 0 and dom["chartWidth"] > 300
    assert dom["scripts"] == 0
    assert "記載どおりに扱います" in dom["note"]
    assert (ARTIFACTS / "report.png").stat().st_size > 10_000
