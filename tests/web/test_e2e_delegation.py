"""End to end in headless Debian chromium: a prefecture answers for three delegated
municipalities.

14神奈川県 answers its own part, records 横須賀市, 藤沢市 and 小田原市, and gets a link for each.
横須賀市 answers the web form through its link; 藤沢市 downloads its sheet through its link and
sends it back there; 小田原市's sheet is returned to the prefecture, which uploads it. The
prefecture sees every answer side by side with the proposal (Q9: ④, the least safe practice),
changes one item with a reason and submits; the ministry's administrator sees, item by item,
which organisation the answer came from, and the dashboard counts the prefecture once.
Screenshots: artifacts/e2e/delegation-*.png.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tenken.survey.document import AnswerDocument
from tenken.survey.pack import load_bundled_pack
from tenken.survey.xlsx.fill import fill_sheet
from tests.survey.test_delegation import example
from tests.web.server import running_site
from tests.web.test_e2e_browser import ARTIFACTS, Watch, _answer, _go, _login, browser

__all__ = ["browser"]  # the module's browser fixture
pytestmark = [pytest.mark.chromium, pytest.mark.slow]

PREFECTURE = "14神奈川県"
YOKOSUKA, FUJISAWA, ODAWARA = "14神奈川県横須賀市", "14神奈川県藤沢市", "14神奈川県小田原市"


def _municipality(org: str, **changed: Any) -> dict[str, Any]:
    data = example("municipality-complete.json")
    answers = {k: v for k, v in {**data["answers"], **changed}.items() if v is not None}
    return {"respondent": {**data["respondent"], "組織名": org}, "answers": answers}


def _filled(blank: bytes, document: dict[str, Any], folder: Path, name: str) -> Path:
    q = load_bundled_pack().questionnaire
    path = folder / name
    doc = AnswerDocument(document["respondent"], document["answers"])
    path.write_bytes(fill_sheet(blank, q, doc))
    return path


def _download(page: Any, selector: str) -> bytes:
    with page.expect_download() as info:
        page.click(selector)
    return Path(info.value.path()).read_bytes()


def _shot(page: Any, name: str, full_page: bool = True) -> None:
    page.screenshot(path=str(ARTIFACTS / f"delegation-{name}.png"), full_page=full_page)


def test_prefecture_collects_three_delegates_and_the_ministry_sees_provenance(
    browser: Any, tmp_path: Path
) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    own = example("prefecture-complete.json")
    own["respondent"]["組織名"] = PREFECTURE
    with running_site(tmp_path, "--demo") as base:
        accounts = json.loads((tmp_path / "demo-accounts.json").read_text(encoding="utf-8"))
        context = browser.new_context(locale="ja-JP", viewport={"width": 1400, "height": 900})
        watch = Watch(context)
        page = watch.page(context)

        # The prefecture answers its own part (a draft) and opens the delegation page.
        _login(page, base, accounts["prefecture"])
        _go(page, "text=回答画面へ")
        _answer(page, own)
        _go(page, "button[value=draft]")
        assert page.is_visible("text=一時保存しました")
        _go(page, "#delegation-link")

        links = {}
        for name in (YOKOSUKA, FUJISAWA, ODAWARA):
            page.fill("#municipality", name)
            _go(page, "button[value=add]")
            message = page.inner_text(".messages")
            found = re.search(r"(http://\S+/delegate/\S+/)", message)
            assert found, message
            links[name] = found.group(1)
        page.fill("#municipality", "13東京都八王子市")
        _go(page, "button[value=add]")
        assert page.is_visible("text=管内の市区町村ではありません")
        assert page.locator("#delegates tr").count() == 4  # header + 3
        _shot(page, "01-delegates")
        delegation_url = page.url

        # 横須賀市 answers the web form through its link (no account).
        outside = browser.new_context(locale="ja-JP", viewport={"width": 1200, "height": 900})
        outsider = Watch(outside)
        delegate = outsider.page(outside)
        delegate.goto(links[YOKOSUKA])
        assert delegate.is_visible(f"text={YOKOSUKA}（{PREFECTURE}からの委任事務）")
        _answer(delegate, _municipality(YOKOSUKA))
        delegate.evaluate("window.scrollTo(0, 0)")
        _shot(delegate, "02-delegate-web-form", full_page=False)
        _go(delegate, "button[value=submit]")
        assert delegate.inner_text("#answer-status") == "提出済み"

        # 藤沢市 downloads its sheet through its link and sends it back there.
        delegate.goto(links[FUJISAWA])
        blank = _download(delegate, "#sheet-download")
        fujisawa = _municipality(FUJISAWA, **{"2": "④", "7-3": "②", "7-4": None, "9": "④"})
        delegate.set_input_files(
            'input[name="sheet"]', str(_filled(blank, fujisawa, tmp_path, "f.xlsx"))
        )
        _go(delegate, "text=回答シートを送信")
        assert delegate.is_visible("text=回答シートを受け付けました")

        # 小田原市's sheet comes back to the prefecture by mail; the prefecture uploads it.
        page.goto(delegation_url)
        row = "#delegates tr:has-text('小田原市')"
        blank = _download(page, f"{row} a")
        odawara = _municipality(ODAWARA, **{"2": "①", "4": "②", "9": "②"})
        page.set_input_files(
            f"{row} input[type=file]", str(_filled(blank, odawara, tmp_path, "o.xlsx"))
        )
        _go(page, f"{row} button")
        assert page.is_visible("text=14神奈川県小田原市 の回答シートを受け付けました")
        assert page.locator("#delegates td.state:has-text('提出済み')").count() == 3

        # Side by side: the proposal follows the caution order.
        nine = page.inner_text('#side-by-side tr[data-item="9"]')
        assert "④" in nine and FUJISAWA in nine
        four = page.inner_text('#side-by-side tr[data-item="4"]')
        assert "②" in four and ODAWARA in four
        page.fill('[name="change-6"]', "①,②")
        page.fill('[name="reason-6"]', "3市とも両方の方法で確認している")
        page.select_option('[name="change-9"]', "②")
        _go(page, "button[value=submit]")
        assert page.is_visible("text=提案から変更した項目には理由が必要です: 項番9")
        page.fill('[name="reason-9"]', "藤沢市は7月から承認理由を記録する運用に改めた")
        _shot(page, "03-side-by-side")
        _go(page, "button[value=submit]")
        assert page.is_visible("text=統合した回答を提出しました")
        assert page.inner_text("#answer-status") == "提出済み"
        _shot(page, "04-submitted")

        # The ministry sees provenance, and the dashboard counts the prefecture once.
        staff_context = browser.new_context(locale="ja-JP", viewport={"width": 1400, "height": 900})
        staff = Watch(staff_context)
        admin = staff.page(staff_context)
        _login(admin, base, accounts["admin"])
        admin.goto(delegation_url)
        nine = admin.inner_text('#provenance tr[data-item="9"]')
        assert "②" in nine and ODAWARA in nine and "都道府県が変更" in nine
        assert "④（14神奈川県藤沢市）" in nine and "承認理由を記録" in nine
        assert ODAWARA in admin.inner_text('#provenance tr[data-item="4"]')
        assert admin.query_selector('[name="change-9"]') is None
        _shot(admin, "05-ministry-provenance")
        admin.goto(f"{base}/dashboard/")
        table = admin.inner_text("#organisations")
        for name in (YOKOSUKA, FUJISAWA, ODAWARA):
            assert name not in table
        assert admin.inner_text('[data-state="提出済み"]') == "1"
        _shot(admin, "06-dashboard")

        for seen in (watch, outsider, staff):
            assert seen.hosts == {"127.0.0.1"}, seen.hosts
            assert seen.csp_errors == []
        for each in (context, outside, staff_context):
            each.close()
