"""The dashboard: progress against the roster, filters, and who may see it."""

from __future__ import annotations

from tests.web.conftest import Site


def test_admin_and_viewer_see_every_organisation_of_the_roster(site: Site) -> None:
    """Both roster organisations are listed, not started, for the administrator and the viewer."""
    for user in (site.admin, site.viewer):
        response = site.client_for(user).get("/dashboard/")
        assert response.status_code == 200
        progress = response.context["progress"]
        assert [r.line.org_name for r in progress.rows] == [
            "13東京都",
            "14神奈川県相模原市",
        ]
        assert progress.counts == {
            "提出済み": 0,
            "提出済み（不備あり）": 0,
            "一時保存": 0,
            "未着手": 2,
        }


def test_filters_by_prefecture_and_kind(site: Site) -> None:
    """Prefecture and 組織区分 filters narrow the rows and the counts."""
    client = site.client_for(site.admin)
    by_pref = client.get("/dashboard/", {"prefecture": "神奈川県"}).context["progress"]
    assert [r.line.org_name for r in by_pref.rows] == ["14神奈川県相模原市"]
    by_kind = client.get("/dashboard/", {"kind": "都道府県"}).context["progress"]
    assert [r.line.org_name for r in by_kind.rows] == ["13東京都"]
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


def test_reports_are_built_from_submitted_answers(site: Site) -> None:
    """HTML/Excel/JSON reports: the submitted organisation counts, the draft does not."""
    import json as jsonlib

    from tests.web.test_answer_form import _complete
    from tests.web.test_answer_store import _save

    _save(site, _complete(), "submit")
    client = site.client_for(site.viewer)
    data = jsonlib.loads(client.get(f"/rounds/{site.round.pk}/report.json").content)
    assert data  # the report's own JSON shape is issue 4's; here: it is built and served
    text = jsonlib.dumps(data, ensure_ascii=False)
    assert "14神奈川県相模原市" in text
    html = client.get(f"/rounds/{site.round.pk}/report.html")
    assert html.status_code == 200 and "<svg" in html.content.decode()
    assert "script-src" not in html.headers["Content-Security-Policy"]
    assert "default-src 'none'" in html.headers["Content-Security-Policy"]
    xlsx = client.get(f"/rounds/{site.round.pk}/report.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_respondents_cannot_download_reports(site: Site) -> None:
    """Reports show every organisation: 403 for a respondent, 404 for an unknown format."""
    client = site.client_for(site.respondent)
    assert client.get(f"/rounds/{site.round.pk}/report.json").status_code == 403
    viewer = site.client_for(site.viewer)
    assert viewer.get(f"/rounds/{site.round.pk}/report.exe").status_code == 404


def test_dashboard_shows_the_report_charts_in_a_frame_only_this_site_may_use(site: Site) -> None:
    """The dashboard embeds the report (same SVG charts); the report may be framed by us only."""
    client = site.client_for(site.viewer)
    page = client.get(f"/dashboard/?round={site.round.pk}").content.decode()
    assert f'src="/rounds/{site.round.pk}/report.html"' in page and "report-frame" in page
    report = client.get(f"/rounds/{site.round.pk}/report.html")
    assert report["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in report["Content-Security-Policy"]
    # Every other page still refuses to be framed at all.
    assert client.get("/dashboard/")["X-Frame-Options"] == "DENY"


def test_the_raw_export_downloads_for_staff_only(site: Site) -> None:
    """Every answer, one row per organisation, as Excel and CP932 CSV; 403 for respondents."""
    from tests.web.test_answer_form import _complete
    from tests.web.test_answer_store import _save

    _save(site, _complete(), "submit")
    viewer = site.client_for(site.viewer)
    csv = viewer.get(f"/rounds/{site.round.pk}/answers.csv", {"encoding": "cp932"})
    assert csv.status_code == 200 and csv["Cache-Control"] == "no-store"
    lines = csv.content.decode("cp932").splitlines()
    assert len(lines) == 3 and lines[2].startswith("14神奈川県相模原市,市区町村,神奈川県,提出済み")
    assert viewer.get(f"/rounds/{site.round.pk}/answers.xlsx").status_code == 200
    respondent = site.client_for(site.respondent)
    assert respondent.get(f"/rounds/{site.round.pk}/answers.csv").status_code == 403


def test_the_kept_report_follows_new_submissions(site: Site) -> None:
    """The report is kept between visits, and rebuilt as soon as a new answer is counted."""
    import json as jsonlib

    from tests.web.test_answer_form import _complete
    from tests.web.test_answer_store import _save

    viewer = site.client_for(site.viewer)
    url = f"/rounds/{site.round.pk}/report.json"
    assert jsonlib.loads(viewer.get(url).content)["summary"]["submitted"] == 0
    _save(site, _complete(), "submit")
    assert jsonlib.loads(viewer.get(url).content)["summary"]["submitted"] == 1
    board = viewer.get("/dashboard/").context["progress"]
    assert board.counts["提出済み"] == 1


def test_filters_by_risk_level_as_the_report_classifies(site: Site) -> None:
    """The risk filter (高・中・低・未提出) picks the organisations the report puts there."""
    import json as jsonlib

    from tests.web.test_answer_form import _complete
    from tests.web.test_answer_store import _save

    _save(site, _complete(), "submit")
    viewer = site.client_for(site.viewer)
    report = jsonlib.loads(viewer.get(f"/rounds/{site.round.pk}/report.json").content)
    level = {o["org_name"]: o["level"] for o in report["organisations"]}["14神奈川県相模原市"]
    assert level in ("高", "中", "低")

    def shown(risk: str) -> list[str]:
        board = viewer.get("/dashboard/", {"risk": risk}).context["progress"]
        return [r.line.org_name for r in board.rows]

    assert shown(level) == ["14神奈川県相模原市"]
    assert shown("未提出") == ["13東京都"]
    assert all(shown(other) == [] for other in ("高", "中", "低") if other != level)
    assert len(shown("")) == 2
    body = viewer.get("/dashboard/", {"risk": level}).content.decode()
    assert f"<option selected>{level}</option>" in body and "13東京都" not in body
