"""The answer form: generated from the questionnaire, checked by the engine, permission-bound."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.utils import timezone

from tenken.store.models import RosterEntry
from tenken.web.accounts.models import Organisation
from tenken.web.site.entries import get_entry
from tests.web.conftest import Site

EXAMPLES = Path(__file__).resolve().parents[2] / "src" / "tenken" / "survey" / "examples"


def _url(site: Site, org_name: str) -> str:
    org = Organisation.objects.get(name=org_name)
    return f"/rounds/{site.round.pk}/answers/{org.pk}/"


def _own(site: Site) -> str:
    return _url(site, "14神奈川県相模原市")


def _post_data(document: dict[str, Any], action: str = "check") -> dict[str, Any]:
    data: dict[str, Any] = {"action": action}
    for section in ("respondent", "answers"):
        for name, value in document.get(section, {}).items():
            data[f"q:{name}"] = value
    return data


def _complete() -> dict[str, Any]:
    text = (EXAMPLES / "municipality-complete.json").read_text(encoding="utf-8")
    return dict(json.loads(text))


def _fieldset(body: str, name: str) -> str:
    match = re.search(rf'<fieldset[^>]*data-field="{re.escape(name)}".*?</fieldset>', body, re.S)
    assert match, name
    return match.group(0)


def test_the_form_lists_every_questionnaire_field_with_its_rules(site: Site) -> None:
    """Each field is drawn; the prefecture-only item is shown as not applying to a municipality."""
    body = site.client_for(site.respondent).get(_own(site)).content.decode()
    for name in ("組織名", "1-1", "1-2", "2", "2-予定年月", "6", "10"):
        assert f'data-field="{name}"' in body
    assert "not-applicable" in _fieldset(body, "1-2")
    assert "not-applicable" not in _fieldset(body, "1-1")
    assert "data-relevant=" in _fieldset(body, "4")
    assert 'src="/static/tenken/answer.js"' in body


def test_the_organisation_is_fixed_by_the_site(site: Site) -> None:
    """組織名 cannot be changed by editing the POST: the site fills it from the account."""
    data = _post_data(_complete())
    data["q:組織名"] = "13東京都"
    body = site.client_for(site.respondent).post(_own(site), data).content.decode()
    assert "14神奈川県相模原市" in _fieldset(body, "組織名")
    assert "13東京都" not in _fieldset(body, "組織名")


def test_a_complete_answer_checks_clean(site: Site) -> None:
    """The bundled complete example posted through the form has no problem and no flag."""
    response = site.client_for(site.respondent).post(_own(site), _post_data(_complete()))
    assert response.status_code == 200
    evaluation = response.context["evaluation"]
    assert evaluation.complete, evaluation.problems
    assert "不備なし" in response.content.decode()


def test_problems_are_shown_next_to_their_item(site: Site) -> None:
    """An unanswered item carries its Japanese message inside its own fieldset, with the flag."""
    document = _complete()
    del document["answers"]["2"]
    del document["answers"]["2-予定年月"]
    body = site.client_for(site.respondent).post(_own(site), _post_data(document)).content.decode()
    assert "項番2が未回答です" in _fieldset(body, "2")
    assert "未回答です" not in _fieldset(body, "3")
    assert 'class="flag on">未回答あり' in body


def test_skip_logic_works_without_javascript(site: Site) -> None:
    """Answering Q3 ② makes Q4 and Q5 not apply on the next render; their answers are dropped."""
    document = _complete()
    document["answers"]["3"] = "②"
    response = site.client_for(site.respondent).post(_own(site), _post_data(document))
    body = response.content.decode()
    assert "not-applicable" in _fieldset(body, "4")
    assert "disabled" in _fieldset(body, "4")
    kinds = {p.kind for p in response.context["evaluation"].problems}
    assert "not_applicable" not in kinds


def test_a_respondent_cannot_read_or_change_another_organisation(site: Site) -> None:
    """Another organisation's form is 403 for reading and for posting."""
    client = site.client_for(site.respondent)
    other = _url(site, "13東京都")
    assert client.get(other).status_code == 403
    assert client.post(other, _post_data(_complete(), "draft")).status_code == 403


