"""Delegated municipalities on the site: a prefecture (13東京都) records three, collects their
answers through the link (web form and sheet) and by uploading a returned sheet, sees the
proposal per item by the caution order, submits one answer; the ministry sees provenance, and
the tallies count the prefecture once."""

from __future__ import annotations

import re
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tenken.store import api
from tenken.store.audit.models import AuditEntry
from tenken.store.models import Consolidation, DelegateAnswer, Response
from tenken.survey.document import AnswerDocument
from tenken.survey.xlsx.fill import fill_sheet
from tenken.web.accounts.models import Organisation
from tests.survey.test_delegation import CHOFU, HACHIOJI, MACHIDA, municipality, prefecture
from tests.web.conftest import Site
from tests.web.test_answer_form import _post_data, _url

PREFECTURE = "13東京都"


def _page(site: Site) -> str:
    return _url(site, PREFECTURE) + "delegation/"


def _add(site: Site, name: str) -> str:
    """Record a delegate as the prefecture; the invitation link's path."""
    client = site.client_for(site.other)
    body = client.post(
        _page(site), {"action": "add", "municipality": name}, follow=True
    ).content.decode()
    match = re.search(r"http://testserver(/delegate/[^/\s]+/)", body)
    assert match, body
    return match.group(1)


def _document(source: Any) -> dict[str, Any]:
    return {"respondent": source.document.respondent, "answers": source.document.answers}


def _sheet(blank: bytes, source: Any) -> SimpleUploadedFile:
    """The downloaded sheet filled with ``source``'s answers, as a respondent would."""
    q = api.questionnaire_of(api.rounds()[0])
    document = AnswerDocument(source.document.respondent, source.document.answers)
    return SimpleUploadedFile("回答.xlsx", fill_sheet(blank, q, document))


def collect_three(site: Site) -> None:
    """八王子市 by the web form, 町田市 by a sheet through its link, 調布市 by a sheet the
    prefecture uploads; the prefecture's own answer is a draft on its own page."""
    hachioji, machida, _chofu = (_add(site, n) for n in (HACHIOJI, MACHIDA, CHOFU))
    sources = {
        HACHIOJI: municipality(HACHIOJI),
        MACHIDA: municipality(MACHIDA, **{"2": "④", "7-3": "②", "7-4": None, "9": "④"}),
        CHOFU: municipality(CHOFU, **{"2": "①", "9": "②", "10": "②"}),
    }
    anonymous = Client()
    done = anonymous.post(hachioji, _post_data(_document(sources[HACHIOJI]), "submit"), follow=True)
    assert "提出しました" in done.content.decode()
    blank = anonymous.get(machida + "sheet.xlsx").content
    sent = anonymous.post(machida, {"sheet": _sheet(blank, sources[MACHIDA])}, follow=True)
    assert "回答シートを受け付けました" in sent.content.decode()
    client = site.client_for(site.other)
    page = client.get(_page(site)).content.decode()
    sheet_url, upload_url = (
        re.findall(r'href="([^"]+/sheet\.xlsx)"', page)[2],
        re.findall(r'action="([^"]+/sheet/)"', page)[2],
    )
    blank = client.get(sheet_url).content
    sent = client.post(upload_url, {"sheet": _sheet(blank, sources[CHOFU])}, follow=True)
    assert "回答シートを受け付けました" in sent.content.decode()
    own = _post_data(_document(prefecture()), "draft")
    client.post(_url(site, PREFECTURE), own, follow=True)


def test_three_delegates_answer_by_web_and_sheet_and_are_side_by_side(site: Site) -> None:
    collect_three(site)
    assert {a.origin for a in DelegateAnswer.objects.all()} == {"web_submission", "file"}
    response = site.client_for(site.other).get(_page(site))
    assert response.context["columns"] == [PREFECTURE, HACHIOJI, MACHIDA, CHOFU]
    rows = {r.item: r for r in response.context["rows"]}
    assert (rows["9"].proposed, rows["9"].proposed_source) == ("④", MACHIDA)
    assert rows["9"].answers == ["", "①", "④", "②"] and rows["9"].differs
    assert (rows["2"].proposed, rows["2"].proposed_source) == ("③", HACHIOJI)
    assert (rows["10"].proposed, rows["10"].proposed_source) == ("②", CHOFU)
    body = response.content.decode()
    assert "提出済み" in body and body.count('class="state">提出済み') == 3


