"""Write every report file into a directory, atomically.

The files are first written into a fresh temporary directory beside the target; only when all
of them are complete are they moved into place (``os.replace``: each file is swapped in one
step), so a failed run never leaves a half-written report and never touches other files.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from tenken.survey.report.csv_out import organisations_csv, tallies_csv
from tenken.survey.report.figures import report_json
from tenken.survey.report.html import render_html
from tenken.survey.report.model import ReportData
from tenken.survey.report.xlsx import write_workbook

HTML_NAME = "report.html"
XLSX_NAME = "report.xlsx"
JSON_NAME = "report.json"
CSV_NAMES = ("organisations.csv", "tallies.csv")


def write_report(data: ReportData, out_dir: Path, *, with_json: bool = False) -> list[Path]:
    """Write the report files into ``out_dir`` (created if needed); return their paths."""
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        _render_all(data, staging, with_json)
        out_dir.mkdir(exist_ok=True)
        written = []
        for item in sorted(staging.iterdir()):
            target = out_dir / item.name
            os.replace(item, target)
            written.append(target)
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _render_all(data: ReportData, folder: Path, with_json: bool) -> None:
    (folder / HTML_NAME).write_text(render_html(data), encoding="utf-8")
    write_workbook(data, folder / XLSX_NAME)
    (folder / CSV_NAMES[0]).write_text(organisations_csv(data), encoding="utf-8-sig", newline="")
    (folder / CSV_NAMES[1]).write_text(tallies_csv(data), encoding="utf-8-sig", newline="")
    if with_json:
        text = json.dumps(report_json(data), ensure_ascii=False, indent=1)
        (folder / JSON_NAME).write_text(text + "\n", encoding="utf-8")
