"""The 概要 document of an organisation's mislink incidents (survey Q10 ②③④): xlsx and HTML.

Pure: takes the incidents as plain values and returns bytes. The HTML is self-contained (its
style inline in the file, no external request) so it can be attached and opened anywhere.
"""

from __future__ import annotations

import datetime as dt
import html
import io
from collections.abc import Sequence
from dataclasses import dataclass

HEADERS = ("件名", "発見日", "原因", "影響を受けた記録の件数", "関係する事案", "国への報告日",
           "公表日", "改善日", "概要")  # fmt: skip


@dataclass(frozen=True)
class IncidentLine:
    title: str
    found_on: dt.date
    cause: str
    records_affected: int
    cases: str
    reported_on: dt.date | None
    published_on: dt.date | None
    fixed_on: dt.date | None
    summary: str

    def values(self) -> list[str]:
        day = lambda d: d.isoformat() if d else "未"
        return [self.title, day(self.found_on), self.cause, str(self.records_affected),
                self.cases, day(self.reported_on), day(self.published_on), day(self.fixed_on),
                self.summary]  # fmt: skip


def q10_answer(lines: Sequence[IncidentLine]) -> str:
    """The Q10 choice the register points to (cause known for all? fixed for all?)."""
    if not lines:
        return "① 事例はない。"
    unreported = [x for x in lines if not x.reported_on and not x.published_on]
    if not unreported:
        return "（すべて国への報告または公表済み）"
    if all(x.fixed_on for x in unreported):
        return "② 事例はある。原因も特定されており、改善されている。"
    return "③ 事例はある。原因も特定されているが、改善されていない。"


def _title(organisation: str) -> str:
    return f"マイナンバーの紐付け誤り事例の概要（{organisation}）"


def xlsx_bytes(organisation: str, lines: Sequence[IncidentLine], made_on: dt.date) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from tenken.fileio import escape_formula

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "事例の概要"
    sheet.append([_title(organisation)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([f"作成日 {made_on.isoformat()}", f"Q10 の該当: {q10_answer(lines)}"])
    sheet.append([])
    sheet.append(list(HEADERS))
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for line in lines:
        sheet.append([escape_formula(v) for v in line.values()])
    for column, width in zip("ABCDEFGHI", (24, 12, 24, 10, 24, 12, 12, 12, 60), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=5):
        row[-1].alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


_STYLE = ("body{font-family:sans-serif;margin:2rem;color:#1b1b1b}table{border-collapse:collapse;"
          "width:100%}th,td{border:1px solid #999;padding:.3rem .5rem;vertical-align:top;"
          "text-align:left}th{background:#eef2f7}td.summary{white-space:pre-wrap}")  # fmt: skip


def html_bytes(organisation: str, lines: Sequence[IncidentLine], made_on: dt.date) -> bytes:
    e = html.escape
    head = "".join(f"<th>{e(h)}</th>" for h in HEADERS)
    body = "".join(
        "<tr>" + "".join(f'<td{" class=summary" if i == 8 else ""}>{e(v)}</td>'
                         for i, v in enumerate(line.values())) + "</tr>"
        for line in lines
    ) or f'<tr><td colspan="{len(HEADERS)}">事例はありません。</td></tr>'  # fmt: skip
    page = (
        f'<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>{e(_title(organisation))}'
        f"</title><style>{_STYLE}</style></head><body><h1>{e(_title(organisation))}</h1>"
        f"<p>作成日 {made_on.isoformat()}　Q10 の該当: {e(q10_answer(lines))}</p>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></body></html>\n"
    )
    return page.encode("utf-8")
