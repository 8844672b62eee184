"""A round made from the test pack (no local governments, other items, no rules) on the site."""

from __future__ import annotations

import json
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tenken.store.models import Round
from tenken.survey.pack import pack_text
from tenken.web.accounts.models import Membership
from tests.packs.kikan import AGENCY, COMPANY, ROSTER, answers, pack
from tests.web.conftest import Site


def _post_data(document: dict[str, Any], action: str) -> dict[str, Any]:
    data: dict[str, Any] = {"action": action}
    for section in ("respondent", "answers"):
        for name, value in document.get(section, {}).items():
            data[f"q:{name}"] = value
    return data


def _make_round(site: Site) -> Round:
    form = {
        "title": "機関調査",
        "deadline": "2030-07-21T17:00",
        "questionnaire_file": SimpleUploadedFile("pack.yaml", pack_text(pack()).encode("utf-8")),
        "roster_file": SimpleUploadedFile("roster.csv", ROSTER.read_bytes()),
    }
    response = site.client_for(site.admin).post("/rounds/new/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Round.objects.get(title="機関調査")


def _respondent(survey_round: Round, org: str) -> tuple[Client, str]:
    member = Membership.objects.get(organisation__name=org)
    client = Client()
    client.force_login(member.user)
    return client, f"/rounds/{survey_round.pk}/answers/{member.organisation_id}/"


def test_pack_round_is_answered_on_the_web_and_reported_with_the_pack(site: Site) -> None:
    survey_round = _make_round(site)
    kinds = {e.org_name: e.org_kind for e in survey_round.roster.all()}
    assert kinds[AGENCY] == "独立行政法人" and kinds[COMPANY] == "特殊法人"

    client, url = _respondent(survey_round, AGENCY)
    body = client.get(url).content.decode()
    assert 'data-field="B2"' in body and 'type="date"' in body and 'inputmode="decimal"' in body
    assert client.post(url, _post_data(answers()[AGENCY], "submit")).status_code == 302
    assert "提出済み" in client.get(url).content.decode()

    client, url = _respondent(survey_round, COMPANY)
    body = client.post(url, _post_data(answers()[COMPANY], "check")).content.decode()
    assert "整数ではありません" in body and "日付ではありません" in body

    report = site.client_for(site.admin).get(f"/rounds/{survey_round.pk}/report.json")
    data = json.loads(report.content)
    levels = {o["org_name"]: o["level"] for o in data["organisations"]}
    assert levels[AGENCY] == "低" and levels[COMPANY] == "未提出" and data["rules"] == []
    b1 = next(i for i in data["items"] if i["item"] == "B1")
    assert b1["groups"]["全体"]["answered"] == 1
    assert [(t["row"], t["col"]) for t in data["crosstabs"]] == [("A1", "B3")]
