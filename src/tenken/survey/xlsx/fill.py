"""Type answers into a generated sheet, as a respondent would (demo, tests and benchmarks).

The workbook is opened and saved with openpyxl, which keeps the formulas, validations,
conditional formats, names and protection of the generated sheet.
"""

from __future__ import annotations

import io

from openpyxl import load_workbook

from tenken.survey.document import AnswerDocument
from tenken.survey.model import Questionnaire
from tenken.survey.textcells import set_text
from tenken.survey.xlsx.formulas import MARK
from tenken.survey.xlsx.layout import MAIN, build_layout


def fill_sheet(data: bytes, q: Questionnaire, document: AnswerDocument) -> bytes:
    """Return ``data`` (a generated sheet) with ``document``'s values typed into its cells.

    A multi-select answer puts ``○`` in the cell of each listed code; a value that is not a
    code of the list is typed into the first free option cell, so that it reads back as given.
    """
    layout = build_layout(q)
    wb = load_workbook(io.BytesIO(data))
    ws = wb[MAIN]
    for name, cells in layout.fields.items():
        value = document.value(name)
        if cells.options:
            values = value if isinstance(value, list) else [value] if value else []
            free = [c for code, c in cells.options.items() if code not in values]
            for code, coordinate in cells.options.items():
                ws[coordinate] = MARK if code in values else None
            for other in (v for v in values if v not in cells.options):
                set_text(ws[free.pop(0)], other)
        elif cells.input is not None:
            text = " ".join(value) if isinstance(value, list) else value
            set_text(ws[cells.input], text)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