def test_an_organisation_outside_the_round_is_not_found(site: Site) -> None:
    """Guessing an organisation id that is not on the roster gives 404."""
    client = site.client_for(site.respondent)
    assert client.get(f"/rounds/{site.round.pk}/answers/999999/").status_code == 404
    assert client.get("/rounds/999999/answers/1/").status_code == 404


def test_viewer_and_admin_read_but_cannot_change(site: Site) -> None:
    """Viewers and administrators see every form read-only; their POSTs are refused."""
    for user in (site.viewer, site.admin):
        client = site.client_for(user)
        response = client.get(_own(site))
        assert response.status_code == 200
        assert response.context["editable"] is False
        assert 'name="q:2"' not in response.content.decode()
        assert client.post(_own(site), _post_data(_complete(), "draft")).status_code == 403


def test_after_the_deadline_answers_are_read_only_unless_reopened(site: Site) -> None:
    """After the deadline a respondent's POST is refused; reopening it allows the POST again."""
    site.round.deadline = timezone.now() - timedelta(minutes=1)
    site.round.save()
    client = site.client_for(site.respondent)
    assert client.get(_own(site)).context["editable"] is False
    assert client.post(_own(site), _post_data(_complete())).status_code == 403
    RosterEntry.objects.filter(org_name=site.respondent.membership.organisation.name).update(
        reopened=True
    )
    assert client.post(_own(site), _post_data(_complete())).status_code == 200


def test_anonymous_users_are_sent_to_login(site: Site) -> None:
    """Without a session every page except login and invitations redirects to the login page."""
    from django.test import Client

    response = Client().get(_own(site))
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_the_respondent_home_links_to_the_form(site: Site) -> None:
    """A respondent's home page lists the round with a link to their own form only."""
    body = site.client_for(site.respondent).get("/").content.decode()
    assert _own(site) in body and _url(site, "13東京都") not in body


def test_the_sheet_download_is_prefilled_and_reads_back(site: Site) -> None:
    """The Excel sheet carries the organisation and reads back through the sheet reader."""
    from tenken.survey.xlsx.reader import read_sheet_bytes
    from tenken.web.site.answer_views import questionnaire_for

    response = site.client_for(site.respondent).get(_own(site) + "sheet.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    entry = get_entry(site.round.pk, Organisation.objects.get(name="14神奈川県相模原市").pk)
    document = read_sheet_bytes(response.content, questionnaire_for(entry), "download.xlsx")
    assert document.respondent["組織名"] == "14神奈川県相模原市"
    assert document.respondent["組織区分"] == "市区町村"


def test_another_organisations_sheet_is_forbidden(site: Site) -> None:
    """The sheet download obeys the same rule as the form: own organisation only."""
    client = site.client_for(site.respondent)
    assert client.get(_url(site, "13東京都") + "sheet.xlsx").status_code == 403


def test_the_admin_reopens_one_organisation_after_the_deadline(site: Site) -> None:
    """After the deadline the admin's 許可 button lets that organisation edit; nobody else may."""
    site.round.deadline = timezone.now() - timedelta(minutes=1)
    site.round.save()
    org_id = site.respondent.membership.organisation_id
    url = f"/rounds/{site.round.pk}/entries/{org_id}/reopen/"
    for user in (site.viewer, site.respondent):
        assert site.client_for(user).post(url).status_code == 403
    assert site.client_for(site.respondent).get(_own(site)).context["editable"] is False
    assert site.client_for(site.admin).post(url).status_code == 302
    assert site.client_for(site.respondent).get(_own(site)).context["editable"] is True
    site.client_for(site.admin).post(url)  # withdraw again
    assert site.client_for(site.respondent).get(_own(site)).context["editable"] is False
