"""The administrator creates a round from a questionnaire, a roster CSV and a deadline."""

from __future__ import annotations

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