def _submit(site: Site, **more: str) -> Any:
    client = site.client_for(site.other)
    data = {"action": "submit", "change-6": "①,②", "reason-6": "3市とも両方を使う", **more}
    return client.post(_page(site), data, follow=True)


def test_submitting_needs_a_reason_for_each_change_and_keeps_provenance(site: Site) -> None:
    collect_three(site)
    refused = _submit(site, **{"change-9": "②"})
    assert "理由が必要です: 項番9" in refused.content.decode()
    assert not Consolidation.objects.exists()
    done = _submit(site, **{"change-9": "②", "reason-9": "町田市は7月から記録を残す運用に改めた"})
    assert "統合した回答を提出しました" in done.content.decode()
    kept = Consolidation.objects.get()
    assert kept.response.is_counted and kept.response.org_name == PREFECTURE
    assert kept.response.answers["9"] == "②" and kept.response.answers["10"] == "②"
    nine = kept.provenance["9"]
    assert (nine["source"], nine["proposed"], nine["proposed_source"]) == (CHOFU, "④", MACHIDA)
    assert nine["reason"] == "町田市は7月から記録を残す運用に改めた"
    assert kept.provenance["10"]["source"] == CHOFU
    assert kept.delegates == sorted([HACHIOJI, MACHIDA, CHOFU])


def test_the_ministry_sees_which_organisation_each_item_came_from(site: Site) -> None:
    collect_three(site)
    _submit(site)
    for user in (site.admin, site.viewer):
        body = site.client_for(user).get(_page(site)).content.decode()
        row = re.search(r'<tr data-item="9">(.*?)</tr>', body, re.S)
        assert row and MACHIDA in row.group(1) and "④" in row.group(1)
        assert "提出済みの統合回答と回答の出所" in body and 'name="change-9"' not in body
    answer_page = site.client_for(site.admin).get(_url(site, PREFECTURE)).content.decode()
    assert "委任先 3 団体" in answer_page and "consolidated-warning" not in answer_page
    # The prefecture is warned that submitting on its own page would replace the consolidation.
    own_page = site.client_for(site.other).get(_url(site, PREFECTURE)).content.decode()
    assert 'id="consolidated-warning"' in own_page and "統合した回答が置き換わり" in own_page
    # Another organisation's respondent sees nothing of it.
    assert site.client_for(site.respondent).get(_page(site)).status_code == 403
    assert site.client_for(site.respondent).get("/delegate/not-a-token/").status_code == 404


def test_the_tallies_count_the_prefecture_once(site: Site) -> None:
    """Delegates' answers are not the round's responses: counted, overview, export and the
    report's answers hold the prefecture once and no delegate."""
    collect_three(site)
    _submit(site)
    counted = list(api.counted(site.round).values_list("org_name", flat=True))
    assert sorted(counted) == [PREFECTURE]
    assert Response.objects.filter(org_name__in=[HACHIOJI, MACHIDA, CHOFU]).count() == 0
    lines = {line.org_name: line.state for line in api.overview(site.round)}
    assert set(lines) == {PREFECTURE, "14神奈川県相模原市"}
    assert lines[PREFECTURE].startswith("提出済み") and lines["14神奈川県相模原市"] == "未着手"
    answers = api.counted_answers(site.round)
    assert [a.document.respondent["組織名"] for a in answers] == [PREFECTURE]
    assert [r.org_name for r in api.export_rows(site.round)] == sorted(lines)
    dashboard = site.client_for(site.admin).get("/dashboard/").content.decode()
    assert HACHIOJI not in dashboard and MACHIDA not in dashboard


def test_each_action_is_audited_under_the_prefecture(site: Site) -> None:
    collect_three(site)
    _submit(site)
    actions = list(
        AuditEntry.objects.filter(organisation=PREFECTURE).values_list("action", flat=True)
    )
    assert actions.count("delegation.add") == 3
    assert actions.count("delegation.answer_save") == 1
    assert actions.count("delegation.upload") == 2
    assert actions.count("survey.consolidate") == 1


