"""Write every report file into a directory, atomically.

As for ``tenken inspect``: the files are written into a staging folder beside ``out_dir`` that
replaces ``out_dir`` as a whole once all of them are complete (:func:`tenken.fileio.atomic_folder`),
so a failed or killed run leaves the old report or the new one, never a mix nor a stale
``report.json``, and the next run removes what a killed one left. ``out_dir`` must be absent,
empty or an earlier report (:func:`check_report_folder`): other files in it would be lost.
"""

from __future__ import annotations

import json
from pathlib import Path

from tenken.fileio import atomic_folder, check_out_folder
from tenken.survey.report.csv_out import organisations_csv, tallies_csv
from tenken.survey.report.figures import report_json
from tenken.survey.report.html import render_html
from tenken.survey.report.model import ReportData
from tenken.survey.report.xlsx import write_workbook

HTML_NAME = "report.html"
XLSX_NAME = "report.xlsx"
JSON_NAME = "report.json"
CSV_NAMES = ("organisations.csv", "tallies.csv")
REPORT_NAMES = frozenset({HTML_NAME, XLSX_NAME, JSON_NAME, *CSV_NAMES})


def check_report_folder(out_dir: Path) -> None:
    """Refuse, before any work, an ``--out`` that the whole-folder swap could not replace."""
    check_out_folder(Path(out_dir), REPORT_NAMES)


def write_report(data: ReportData, out_dir: Path, *, with_json: bool = False) -> list[Path]:
    """Write the report files into ``out_dir`` (created if needed); return their paths."""
    out_dir = Path(out_dir)
    check_report_folder(out_dir)
    with atomic_folder(out_dir, REPORT_NAMES) as staging:
        _render_all(data, staging, with_json)
        names = sorted(item.name for item in staging.iterdir())
    return [out_dir / name for name in names]


def _render_all(data: ReportData, folder: Path, with_json: bool) -> None:
    (folder / HTML_NAME).write_text(render_html(data), encoding="utf-8")
    write_workbook(data, folder / XLSX_NAME)
    (folder / CSV_NAMES[0]).write_text(organisations_csv(data), encoding="utf-8-sig", newline="")
    (folder / CSV_NAMES[1]).write_text(tallies_csv(data), encoding="utf-8-sig", newline="")
    if with_json:
        text = json.dumps(report_json(data), ensure_ascii=False, indent=1)
        (folder / JSON_NAME).write_text(text + "\n", encoding="utf-8")
