"""Several 制度 in one round on the site: one form per 制度 per organisation (the respondent
picks the 制度), sheets that carry their 制度, and the dashboard and report per 制度."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tenken.store import api
from tenken.store.models import Response, Round
from tenken.survey.document import AnswerDocument
from tenken.survey.pack import pack_text
from tenken.survey.xlsx.fill import fill_sheet
from tenken.web.accounts.models import Membership
from tests.store.seido import A, B, two_seido_pack
from tests.web.conftest import ROSTER, Site
from tests.web.test_answer_form import _complete, _post_data

CITY = "14神奈川県相模原市"


def _make_round(site: Site, tmp_path: Path, seidos: str = f"{A}\n{B}\n") -> Any:
    pack = two_seido_pack(tmp_path / "pack")
    form = {
        "title": "二制度の調査",
        "deadline": "2099-07-21T17:00",
        "questionnaire_file": SimpleUploadedFile("pack.yaml", pack_text(pack).encode("utf-8")),
        "roster_file": SimpleUploadedFile("roster.csv", ROSTER.encode("utf-8")),
        "seidos": seidos,
    }
    return site.client_for(site.admin).post("/rounds/new/", form)


def _respondent(survey_round: Round, org: str) -> tuple[Client, str]:
    member = Membership.objects.get(organisation__name=org)
    client = Client()
    client.force_login(member.user)
    return client, f"/rounds/{survey_round.pk}/answers/{member.organisation_id}/"


def test_the_respondent_picks_the_seido_and_answers_each_on_its_own_form(
    site: Site, tmp_path: Path
) -> None:
    assert _make_round(site, tmp_path).status_code == 302
    survey_round = Round.objects.get(title="二制度の調査")
    assert survey_round.seidos == [A, B]
    client, url = _respondent(survey_round, CITY)
    pick = client.get(url)
    assert pick.templates[0].name == "tenken/answer_pick.html"
    body = pick.content.decode()
    assert A in body and B in body and f'href="{url}?seido=2"' in body
    assert body.count("未着手") == 2

    # 制度等 posted as A on B's form: the form's 制度 wins (the site fills it)
    response = client.post(url + "?seido=2", _post_data(_complete(), "submit"))
    assert response.status_code == 302 and response["Location"] == url + "?seido=2"
    stored = Response.objects.get(round=survey_round, org_name=CITY)
    assert stored.seido == B and stored.respondent["制度等"] == B and stored.is_counted
    page_b = client.get(url + "?seido=2").content.decode()
    assert f"制度等: {B}" in page_b and "提出済み" in page_b
    page_a = client.get(url + "?seido=1")
    assert page_a.context["status_label"] == "未着手"
    picked = client.get(url).content.decode()
    assert "提出済み" in picked and "未着手" in picked
    assert client.get(url + "?seido=3").status_code == 404

    home = client.get("/").content.decode()
    assert f"{A} 未着手" in home and f"{B} 提出済み" in home


def test_a_sheet_downloaded_for_one_seido_is_refused_on_the_others_form(
    site: Site, tmp_path: Path
) -> None:
    _make_round(site, tmp_path)
    survey_round = Round.objects.get(title="二制度の調査")
    client, url = _respondent(survey_round, CITY)
    sheet = client.get(url + "sheet.xlsx?seido=1")
    assert sheet.status_code == 200
    q = api.questionnaire_of(survey_round)
    document = _complete()
    document["respondent"]["制度等"] = A
    filled = fill_sheet(
        sheet.content, q, AnswerDocument(document["respondent"], document["answers"])
    )
    wrong = client.post(
        url + "sheet/?seido=2", {"sheet": SimpleUploadedFile("a.xlsx", filled)}, follow=True
    )
    assert f"制度「{A}」のもの" in wrong.content.decode()
    assert not Response.objects.filter(round=survey_round).exists()
    right = client.post(
        url + "sheet/?seido=1", {"sheet": SimpleUploadedFile("a.xlsx", filled)}, follow=True
    )
    assert "受け付けました" in right.content.decode()
    assert Response.objects.get(round=survey_round).seido == A
    assert client.get(url + "sheet.xlsx").status_code == 404  # which 制度? none picked


def test_dashboard_and_report_per_seido_and_overall(site: Site, tmp_path: Path) -> None:
    _make_round(site, tmp_path)
    survey_round = Round.objects.get(title="二制度の調査")
    client, url = _respondent(survey_round, CITY)
    client.post(url + "?seido=1", _post_data(_complete(), "submit"))
    admin = site.client_for(site.admin)
    board = admin.get(f"/dashboard/?round={survey_round.pk}")
    rows = board.context["progress"].rows
    assert {(r.line.org_name, r.line.seido, r.state) for r in rows if r.line.org_name == CITY} == {
        (CITY, A, "提出済み"), (CITY, B, "未着手"),
    }  # fmt: skip
    assert len(rows) == 4
    only_b = admin.get(f"/dashboard/?round={survey_round.pk}&seido={B}").context["progress"]
    assert only_b.total == 2 and only_b.counts["提出済み"] == 0
    assert f"{CITY}（{A}）" in board.content.decode()
    data = json.loads(admin.get(f"/rounds/{survey_round.pk}/report.json").content)
    parts = data["by_seido"]
    assert data["summary"]["submitted"] == 1 and data["summary"]["organisations"] == 4
    assert [parts[s]["summary"]["submitted"] for s in (A, B)] == [1, 0]
    for level, n in data["summary"]["levels"]["全体"].items():
        assert n == sum(parts[s]["summary"]["levels"]["全体"][level] for s in (A, B))


def test_the_round_form_refuses_a_seido_the_questionnaire_does_not_list(
    site: Site, tmp_path: Path
) -> None:
    response = _make_round(site, tmp_path, seidos=f"{A}\n年金\n")
    assert response.status_code == 200
    assert "「年金」は 制度等 の選択肢にありません" in response.content.decode()
    assert not Round.objects.filter(title="二制度の調査").exists()
