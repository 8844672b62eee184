"""The casework pages through Django's test client: the workflow, permissions, no full number.

Every response body and every URL requested here is collected; at the end none may hold a
valid full My Number, except the one page that reveals a number after a typed reason.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tenken.linkage.review.model import Action, Role, Status
from tenken.store.audit.models import AuditEntry
from tenken.store.casework import services
from tenken.store.casework.models import Case, Incident, Run
from tenken.web.accounts import services as accounts
from tenken.web.accounts.models import Role as SiteRole
from tests.casework.conftest import ORG, OTHER_ORG, Staff
from tests.casework.leaks import full_numbers
from tests.linkage import fixtures

SEEN: list[tuple[str, str]] = []


class Recording(Client):
    """A test client that keeps every URL and body for the no-full-number check."""

    def request(self, **request: Any) -> Any:
        response = super().request(**request)
        body = b"" if getattr(response, "streaming", False) else response.content
        url = request.get("PATH_INFO", "") + "?" + str(request.get("QUERY_STRING", ""))
        SEEN.append((url, body.decode("utf-8", "replace")))
        return response


def client(user: Any) -> Recording:
    c = Recording()
    c.force_login(user)
    return c


def zipped(folder: Path, inner: str = "out") -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, f"{inner}/{path.name}")
    buffer.seek(0)
    buffer.name = "out.zip"
    return buffer


@pytest.fixture
def run(staff: Staff, inspect_output: Path) -> Run:
    return services.import_output(inspect_output, ORG, "テスト点検", "cli:test").run


def test_zip_upload_imports_once_and_refuses_edited(staff: Staff, inspect_output: Path,
                                                    tmp_path: Path) -> None:  # fmt: skip
    c = client(staff.reviewer)
    response = c.post("/review/import/", {"organisation": ORG, "archive": zipped(inspect_output)})
    assert response.status_code == 302 and Run.objects.count() == 1
    c.post("/review/import/", {"organisation": ORG, "archive": zipped(inspect_output)})
    assert Run.objects.count() == 1
    edited = tmp_path / "edited"
    edited.mkdir()
    for path in inspect_output.iterdir():
        (edited / path.name).write_bytes(path.read_bytes())
    (edited / "verdicts.csv").write_text("x", encoding="utf-8")
    page = c.post("/review/import/", {"organisation": ORG, "archive": zipped(edited, "other")},
                  follow=True)  # fmt: skip
    text = page.content.decode()
    assert "verdicts.csv の大きさ" in text and "/tmp/" not in text
    assert Run.objects.count() == 1
    bad = io.BytesIO(b"not a zip")
    bad.name = "x.zip"
    page = c.post("/review/import/", {"organisation": ORG, "archive": bad}, follow=True)
    assert "zip ファイルではありません" in page.content.decode()
    assert client(staff.auditor).post("/review/import/", {"organisation": ORG}).status_code == 403
    assert (
        client(staff.other_reviewer)
        .post("/review/import/", {"organisation": ORG, "archive": zipped(inspect_output)})
        .status_code
        == 403
    )


def test_runs_page_counts_and_case_list_filters(staff: Staff, run: Run) -> None:
    c = client(staff.reviewer)
    page = c.get("/review/").content.decode()
    assert "テスト点検" in page and "誤紐付けの疑い: 4" in page
    listing = c.get(f"/review/runs/{run.pk}/?verdict=suspected_mislink").content.decode()
    assert "R05" in listing and "R07" not in listing
    by_reason = c.get(f"/review/runs/{run.pk}/?reason=matches_state_before_link").content.decode()
    assert "R09" in by_reason and "R05" not in by_reason
    by_person = c.get(f"/review/runs/{run.pk}/?q=伊藤").content.decode()
    assert "R09" in by_person and "R05" not in by_person
    assert "R05" in c.get(f"/review/runs/{run.pk}/?status=open").content.decode()


def test_case_page_shows_record_beside_states_with_differences(staff: Staff, run: Run) -> None:
    case = run.cases.get(rid="R05")
    text = client(staff.reviewer).get(f"/review/cases/{case.pk}/").content.decode()
    assert '<td class="differs">' in text and "広島県広島市" in text and "愛知県名古屋市" in text
    assert "紐付いている番号" in text and "別人（候補）" in text
    assert AuditEntry.objects.filter(action="case.view", object_id=str(case.pk)).count() == 1


def test_decide_approve_return_and_export_through_pages(staff: Staff, run: Run) -> None:
    reviewer, approver = client(staff.reviewer), client(staff.approver)
    ids = {r: run.cases.get(rid=r).pk for r in ("R05", "R09", "R14")}
    reviewer.post(
        f"/review/cases/{ids['R05']}/decide/", {"action": "mislink", "reason": "同姓同名"}
    )
    reviewer.post(f"/review/cases/{ids['R09']}/decide/", {"action": "correct", "reason": "転居"})
    reviewer.post(f"/review/cases/{ids['R14']}/decide/", {"action": "unlink", "reason": "不明"})
    queue = approver.get(f"/review/runs/{run.pk}/queue/").content.decode()
    assert all(r in queue for r in ("R05", "R09", "R14"))
    approver.post(f"/review/cases/{ids['R05']}/approve/")
    approver.post(f"/review/cases/{ids['R09']}/approve/")
    approver.post(f"/review/cases/{ids['R14']}/return/", {"reason": "本人確認の結果を記載"})
    assert Case.objects.get(pk=ids["R14"]).status == Status.OPEN
    reviewer.post(
        f"/review/cases/{ids['R14']}/decide/", {"action": "unlink", "reason": "照会で別人"}
    )
    approver.post(f"/review/cases/{ids['R14']}/approve/")
    no_reason = approver.post(f"/review/runs/{run.pk}/export/", {"reason": ""}, follow=True)
    assert "理由" in no_reason.content.decode()
    response = approver.post(f"/review/runs/{run.pk}/export/", {"reason": "業務システムへ反映"})
    assert response["Content-Disposition"].startswith("attachment")
    SEEN.pop()  # the corrections file holds the numbers to set, on purpose
    lines = response.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 4 and fixtures.number(4) in lines[1]
    assert run.cases.filter(status=Status.EXPORTED).count() == 3


def test_approver_cannot_approve_own_decision_by_url_or_tampered_form(
    staff: Staff, run: Run
) -> None:
    both = client(staff.both)
    case = run.cases.get(rid="R14").pk
    both.post(f"/review/cases/{case}/decide/", {"action": "unlink", "reason": "不明"})
    page = both.post(f"/review/cases/{case}/approve/", {"approved_by": staff.approver.pk,
                     "user": staff.approver.pk}, follow=True).content.decode()  # fmt: skip
    assert "自分が判断した事案は承認できません" in page
    assert Case.objects.get(pk=case).status == Status.DECIDED
    assert "承認する</button>" not in both.get(f"/review/cases/{case}/").content.decode()


def test_other_organisation_sees_nothing_by_any_url(staff: Staff, run: Run) -> None:
    outsider = client(staff.other_reviewer)
    case = run.cases.get(rid="R05").pk
    for url in (f"/review/runs/{run.pk}/", f"/review/runs/{run.pk}/queue/",
                f"/review/cases/{case}/"):  # fmt: skip
        assert outsider.get(url).status_code == 404, url
    for url in (f"/review/cases/{case}/decide/", f"/review/cases/{case}/approve/",
                f"/review/cases/{case}/return/", f"/review/cases/{case}/reveal/",
                f"/review/runs/{run.pk}/export/", f"/review/runs/{run.pk}/bulk/",
                f"/review/cases/{case}/incident/"):  # fmt: skip
        assert outsider.post(url, {"action": "unlink", "reason": "x", "what": "claimed"}
                             ).status_code == 404, url  # fmt: skip
    assert "テスト点検" not in outsider.get("/review/").content.decode()
    assert Case.objects.get(pk=case).status == Status.OPEN


@pytest.fixture
def survey_people(db: None) -> dict[str, Any]:
    from tests.web.conftest import PASSWORD

    admin = accounts.create_staff("ministry", SiteRole.ADMIN, PASSWORD)
    viewer = accounts.create_staff("watcher", SiteRole.VIEWER, PASSWORD)
    return {"admin": admin, "viewer": viewer}


def test_survey_admin_sees_counts_only_and_viewers_nothing(
    staff: Staff, run: Run, survey_people: dict[str, Any]
) -> None:
    admin = client(survey_people["admin"])
    page = admin.get("/review/").content.decode()
    assert ORG in page and "他の組織の点検（件数のみ）" in page
    assert f"/review/runs/{run.pk}/" not in page
    case = run.cases.get(rid="R05").pk
    assert admin.get(f"/review/runs/{run.pk}/").status_code == 404
    assert admin.get(f"/review/cases/{case}/").status_code == 404
    viewer = client(survey_people["viewer"])
    assert viewer.get("/review/").status_code == 403
    assert viewer.get(f"/review/cases/{case}/").status_code == 404
    assert "山田" not in page and "田中" not in page


def test_respondent_cannot_see_cases(staff: Staff, run: Run, site: Any) -> None:
    respondent = client(site.respondent)
    case = run.cases.get(rid="R05").pk
    assert respondent.get("/review/").status_code == 403
    assert respondent.get(f"/review/cases/{case}/").status_code == 404


def test_reveal_needs_a_typed_reason_and_is_audited(staff: Staff, run: Run) -> None:
    c = client(staff.reviewer)
    case = run.cases.get(rid="R05").pk
    refused = c.post(f"/review/cases/{case}/reveal/", {"what": "claimed", "reason": " "},
                     follow=True).content.decode()  # fmt: skip
    assert "理由を入力してください" in refused and fixtures.number(5) not in refused
    shown = c.post(f"/review/cases/{case}/reveal/", {"what": "claimed", "reason": "電話照会"})
    assert fixtures.number(5) in shown.content.decode()
    assert "no-store" in shown["Cache-Control"]
    SEEN.pop()  # the one page that shows a full number on purpose
    entry = AuditEntry.objects.filter(action="case.reveal").get()
    assert "電話照会" in entry.details and fixtures.number(5) not in entry.details
    assert client(staff.auditor).post(f"/review/cases/{case}/reveal/", {
        "what": "claimed", "reason": "x"}, follow=True).content.decode().count(
        fixtures.number(5)) == 0  # fmt: skip


def test_bulk_decision_over_a_filter(staff: Staff, run: Run) -> None:
    c = client(staff.reviewer)
    c.post(f"/review/runs/{run.pk}/bulk/", {"verdict": "review", "action": "hold",
                                           "reason": "住基へ照会中"})  # fmt: skip
    held = set(run.cases.filter(status=Status.HELD).values_list("verdict", flat=True))
    assert held == {"review"}
    assert AuditEntry.objects.filter(action="case.decide").count() == run.cases.filter(
        verdict="review").count()  # fmt: skip


def test_audit_page_filters_and_is_for_auditors(staff: Staff, run: Run) -> None:
    case = run.cases.get(rid="R05")
    services.decide(case.pk, staff.reviewer, Action.UNLINK, "別人")
    auditor = client(staff.auditor)
    page = auditor.get("/review/audit/?action=case.decide").content.decode()
    assert "<td>case.decide</td>" in page and "<td>run.import</td>" not in page
    assert "<td>case.decide</td>" in auditor.get("/review/audit/?case=R05").content.decode()
    assert "<td>case.decide</td>" not in auditor.get("/review/audit/?actor=nobody").content.decode()
    assert "<td>run.import</td>" in auditor.get("/review/audit/").content.decode()
    assert client(staff.reviewer).get("/review/audit/").status_code == 403
    assert client(staff.other_reviewer).get("/review/audit/").status_code == 403


def test_grants_by_org_admin_are_audited(staff: Staff) -> None:
    c = client(staff.org_admin)
    c.post("/review/grants/", {"organisation": ORG, "username": "other_reviewer",
                               "role": "auditor"})  # fmt: skip
    assert Role.AUDITOR in services.roles_of(staff.other_reviewer, ORG)
    assert AuditEntry.objects.filter(action="grant.add", organisation=ORG).exists()
    assert c.post("/review/grants/", {"organisation": OTHER_ORG, "username": "reviewer",
                  "role": "approver"}).status_code == 403  # fmt: skip
    assert client(staff.reviewer).get("/review/grants/").status_code == 403


def test_incident_register_and_summary(staff: Staff, run: Run) -> None:
    case = run.cases.get(rid="R05").pk
    services.decide(case, staff.reviewer, Action.MISLINK, "同姓同名")
    services.approve(case, staff.approver)
    c = client(staff.approver)
    assert "紐付け誤り事例の登録簿に追加する" in c.get(f"/review/cases/{case}/").content.decode()
    c.post(f"/review/cases/{case}/incident/", {"incident": "new", "cause": "homonym"})
    incident = Incident.objects.get()
    assert list(incident.cases.values_list("rid", flat=True)) == ["R05"]
    c.post(
        f"/review/incidents/{incident.pk}/",
        {
            "title": "同姓同名の別人への紐付け",
            "found_on": "2026-11-01",
            "cause": "homonym",
            "records_affected": "1",
            "fixed_on": "2026-11-20",
            "summary": "カナ氏名と生年月日だけで照会",
        },
    )
    html = c.get(f"/review/incidents/summary.html?organisation={ORG}")
    text = html.content.decode()
    assert "同姓同名の別人への紐付け" in text and "R05" in text and "② 事例はある" in text
    assert "<link" not in text and "<script" not in text
    xlsx = c.get(f"/review/incidents/summary.xlsx?organisation={ORG}")
    assert xlsx.content[:2] == b"PK"
    assert client(staff.other_reviewer).get(f"/review/incidents/{incident.pk}/").status_code == 404
    assert [e.action for e in AuditEntry.objects.filter(action__startswith="incident.")] == [
        "incident.create", "incident.add_case", "incident.update", "incident.summary",
        "incident.summary"]  # fmt: skip


def test_error_pages_and_urls_hold_no_full_number(staff: Staff, run: Run) -> None:
    c = client(staff.reviewer)
    case = run.cases.get(rid="R11").pk
    typed = fixtures.number(1)  # not among this case's candidates
    page = c.post(f"/review/cases/{case}/decide/", {"action": "link", "reason": "x",
                  "number": typed}, follow=True).content.decode()  # fmt: skip
    assert "抜粋にありません" in page and typed not in page
    searched = c.get(f"/review/runs/{run.pk}/?q={fixtures.number(2)}").content.decode()
    assert "個人番号では検索できません" in searched
    c.get("/review/cases/999999/")


def test_zz_nothing_collected_holds_a_full_number() -> None:
    """Runs last in this module: every page and URL the tests above produced."""
    assert SEEN, "the page tests ran first"
    assert [(url, full_numbers(body)) for url, body in SEEN if full_numbers(body)] == []
    # URLs: only the one a user typed a number into (the search refuses it, see above)
    assert [url for url, _ in SEEN if full_numbers(url) and "q=" not in url] == []
