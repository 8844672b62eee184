"""The dashboard: progress against the roster, filters, and who may see it."""

from __future__ import annotations

from tests.web.conftest import Site


def test_admin_and_viewer_see_every_organisation_of_the_roster(site: Site) -> None:
    """Both roster organisations are listed, not started, for the administrator and the viewer."""
    for user in (site.admin, site.viewer):
        response = site.client_for(user).get("/dashboard/")
        assert response.status_code == 200
        progress = response.context["progress"]
        assert [r.entry.organisation.name for r in progress.rows] == [
            "13東京都",
            "14神奈川県相模原市",
        ]
        assert progress.counts == {"提出済み": 0, "一時保存": 0, "未着手": 2}


def test_filters_by_prefecture_and_kind(site: Site) -> None:
    """Prefecture and 組織区分 filters narrow the rows and the counts."""
    client = site.client_for(site.admin)
    by_pref = client.get("/dashboard/", {"prefecture": "神奈川県"}).context["progress"]
    assert [r.entry.organisation.name for r in by_pref.rows] == ["14神奈川県相模原市"]
    by_kind = client.get("/dashboard/", {"kind": "都道府県"}).context["progress"]
    assert [r.entry.organisation.name for r in by_kind.rows] == ["13東京都"]
    assert by_kind.counts["未着手"] == 1
    body = client.get("/dashboard/", {"prefecture": "神奈川県"}).content.decode()
    assert "13東京都" not in body


def test_respondents_cannot_see_the_dashboard(site: Site) -> None:
    """A respondent gets 403: the dashboard shows every organisation."""
    assert site.client_for(site.respondent).get("/dashboard/").status_code == 403


def test_home_sends_staff_to_the_dashboard(site: Site) -> None:
    """Administrators and viewers land on the dashboard after login."""
    response = site.client_for(site.viewer).get("/")
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
