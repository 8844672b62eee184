"""The administrator creates a round from a questionnaire, a roster CSV and a deadline."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from tenken.store.models import Round
from tenken.web.accounts.models import Membership, Role
from tests.web.conftest import Site


def _form(roster: str) -> dict[str, object]:
    return {
        "title": "令和5年度 実態調査",
        "bundled": "mhlw-2023-shokugyo-tenkan",
        "deadline": "2030-07-21T17:00",
        "roster_file": SimpleUploadedFile("roster.csv", roster.encode("utf-8")),
    }


def test_admin_creates_a_round_with_respondent_accounts(site: Site) -> None:
    """Each roster line becomes an organisation with one respondent account (no password)."""
    roster = (
        "組織名,組織区分,メールアドレス\n"
        "01北海道,都道府県,x@example.lg.jp\n01北海道札幌市,市区町村,y@example.lg.jp\n"
    )
    response = site.client_for(site.admin).post("/rounds/new/", _form(roster))
    assert response.status_code == 302
    survey_round = Round.objects.get(title="令和5年度 実態調査")
    names = [e.org_name for e in survey_round.roster.all()]
    assert names == ["01北海道", "01北海道札幌市"]
    member = Membership.objects.get(organisation__name="01北海道札幌市")
    assert member.role == Role.RESPONDENT and not member.user.has_usable_password()
    assert member.organisation.kind == "市区町村" and member.organisation.prefecture == "北海道"


def test_a_bad_roster_lists_every_bad_line(site: Site) -> None:
    """Unknown organisations and wrong kinds are reported with their line numbers."""
    roster = "組織名,組織区分\n99架空県,都道府県\n13東京都,市区町村\n"
    response = site.client_for(site.admin).post("/rounds/new/", _form(roster))
    assert response.status_code == 200
    errors = str(response.context["form"].errors)
    assert "2行目" in errors and "3行目" in errors
    assert not Round.objects.filter(title="令和5年度 実態調査").exists()


def test_a_broken_questionnaire_file_is_refused_with_the_loader_message(site: Site) -> None:
    """An uploaded questionnaire goes through the survey loader; its errors are shown."""
    data = _form("組織名,組織区分\n13東京都,都道府県\n")
    data["questionnaire_file"] = SimpleUploadedFile("q.yaml", b"id: x\nfields: 3\n")
    response = site.client_for(site.admin).post("/rounds/new/", data)
    assert response.status_code == 200
    assert "調査票ファイル" in str(response.context["form"].errors)


def test_only_the_admin_manages_rounds(site: Site) -> None:
    """Viewers and respondents cannot open or post the round pages."""
    for user in (site.viewer, site.respondent):
        client = site.client_for(user)
        assert client.get("/rounds/").status_code == 403
        assert client.get("/rounds/new/").status_code == 403
        assert (
            client.post("/rounds/new/", _form("組織名,組織区分\n13東京都,都道府県\n")).status_code
            == 403
        )
        assert client.get(f"/rounds/{site.round.pk}/").status_code == 403


def _second_round(site: Site) -> Round:
    from datetime import timedelta

    from django.utils import timezone

    from tenken.survey.loader import DEFAULT_QUESTIONNAIRE, bundled_path, load_bundled
    from tenken.web.accounts import services
    from tenken.web.accounts.roster import parse_roster
    from tests.web.conftest import ROSTER

    text = bundled_path(DEFAULT_QUESTIONNAIRE).read_text(encoding="utf-8")
    roster = parse_roster(ROSTER.encode("utf-8"), load_bundled())
    deadline = timezone.now() + timedelta(days=30)
    return services.create_round("フォローアップ調査", text, roster, deadline, site.admin)


def test_two_rounds_on_the_site_are_independent(site: Site) -> None:
    """A new round opens empty; answers, dashboard and report of each round stay apart."""
    import json

    from tenken.store.models import Response
    from tests.web.test_answer_form import _complete, _post_data

    client = site.client_for(site.respondent)
    org = site.respondent.membership.organisation_id
    one = f"/rounds/{site.round.pk}/answers/{org}/"
    data = _post_data(_complete(), "submit")
    client.post(one, data)
    second = _second_round(site)
    two = f"/rounds/{second.pk}/answers/{org}/"
    assert client.get(two).context["status_label"] == "未着手"
    viewer = site.client_for(site.viewer)
    board = viewer.get("/dashboard/", {"round": second.pk}).context["progress"]
    assert board.counts["提出済み"] == 0 and board.counts["未着手"] == 2
    board = viewer.get("/dashboard/", {"round": site.round.pk}).context["progress"]
    assert board.counts["提出済み"] == 1
    report = json.loads(viewer.get(f"/rounds/{second.pk}/report.json").content)
    assert report["summary"]["submitted"] == 0
    assert Response.objects.filter(round=site.round).count() == 1
    assert Response.objects.filter(round=second).count() == 0


def test_reopening_in_round_two_cannot_change_round_one(site: Site) -> None:
    """After round 1's deadline, the admin reopens the organisation in round 2 only."""
    from datetime import timedelta

    from django.utils import timezone

    from tenken.store.models import Response
    from tests.web.test_answer_form import _complete, _post_data

    client = site.client_for(site.respondent)
    org = site.respondent.membership.organisation_id
    one = f"/rounds/{site.round.pk}/answers/{org}/"
    client.post(one, _post_data(_complete(), "submit"))
    second = _second_round(site)
    for r in (site.round, second):
        r.deadline = timezone.now() - timedelta(minutes=1)
        r.save()
    admin = site.client_for(site.admin)
    assert admin.post(f"/rounds/{second.pk}/entries/{org}/reopen/").status_code == 302
    changed = _complete()
    changed["answers"]["3"] = "②"
    assert client.post(one, _post_data(changed, "submit")).status_code == 403
    two = f"/rounds/{second.pk}/answers/{org}/"
    assert client.post(two, _post_data(changed, "submit")).status_code == 302
    counted_one = Response.objects.get(round=site.round, is_counted=True)
    assert counted_one.answers["3"] == "①"
    assert Response.objects.get(round=second, is_counted=True).answers["3"] == "②"


def test_a_sheet_of_round_one_is_refused_in_round_two(site: Site) -> None:
    """The downloaded sheet carries its round: uploading it to another round is refused."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tenken.store.models import Response

    client = site.client_for(site.respondent)
    org = site.respondent.membership.organisation_id
    sheet = client.get(f"/rounds/{site.round.pk}/answers/{org}/sheet.xlsx").content
    second = _second_round(site)
    upload = SimpleUploadedFile("回答.xlsx", sheet)
    two = f"/rounds/{second.pk}/answers/{org}/"
    body = client.post(two + "sheet/", {"sheet": upload}, follow=True).content.decode()
    assert f"調査回 {site.round.code} 用です" in body
    assert not Response.objects.filter(round=second).exists()


def test_the_round_page_reminds_by_mail_merge_csv_without_smtp(
    site: Site, monkeypatch: Any
) -> None:
    """No SMTP configured: the button downloads the CSV and records each reminder."""
    from tenken.store.models import Reminder

    monkeypatch.delenv("TENKEN_SMTP_HOST", raising=False)
    response = site.client_for(site.admin).post(f"/rounds/{site.round.pk}/remind/")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert "14神奈川県相模原市" in text and "13東京都" in text
    assert Reminder.objects.filter(round=site.round, channel="csv").count() == 2
    assert site.client_for(site.viewer).post(f"/rounds/{site.round.pk}/remind/").status_code == 403
