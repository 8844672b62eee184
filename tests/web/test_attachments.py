"""Attachments: type and size limits, kept across later saves, readable only by those allowed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tenken.store.models import Response
from tenken.web.site import attachments
from tests.web.conftest import Site
from tests.web.test_answer_form import _complete, _own, _url
from tests.web.test_answer_store import _save

PDF = b"%PDF-1.7\n% sample\n"


@pytest.fixture(autouse=True)
def _workspace(settings: Any, tmp_path: Path) -> None:
    """Uploaded files go to a temporary workspace."""
    settings.WORKSPACE = tmp_path


def _attach(site: Site, name: str, data: bytes, requested: str = "事務取扱要領") -> str:
    upload = SimpleUploadedFile(name, data)
    client = site.client_for(site.respondent)
    data_ = {"requested": requested, "file": upload}
    return client.post(_own(site) + "attachments/", data_, follow=True).content.decode()


def test_a_pdf_is_attached_and_survives_later_saves(site: Site) -> None:
    """The file is listed on the form, kept after a new draft, and downloads unchanged."""
    _save(site, _complete(), "draft")
    body = _attach(site, "要領.pdf", PDF)
    assert "添付しました" in body
    _save(site, _complete(), "submit")
    current = Response.objects.get(is_current=True)
    assert [a.name for a in current.attachments.all()] == [
        "マイナンバー情報連携に係る事務取扱要領等: 要領.pdf"
    ]
    page = site.client_for(site.admin).get(_own(site))
    attached = page.context["attached"]
    download = site.client_for(site.viewer).get(_own(site) + f"attachments/{attached[0].id}")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]


def test_wrong_types_and_disguised_files_are_refused(site: Site) -> None:
    """An .exe, an empty file, and a 'PDF' that is not one are all refused."""
    _save(site, _complete(), "draft")
    assert "受け付けません" in _attach(site, "tool.exe", b"MZ\x90\x00")
    assert "空のファイル" in _attach(site, "empty.pdf", b"")
    assert "形式ではありません" in _attach(site, "fake.pdf", b"<html>")
    assert not Response.objects.get(is_current=True).attachments.exists()


def test_the_size_limit_holds() -> None:
    """Files over 10 MB are refused before anything is written."""
    with pytest.raises(attachments.AttachmentError, match="10MB"):
        attachments.check("big.pdf", b"%PDF-" + b"0" * attachments.MAX_BYTES)


def test_an_attachment_not_requested_is_refused(site: Site) -> None:
    """Only documents the questionnaire asks of this answer can be attached (Q10 概要 needs ②-④)."""
    _save(site, _complete(), "draft")  # Q10 is ① here: 10-概要 is not requested
    assert "選んでください" in _attach(site, "概要.pdf", PDF, requested="10-概要")


def test_attaching_needs_a_saved_answer(site: Site) -> None:
    """Before the first save there is no response to attach to."""
    assert "一時保存してから" in _attach(site, "要領.pdf", PDF)


def test_other_organisations_cannot_attach_or_download(site: Site) -> None:
    """The upload and download URLs follow the form's permission rule."""
    _save(site, _complete(), "draft")
    _attach(site, "要領.pdf", PDF)
    attached = site.client_for(site.admin).get(_own(site)).context["attached"]
    other = site.client_for(site.other)
    assert other.get(_own(site) + f"attachments/{attached[0].id}").status_code == 403
    upload = SimpleUploadedFile("x.pdf", PDF)
    response = other.post(
        _own(site) + "attachments/", {"requested": "事務取扱要領", "file": upload}
    )
    assert response.status_code == 403
    mine = site.client_for(site.other).get(_url(site, "13東京都") + f"attachments/{attached[0].id}")
    assert mine.status_code == 404  # that id is not an attachment of 13東京都


def _with_case(document: dict[str, Any]) -> dict[str, Any]:
    """Q10 ②: a mislinking case that was fixed; its 概要 must be attached."""
    document["answers"]["10"] = "②"
    return document


def test_a_missing_required_attachment_is_a_problem_until_it_is_attached(site: Site) -> None:
    """missing_attachment: 提出済み（不備あり） on the dashboard until the 概要 is attached."""
    _save(site, _with_case(_complete()), "submit", confirm="submit")
    counted = Response.objects.get(is_counted=True)
    assert [p["kind"] for p in counted.problems] == ["missing_attachment"]
    board = site.client_for(site.viewer).get("/dashboard/").context["progress"]
    assert board.counts["提出済み（不備あり）"] == 1
    _attach(site, "概要.pdf", PDF, requested="10-概要")
    counted.refresh_from_db()
    assert counted.problems == []
    board = site.client_for(site.viewer).get("/dashboard/").context["progress"]
    assert board.counts["提出済み"] == 1 and board.counts["提出済み（不備あり）"] == 0


def test_uploading_a_sheet_keeps_the_attachments_already_given(site: Site) -> None:
    """A sheet sent after the 概要 was attached keeps it, and the check counts it."""
    from tenken.survey.document import AnswerDocument
    from tenken.survey.xlsx.fill import fill_sheet
    from tenken.web.accounts.models import Organisation
    from tenken.web.site.answer_views import questionnaire_for
    from tenken.web.site.entries import get_entry

    _save(site, _with_case(_complete()), "draft")
    _attach(site, "概要.pdf", PDF, requested="10-概要")
    client = site.client_for(site.respondent)
    blank = client.get(_own(site) + "sheet.xlsx").content
    entry = get_entry(site.round.pk, Organisation.objects.get(name="14神奈川県相模原市").pk)
    document = _with_case(_complete())
    filled = fill_sheet(
        blank, questionnaire_for(entry), AnswerDocument(document["respondent"], document["answers"])
    )
    client.post(_own(site) + "sheet/", {"sheet": SimpleUploadedFile("回答.xlsx", filled)})
    counted = Response.objects.get(is_counted=True)
    assert counted.source_name == "回答.xlsx" and counted.problems == []
    assert [a.name for a in counted.attachments.all()] == ["紐付け誤り事例の概要: 概要.pdf"]
