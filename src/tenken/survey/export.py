"""The raw export of a round: every answer, free text and contact fields included, one row per
roster organisation (xlsx and CSV; CSV as UTF-8 with BOM or CP932 for older Excel).

Pure: the caller (CLI or site) hands in the rows read from the store. Text is written as text,
never as a formula (:mod:`tenken.survey.textcells`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from tenken.survey.document import AnswerDocument
from tenken.survey.model import Questionnaire
from tenken.survey.seido import SEIDO_FIELD
from tenken.survey.textcells import csv_text, set_text, without_control_characters

Encoding = Literal["utf-8", "cp932"]
FIXED_COLUMNS = ("組織名", "組織区分", "都道府県", "状況", "受信日時", "ファイル名", "不備の件数")


@dataclass(frozen=True)
class ExportRow:
    org_name: str
    org_kind: str
    prefecture: str
    state: str
    received_at: str = ""
    source_name: str = ""
    problems: int = 0
    document: AnswerDocument | None = None
    seido: str = ""  # the 制度 of the row (a round with several: one row per organisation and 制度)

    def value(self, name: str) -> str | list[str]:
        """The row's answer to ``name`` (a row not yet answered still names its 制度)."""
        if self.document is not None:
            return self.document.value(name)
        return self.seido if name == SEIDO_FIELD else ""


def header(q: Questionnaire) -> list[str]:
    respondent = [f.name for f in q.respondent_fields if f.name not in ("組織名", "組織区分")]
    return [*FIXED_COLUMNS, *respondent, *(f"項番{f.name}" for f in q.items)]


def table(q: Questionnaire, rows: Sequence[ExportRow]) -> list[list[str]]:
    """Header and one row per organisation and 制度 (multi-select answers joined by 「、」)."""
    names = [f.name for f in q.respondent_fields if f.name not in ("組織名", "組織区分")]
    names += [f.name for f in q.items]
    out = [header(q)]
    for row in rows:
        values = [row.org_name, row.org_kind, row.prefecture, row.state, row.received_at,
                  row.source_name, str(row.problems) if row.document else ""]  # fmt: skip
        for name in names:
            value = row.value(name)
            values.append("、".join(value) if isinstance(value, list) else value)
        out.append(values)
    return out


def to_csv(data: list[list[str]], encoding: Encoding = "utf-8") -> tuple[bytes, int]:
    """CSV bytes and how many characters CP932 could not hold (written as 〓, the geta mark)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in data:
        writer.writerow([csv_text(without_control_characters(v)) for v in row])
    text = buffer.getvalue()
    if encoding == "utf-8":
        return ("\ufeff" + text).encode("utf-8"), 0
    lost = 0
    chars = []
    for c in text:
        try:
            c.encode("cp932")
            chars.append(c)
        except UnicodeEncodeError:
            chars.append("〓")
            lost += 1
    return "".join(chars).encode("cp932"), lost


def to_xlsx(data: list[list[str]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "回答一覧"
    for r, row in enumerate(data, start=1):
        for c, value in enumerate(row, start=1):
            set_text(ws.cell(r, c), value)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "B2"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
