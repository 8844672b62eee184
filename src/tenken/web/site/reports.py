"""The round's report (issue 4's tallies, risk levels and charts) built from the store's answers.

Only counted answers (``store.api.counted_answers``: each organisation's latest submitted one,
with the problems the store kept) count; a draft is not an answer yet. The same ReportData feeds the
HTML page, the Excel workbook and the JSON, exactly as ``tenken survey report`` writes them.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from django.utils import timezone

from tenken.store import api
from tenken.store.models import Round
from tenken.survey.local_governments import lookup_org_name
from tenken.survey.report import ReportData, build_pack_report
from tenken.survey.report.figures import report_json
from tenken.survey.report.html import render_html
from tenken.survey.report.model import ListedOrg
from tenken.survey.report.xlsx import write_workbook


def round_report(survey_round: Round) -> ReportData:
    """Tallies and risk levels of a round's counted answers (``api.counted``) against its roster,
    judged by the pack the round kept (its rules and report settings)."""
    pack = api.pack_of(survey_round)
    roster = []
    for entry in survey_round.roster.all():
        government = lookup_org_name(entry.org_name)
        code = government.code if government else ""
        roster.append(ListedOrg(entry.org_name, entry.org_kind, entry.prefecture, code))
    documents = api.counted_answers(survey_round)
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
