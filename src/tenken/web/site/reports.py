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
from tenken.survey.report import ReportData
from tenken.survey.report.figures import report_json
from tenken.survey.report.html import render_html
from tenken.survey.report.xlsx import write_workbook


def round_report(survey_round: Round, seido: str | None = None) -> ReportData:
    """Tallies and risk levels of a round's counted answers (``api.counted``) against its roster,
    judged by the pack the round kept (its rules and report settings); per 制度 and overall in
    a round with several (``seido``: that 制度's report)."""
    generated = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    data: ReportData = api.round_report(survey_round, generated, seido=seido)
    return data


def as_html(data: ReportData) -> str:
    return render_html(data)


def as_json(data: ReportData) -> bytes:
    return (json.dumps(report_json(data), ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def as_xlsx(data: ReportData) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.xlsx"
        write_workbook(data, path)
        return path.read_bytes()