def test_a_delegate_outside_the_prefecture_and_a_municipalitys_page_are_refused(
    site: Site,
) -> None:
    client = site.client_for(site.other)
    body = client.post(
        _page(site), {"action": "add", "municipality": "14神奈川県相模原市"}, follow=True
    ).content.decode()
    assert "管内の市区町村ではありません" in body
    sagamihara = Organisation.objects.get(name="14神奈川県相模原市")
    page = f"/rounds/{site.round.pk}/answers/{sagamihara.pk}/delegation/"
    assert site.client_for(site.respondent).get(page).status_code == 404


def test_another_municipalitys_sheet_through_a_link_is_refused(site: Site) -> None:
    link = _add(site, HACHIOJI)
    anonymous = Client()
    blank = anonymous.get(link + "sheet.xlsx").content
    wrong = anonymous.post(link, {"sheet": _sheet(blank, municipality(MACHIDA))}, follow=True)
    assert "13東京都町田市 のものです" in wrong.content.decode()
    assert not DelegateAnswer.objects.exists()


def test_a_renewed_link_replaces_the_old_one(site: Site) -> None:
    old = _add(site, HACHIOJI)
    assert Client().get(old).status_code == 200
    client = site.client_for(site.other)
    delegation = client.get(_page(site)).context["delegates"][0]["id"]
    body = client.post(
        _page(site), {"action": "relink", "delegation": delegation}, follow=True
    ).content.decode()
    new = re.search(r"http://testserver(/delegate/[^/\s]+/)", body)
    assert new and new.group(1) != old
    assert Client().get(old).status_code == 404 and Client().get(new.group(1)).status_code == 200
    assert AuditEntry.objects.filter(action="delegation.link", organisation=PREFECTURE).count() == 1


def test_an_item_from_a_delegate_that_calls_for_a_document_is_a_problem_until_attached(
    site: Site,
) -> None:
    """調布市's 10=② asks for the 概要: the consolidated answer is 提出済み（不備あり）."""
    collect_three(site)
    page = site.client_for(site.other).get(_page(site))
    assert any(p.kind == "missing_attachment" for p in page.context["evaluation"].problems)
    _submit(site)
    assert api.overview(site.round)[0].state == "提出済み（不備あり）"


def test_in_a_round_with_two_seido_the_delegation_page_is_per_seido(
    site: Site, tmp_path: Any
) -> None:
    """Each 制度's answer page links to that 制度's delegation page; a delegate recorded there is
    that 制度's, and its link's form and sheet carry it (the sheet is taken back as its 制度's)."""
    from tenken.store.models import Delegation, Round
    from tests.store.seido import A, B
    from tests.web.test_seido import _make_round, _respondent

    assert _make_round(site, tmp_path).status_code == 302
    survey_round = Round.objects.get(title="二制度の調査")
    client, url = _respondent(survey_round, PREFECTURE)
    assert f'href="{url}delegation/?seido=2"' in client.get(url + "?seido=2").content.decode()
    assert client.get(url + "delegation/").status_code == 404  # no 制度 picked
    added = client.post(url + "delegation/?seido=2", {"action": "add", "municipality": CHOFU})
    assert added.status_code == 302 and added["Location"] == url + "delegation/?seido=2"
    page = client.get(added["Location"]).content.decode()  # the link is shown once, here
    assert CHOFU in page and f"制度等: {B}" in page
    link = re.search(r"http://testserver(/delegate/[^/\s]+/)", page)
    assert link, page
    (delegation,) = Delegation.objects.filter(round=survey_round)
    assert delegation.seido == B
    assert CHOFU not in client.get(url + "delegation/?seido=1").content.decode()
    anonymous = Client()
    assert f"制度等: {B}" in anonymous.get(link.group(1)).content.decode()
    blank = anonymous.get(link.group(1) + "sheet.xlsx").content
    source = municipality(CHOFU, **{"9": "②"})
    filled = AnswerDocument({**source.document.respondent, "制度等": B}, source.document.answers)
    q = api.questionnaire_of(survey_round)
    sheet = SimpleUploadedFile("回答.xlsx", fill_sheet(blank, q, filled))
    sent = anonymous.post(link.group(1), {"sheet": sheet}, follow=True).content.decode()
    assert "回答シートを受け付けました" in sent
    (kept,) = DelegateAnswer.objects.filter(delegation=delegation)
    assert kept.respondent["制度等"] == B and kept.answers["9"] == "②"
    assert not Delegation.objects.filter(seido=A).exists()
