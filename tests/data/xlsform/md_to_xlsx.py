"""Turn pyxform's markdown test forms into XLSForm workbooks.

pyxform (https://github.com/XLSForm/pyxform, BSD-2-Clause) writes the forms of its test suite as
markdown tables: a row whose first cell is non-empty names a sheet, the next row is that sheet's
header, the following rows its data. ``pyxform_forms.yaml`` holds a dozen of those small forms,
each with the repository, path, commit and test it came from; this script converts them:

    python tests/data/xlsform/md_to_xlsx.py OUT_DIR
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

import yaml
from openpyxl import Workbook

FORMS = Path(__file__).with_name("pyxform_forms.yaml")


def parse_md(md: str) -> dict[str, list[list[str]]]:
    """Sheet name -> rows (header first) of a pyxform markdown form."""
    sheets: dict[str, list[list[str]]] = {}
    current: list[list[str]] | None = None
    for line in md.splitlines():
        line = line.strip()
        if not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        if cells[0]:
            current = sheets.setdefault(cells[0], [])
            continue
        if current is not None:
            current.append(cells[1:])
    return sheets


def md_to_xlsx(md: str) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in parse_md(md).items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def forms() -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = yaml.safe_load(FORMS.read_text(encoding="utf-8"))["forms"]
    return data


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for form in forms():
        (out / f"{form['id']}.xlsx").write_bytes(md_to_xlsx(form["md"]))
        print(f"{form['id']}.xlsx  <- {form['source']['path']}::{form['source']['test']}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
