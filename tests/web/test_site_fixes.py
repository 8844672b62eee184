"""Defects found by trying the site as a new user would (issue 10, item 6)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook, load_workbook

from tenken.store import api
from tenken.store.models import Response
from tenken.survey.document import AnswerDocument
from tenken.survey.engine import evaluate
from tenken.survey.xlsx.layout import MAIN, build_layout
from tenken.survey.xlsx.reader import read_sheet_bytes
from tests.web.conftest import PASSWORD, Site
from tests.web.test_answer_form import _complete, _own, _post_data
from tests.web.test_answer_store import _save

FORMULA = '=HYPERLINK("http://example.com","x")'


def _questionnaire(site: Site) -> Any:
    return api.questionnaire_of(site.round)


def _stored_draft(site: Site, **respondent: str) -> None:
    """A draft written straight through the store (as older data or another path could be)."""
    document = _complete()
    document["respondent"].update(respondent)
    q = _questionnaire(site)
    doc = AnswerDocument(document["respondent"], document["answers"])
    member = api.Member("14神奈川県相模原市", "市区町村", "神奈川県")
    api.save_web(site.round, member, q, doc, evaluate(q, doc), submit=False, username="t")


def test_a_control_character_is_refused_at_input(site: Site) -> None:
    """U+0001 in an answer: a clear message naming the field; nothing is stored."""
    document = _complete()
    document["respondent"]["担当部署名"] = "福祉\x01課"
    body = _save(site, document, "draft").content.decode()
    assert "担当部署名 に使えない文字（制御文字 U+0001）" in body
    assert not Response.objects.exists()


def test_a_stored_control_character_never_breaks_the_sheet_download(site: Site) -> None:
    """A control character already in the store is dropped by the writer (was a 500)."""
    _stored_draft(site, 担当部署名="福祉\x0b課")
    response = site.client_for(site.respondent).get(_own(site) + "sheet.xlsx")
    assert response.status_code == 200
    document = read_sheet_bytes(response.content, _questionnaire(site), "download.xlsx")
    assert document.respondent["担当部署名"] == "福祉課"


def test_formula_text_is_written_as_text_and_reads_back(site: Site) -> None:
    """An answer beginning with = is a string cell in the downloaded sheet, not a formula."""
    _stored_draft(site, 担当部署名=FORMULA, 電話番号="+81-42-000-0000", 連絡先氏名="@相模")
    data = site.client_for(site.respondent).get(_own(site) + "sheet.xlsx").content
    q = _questionnaire(site)
    cells = build_layout(q).fields
    ws = load_workbook(io.BytesIO(data))[MAIN]
    cell = ws[cells["担当部署名"].input]
    assert (cell.value, cell.data_type) == (FORMULA, "s")
    document = read_sheet_bytes(data, q, "download.xlsx")
    assert document.respondent["担当部署名"] == FORMULA
    assert document.respondent["電話番号"] == "+81-42-000-0000"
    assert document.respondent["連絡先氏名"] == "@相模"


def test_formula_text_in_generated_csvs_is_neutralised(tmp_path: Any) -> None:
    """The sheets' dispatch list (送付一覧.csv) never carries a live formula."""
    from tenken.survey.loader import load_bundled
    from tenken.survey.roster import RosterEntry
    from tenken.survey.xlsx.batch import write_roster_forms

    entry = RosterEntry("13東京都", "都道府県", email="=cmd|' /C calc'!A0")
    write_roster_forms(load_bundled(), [entry], tmp_path)
    text = (tmp_path / "送付一覧.csv").read_text("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][2] == "'=cmd|' /C calc'!A0"


def test_not_found_and_server_error_pages_are_japanese(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """404 and 500 are Japanese pages that show no internal text."""
    admin = site.client_for(site.admin)
    missing = admin.get(f"/rounds/{site.round.pk}/report.exe")
    assert missing.status_code == 404
    body = missing.content.decode()
    assert "ページが見つかりません" in body and "unknown report format" not in body
    assert "ページが見つかりません" in admin.get("/no/such/page/").content.decode()

    from tenken.web.site import progress

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("/srv/secret/path exploded")

    monkeypatch.setattr(progress, "progress", broken)
    client = Client(raise_request_exception=False)
    client.force_login(site.admin)
    failed = client.get("/dashboard/")
    assert failed.status_code == 500
    assert "システムエラーが発生しました" in failed.content.decode()
    assert "/srv/secret" not in failed.content.decode()


def test_upload_errors_show_no_server_path_or_command_line_wording(site: Site) -> None:
    """A workbook that is not one of our sheets: the message names the upload, not the server."""
    workbook = Workbook()
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("自分の表.xlsx", buffer.getvalue())
    client = site.client_for(site.respondent)
    body = client.post(_own(site) + "sheet/", {"sheet": upload}, follow=True).content.decode()
    assert "自分の表.xlsx" in body and "受け付けられませんでした" in body
    assert str(settings.WORKSPACE) not in body and "uploads/" not in body
    message = body.split("受け付けられませんでした")[1][:300]
    assert "tenken survey" not in message and "--" not in message


def test_flag_badges_untouched_form_and_the_problem_list(site: Site) -> None:
    """Badges read あり/なし; a new form is not red; after 点検 a list links to each problem."""
    client = site.client_for(site.respondent)
    fresh = client.get(_own(site)).content.decode()
    assert "情報未入力ありなし" not in fresh and "未回答ありなし" not in fresh
    assert "has-problem" not in fresh and 'id="problem-list"' not in fresh
    document = _complete()
    del document["answers"]["10"]
    checked = client.post(_own(site), _post_data(document, "check")).content.decode()
    assert '<span class="flag on">未回答あり</span>' in checked
    assert '<span class="flag off">情報未入力なし</span>' in checked
    assert 'id="problem-list"' in checked and 'href="#field-10"' in checked


def test_sheet_wording_is_not_shown_next_to_web_checkboxes(site: Site) -> None:
    """「○」を入れてください belongs to the Excel sheet; the form says 選んでください."""
    body = site.client_for(site.respondent).get(_own(site)).content.decode()
    assert "「○」を入れてください" not in body
    assert "該当するものをすべて選んでください" in body


def test_pages_with_answers_are_not_cached(site: Site) -> None:
    """The answer form, the dashboard and the round page send Cache-Control: no-store."""
    assert site.client_for(site.respondent).get(_own(site))["Cache-Control"] == "no-store"
    admin = site.client_for(site.admin)
    for url in ("/dashboard/", f"/rounds/{site.round.pk}/"):
        assert admin.get(url)["Cache-Control"] == "no-store"


def test_many_usernames_from_one_address_lock_that_address(site: Site, settings: Any) -> None:
    """Password spraying: failures over many usernames lock the address; the page says how long."""
    settings.TENKEN_LOGIN_IP_FAILURE_LIMIT = 6
    client = Client()
    for n in range(6):
        response = client.post("/login/", {"username": f"user{n}", "password": "x"})
        assert response.status_code == 200
    locked = client.post("/login/", {"username": "viewer", "password": PASSWORD})
    assert locked.status_code == 429
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    assert f"{minutes} 分間ログインできません" in locked.content.decode()


def test_the_account_lockout_message_says_for_how_long(site: Site) -> None:
    """django-axes' lockout page (one account) shows the cool-off in minutes."""
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post("/login/", {"username": "viewer", "password": "wrong"})
    assert response.status_code == 429
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    assert f"{minutes} 分間ログインできません" in response.content.decode()
