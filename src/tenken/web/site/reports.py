"""The round's report (issue 4's tallies, risk levels and charts) built from the store's answers.

Only submitted answers count (a draft is not an answer yet). The same ReportData feeds the
HTML page, the Excel workbook and the JSON, exactly as ``tenken survey report`` writes them.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from django.utils import timezone

from tenken.survey.local_governments import lookup_org_name
from tenken.survey.report import ReportData, build_pack_report
from tenken.survey.report.figures import report_json
from tenken.survey.report.html import render_html
from tenken.survey.report.model import ListedOrg
from tenken.survey.report.xlsx import write_workbook
from tenken.web.accounts.models import RosterEntry, SurveyRound
from tenken.web.accounts.services import pack_of
from tenken.web.site import store


def round_report(survey_round: SurveyRound) -> ReportData:
    """Tallies and risk levels of a round's submitted answers against its roster."""
    pack = pack_of(survey_round)
    entries: list[RosterEntry] = list(survey_round.roster.select_related("organisation"))
    roster = []
    for entry in entries:
        org = entry.organisation
        government = lookup_org_name(org.name)
        code = government.code if government else ""
        roster.append(ListedOrg(org.name, org.kind, org.prefecture, code))
    stored = store.load_round(entries)
    documents = [s.document for s in stored.values() if s.submitted]
    generated = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    return build_pack_report(pack, roster, documents, generated)


def as_html(data: ReportData) -> str:
    return render_html(data)


def as_json(data: ReportData) -> bytes:
    return (json.dumps(report_json(data), ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def as_xlsx(data: ReportData) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.xlsx"
        write_workbook(data, path)
        return path.read_bytes()
