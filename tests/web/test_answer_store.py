"""Saving through the survey store: drafts, submission, history, uploaded sheets, dashboard."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from tenken.store.models import Response
from tenken.web.accounts.models import Organisation
from tenken.web.site.entries import get_entry
from tests.web.conftest import Site
from tests.web.test_answer_form import _complete, _own, _post_data, _url


def _save(
    site: Site, document: dict[str, Any], action: str, user: Any = None, confirm: str = ""
) -> Any:
    client = site.client_for(user or site.respondent)
    data = _post_data(document, action)
    if confirm:
        data["confirm"] = confirm
    return client.post(_own(site), data, follow=True)


def test_a_draft_is_kept_and_shown_on_return(site: Site) -> None:
    """An incomplete draft is stored (with its flags) and the form shows it again later."""
    document = _complete()
    del document["answers"]["10"]
    response = _save(site, document, "draft")
    assert "一時保存しました" in response.content.decode()
    current = Response.objects.get(org_name="14神奈川県相模原市", is_current=True)
    assert current.unanswered and current.answers["3"] == "①"
    again = site.client_for(site.respondent).get(_own(site))
    assert again.context["status_label"] == "一時保存"
    assert 'value="①" checked' in again.content.decode()


def test_submitting_with_problems_asks_then_is_counted_as_submitted_with_problems(
    site: Site,
) -> None:
    """One rule for both paths: an answer with problems is accepted, as a sheet with flags is,
    after the form asks; it shows as 提出済み（不備あり）, a complete one as 提出済み."""
    document = _complete()
    del document["answers"]["10"]
    asked = _save(site, document, "submit")
    assert "このまま提出すると「提出済み（不備あり）」" in asked.content.decode()
    assert not Response.objects.exists()
    confirmed = _save(site, document, "submit", confirm="submit")
    assert "提出しました（不備 1 件あり）" in confirmed.content.decode()
    counted = Response.objects.get(is_counted=True)
    assert counted.unanswered and counted.origin == "web_submission"
    page = site.client_for(site.respondent).get(_own(site))
    assert page.context["status_label"] == "提出済み（不備あり）"
    accepted = _save(site, _complete(), "submit")
    assert "提出しました。" in accepted.content.decode()
    counted = Response.objects.get(is_counted=True)
    assert not counted.unanswered and not counted.missing_info and counted.problems == []
    assert site.client_for(site.respondent).get(_own(site)).context["status_label"] == "提出済み"


def test_a_draft_after_a_submission_asks_and_never_withdraws_it(site: Site) -> None:
    """The submitted answer stays counted (dashboard, report) until a new one is submitted."""
    _save(site, _complete(), "submit")
    changed = _complete()
    changed["answers"]["3"] = "②"
    asked = _save(site, changed, "draft")
    assert "提出済みの回答があります" in asked.content.decode()
    assert Response.objects.count() == 1
    _save(site, changed, "draft", confirm="draft")
    assert Response.objects.get(is_current=True).origin == "web_draft"
    counted = Response.objects.get(is_counted=True)
    assert counted.origin == "web_submission" and counted.answers["3"] == "①"
    progress = site.client_for(site.viewer).get("/dashboard/").context["progress"]
    assert progress.counts["提出済み"] == 1


def test_every_change_is_kept_as_history(site: Site) -> None:
    """Each save is a new version in the store; the latest is current and all are listed."""
    document = _complete()
    _save(site, document, "draft")
    document["answers"]["2"] = "①"
    del document["answers"]["2-予定年月"]
    _save(site, document, "draft")
    _save(site, document, "submit")
    versions = Response.objects.filter(org_name="14神奈川県相模原市")
    assert versions.count() == 3
    assert versions.get(is_current=True).origin == "web_submission"
    history = site.client_for(site.admin).get(_own(site)).context["history"]
    assert len(history) == 3 and history[0].current


def test_the_dashboard_counts_drafts_and_submissions(site: Site) -> None:
    """After one draft the dashboard shows 一時保存 1 and 未着手 1; after submit 提出済み 1."""
    document = _complete()
    del document["answers"]["10"]
    _save(site, document, "draft")
    client = site.client_for(site.viewer)
    progress = client.get("/dashboard/").context["progress"]
    assert progress.counts == {"提出済み": 0, "提出済み（不備あり）": 0, "一時保存": 1, "未着手": 1}
    assert progress.flagged == 0  # a draft's flags are not counted: it is not an answer yet
    _save(site, _complete(), "submit")
    progress = client.get("/dashboard/").context["progress"]
    assert progress.counts == {"提出済み": 1, "提出済み（不備あり）": 0, "一時保存": 0, "未着手": 1}
    assert progress.flagged == 0


def test_an_uploaded_sheet_goes_through_ingest(site: Site) -> None:
    """A downloaded sheet, filled and uploaded, becomes the current response via ingest."""
    from tenken.survey.document import AnswerDocument
    from tenken.survey.xlsx.fill import fill_sheet
    from tenken.web.site.answer_views import questionnaire_for

    client = site.client_for(site.respondent)
    blank = client.get(_own(site) + "sheet.xlsx").content
    entry = get_entry(site.round.pk, Organisation.objects.get(name="14神奈川県相模原市").pk)
    document = _complete()
    filled = fill_sheet(
        blank, questionnaire_for(entry), AnswerDocument(document["respondent"], document["answers"])
    )
    upload = SimpleUploadedFile("回答.xlsx", filled)
    response = client.post(_own(site) + "sheet/", {"sheet": upload}, follow=True)
    assert "受け付けました" in response.content.decode()
    current = Response.objects.get(is_current=True)
    assert current.source_name == "回答.xlsx" and not current.unanswered


def test_another_organisations_sheet_is_refused(site: Site) -> None:
    """A sheet whose 組織名 is another organisation is not stored."""
    other = site.client_for(site.other).get(_url(site, "13東京都") + "sheet.xlsx").content
    upload = SimpleUploadedFile("tokyo.xlsx", other)
    response = site.client_for(site.respondent).post(
        _own(site) + "sheet/", {"sheet": upload}, follow=True
    )
    assert "13東京都 のもの" in response.content.decode()
    assert not Response.objects.exists()


def test_uploads_are_limited_to_xlsx_and_own_organisation(site: Site) -> None:
    """A .xlsm or a non-sheet is refused; another organisation's upload URL is 403."""
    client = site.client_for(site.respondent)
    bad = SimpleUploadedFile("macro.xlsm", b"PK")
    assert (
        "マクロ" in client.post(_own(site) + "sheet/", {"sheet": bad}, follow=True).content.decode()
    )
    fake = SimpleUploadedFile("fake.xlsx", b"not a zip")
    body = client.post(_own(site) + "sheet/", {"sheet": fake}, follow=True).content.decode()
    assert "受け付けられませんでした" in body
    other = SimpleUploadedFile("x.xlsx", b"PK")
    assert client.post(_url(site, "13東京都") + "sheet/", {"sheet": other}).status_code == 403
    assert (
        site.client_for(site.viewer).post(_own(site) + "sheet/", {"sheet": other}).status_code
        == 403
    )
    assert not Response.objects.exists()
