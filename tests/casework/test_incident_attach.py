"""The Q10 概要 attached to the organisation's survey answer in one step, from the register."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tenken.linkage.review.model import Role
from tenken.store.casework.models import Cause, Incident
from tenken.store.models import Response, Round
from tenken.web.site import attachments
from tests.casework.conftest import ORG, Staff
from tests.web.conftest import Site
from tests.web.test_answer_form import _complete
from tests.web.test_answer_store import _save

REGISTER = "/review/incidents/"
ATTACH = "/review/incidents/attach/"


@pytest.fixture(autouse=True)
def _workspace(settings: Any, tmp_path: Path) -> None:
    settings.WORKSPACE = tmp_path


def _with_case(document: dict[str, Any]) -> dict[str, Any]:
    """Q10 ②: a mislinking case that was fixed; its 概要 must be attached."""
    document["answers"]["10"] = "②"
    return document


@pytest.fixture
def respondent(site: Site) -> Any:
    """The organisation's respondent, also a reviewer of its incident register."""
    from tenken.store.casework.services import grant

    grant("cli:setup", site.respondent, ORG, Role.REVIEWER)
    Incident.objects.create(
        organisation=ORG, title="同姓同名の取り違え", found_on=dt.date(2026, 4, 1),
        cause=Cause.OTHER, records_affected=2, created_by="x",
    )  # fmt: skip
    return site.respondent


def _post(site: Site, user: Any, **extra: str) -> Any:
    data = {"organisation": ORG, "round": str(site.round.pk), "requested": "10-概要",
            "format": "xlsx", **extra}  # fmt: skip
    return site.client_for(user).post(ATTACH, data, follow=True)


def test_one_step_attaches_the_summary_and_clears_the_problem(site: Site, respondent: Any,
                                                               settings: Any) -> None:  # fmt: skip
    """The form preselects the missing 概要; posting it attaches the made xlsx to the answer."""
    _save(site, _with_case(_complete()), "submit", confirm="submit")
    counted = Response.objects.get(is_counted=True)
    assert [p["kind"] for p in counted.problems] == ["missing_attachment"]
    page = site.client_for(respondent).get(REGISTER)
    assert "調査の回答に添付" in page.content.decode()
    [target] = page.context["attach"][ORG]
    assert target.default == "10-概要"
    body = _post(site, respondent).content.decode()
    assert "添付しました" in body
    counted.refresh_from_db()
    assert counted.problems == []
    [attached] = counted.attachments.all()
    assert attached.name.startswith("紐付け誤り事例の概要: ") and attached.name.endswith(".xlsx")
    blob = attachments.blob_path(settings.WORKSPACE / "uploads", attached.sha256)
    sheet = load_workbook(io.BytesIO(blob.read_bytes())).active
    assert any("同姓同名の取り違え" in str(c.value) for row in sheet.iter_rows() for c in row)
    assert site.client_for(respondent).get(REGISTER).context["attach"][ORG][0].default == ""


def test_html_is_attached_too(site: Site, respondent: Any) -> None:
    _save(site, _with_case(_complete()), "draft")
    _post(site, respondent, format="html")
    [attached] = Response.objects.get(is_current=True).attachments.all()
    assert attached.name.endswith(".html")


def test_without_an_answer_the_user_is_told_to_save_first(site: Site, respondent: Any) -> None:
    body = _post(site, respondent).content.decode()
    assert "まだありません" in body
    assert not Response.objects.exists()


def test_an_attachment_the_answer_does_not_ask_for_is_refused(site: Site, respondent: Any) -> None:
    _save(site, _complete(), "draft")  # Q10 ①: no 概要 requested
    assert "選んでください" in _post(site, respondent).content.decode()
    assert not Response.objects.get(is_current=True).attachments.exists()


def test_another_organisation_and_non_respondents_are_refused(site: Site, staff: Staff,
                                                             respondent: Any) -> None:  # fmt: skip
    """Another organisation's reviewer: 403; this organisation's reviewer who is not its
    respondent (no survey-answer rights): refused and shown no form."""
    _save(site, _with_case(_complete()), "draft")
    assert _post(site, staff.other_reviewer).status_code == 403
    assert _post(site, staff.reviewer).status_code == 403
    assert _post(site, site.other).status_code == 403  # 13東京都's respondent
    page = site.client_for(staff.reviewer).get(REGISTER)
    assert page.status_code == 200 and "調査の回答に添付" not in page.content.decode()
    assert not Response.objects.get(is_current=True).attachments.exists()


def test_no_form_after_the_deadline(site: Site, respondent: Any) -> None:
    """A closed round's answer cannot change: no form, and a post is refused."""
    _save(site, _with_case(_complete()), "draft")
    Round.objects.filter(pk=site.round.pk).update(deadline=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    page = site.client_for(respondent).get(REGISTER)
    assert "調査の回答に添付" not in page.content.decode()
    assert _post(site, respondent).status_code == 403


def test_in_a_round_with_two_seido_the_summary_goes_to_the_chosen_seido_answer(
    site: Site, respondent: Any, tmp_path: Path
) -> None:
    """One target per 制度 the organisation answers; the 概要 is attached to that 制度's answer
    only (the register page works for a round with several 制度)."""
    from tests.store.seido import B
    from tests.web.test_answer_form import _post_data
    from tests.web.test_seido import _make_round, _respondent

    _make_round(site, tmp_path)
    divided = Round.objects.get(title="二制度の調査")
    client, url = _respondent(divided, ORG)
    client.post(
        url + "?seido=2", {**_post_data(_with_case(_complete()), "submit"), "confirm": "submit"}
    )
    targets = site.client_for(respondent).get(REGISTER).context["attach"][ORG]
    mine = [(t.entry.survey_round_id, t.entry.seido) for t in targets]
    assert (divided.pk, B) in mine and len([m for m in mine if m[0] == divided.pk]) == 2
    body = _post(site, respondent, round=str(divided.pk), seido=B).content.decode()
    assert "添付しました" in body
    answer = Response.objects.get(round=divided, is_counted=True)
    assert answer.seido == B and answer.problems == [] and answer.attachments.count() == 1
