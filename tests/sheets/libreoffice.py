"""Recalculate answer sheets with LibreOffice headless and read the two flag cells.

One soffice run converts a whole batch (LibreOffice starts in about 2 s), in a throwaway
profile whose OOXMLRecalcMode is 0 (always recalculate), so cached results are never trusted.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tenken.survey.engine import FLAG_MISSING_INFO, FLAG_UNANSWERED
from tenken.survey.model import Questionnaire
from tenken.survey.xlsx.layout import MAIN, build_layout

_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        pytest.skip("LibreOffice (soffice) is not installed")
    return found


def recalculate(
    q: Questionnaire, sheets: dict[str, bytes], workdir: Path
) -> dict[str, dict[str, bool]]:
    """Flags as LibreOffice computes them, for each named sheet (one soffice run)."""
    program = soffice()
    source, out, profile = workdir / "in", workdir / "out", workdir / "profile"
    for folder in (source, out, profile / "user"):
        folder.mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(_PROFILE, encoding="utf-8")
    for name, data in sheets.items():
        (source / f"{name}.xlsx").write_bytes(data)
    command = [
        program,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "xlsx",
        "--outdir",
        str(out),
        *sorted(str(p) for p in source.glob("*.xlsx")),
    ]
    subprocess.run(command, capture_output=True, timeout=300, check=False)
    cells = build_layout(q).flag_cells
    result: dict[str, dict[str, bool]] = {}
    for name in sheets:
        converted = out / f"{name}.xlsx"
        assert converted.exists(), f"LibreOffice did not convert {name}"
        ws = load_workbook(converted, data_only=True)[MAIN]
        result[name] = {}
        for flag in (FLAG_MISSING_INFO, FLAG_UNANSWERED):
            shown = ws[cells[flag]].value or ""
            assert shown in ("", flag), f"{name}: {cells[flag]} shows {shown!r}"
            result[name][flag] = shown == flag
    return result
