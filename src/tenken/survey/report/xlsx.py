"""The Excel workbook: summary, one sheet per item with a native chart, cross-tabs, risk rules,
every organisation's level, and the organisations that have not answered or have problems.

Text from answers is written as text, never as a formula (openpyxl would otherwise store a
value starting with ``=`` as one), and characters Excel cannot hold are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tenken.survey.aggregate import OVERALL, CrossTab, ItemTally
from tenken.survey.report.model import NOT_SUBMITTED, OrgRow, ReportData, TextList
from tenken.survey.risk import LEVELS
from tenken.survey.textcells import set_text

Value = str | int | float | bool | None
_HEAD_FILL = PatternFill("solid", fgColor="DCE6F1")
_LEVEL_FILLS = {
    "高": PatternFill("solid", fgColor="F4C7C3"),
    "中": PatternFill("solid", fgColor="FCE5CD"),
    "低": PatternFill("solid", fgColor="D9EAD3"),
    NOT_SUBMITTED: PatternFill("solid", fgColor="E7E9EC"),
}
_BOLD = Font(bold=True)
_PERCENT = "0.0%"


def put(ws: Worksheet, row: int, col: int, value: Value) -> None:
    """Write one cell; text always stays text."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        set_text(cell, ILLEGAL_CHARACTERS_RE.sub("", value))
    elif isinstance(value, bool):
        cell.value = "はい" if value else "いいえ"
    else:
        cell.value = value


def put_row(ws: Worksheet, row: int, values: Sequence[Value], *, head: bool = False) -> None:
    for col, value in enumerate(values, start=1):
        put(ws, row, col, value)
        if head:
            ws.cell(row=row, column=col).fill = _HEAD_FILL
            ws.cell(row=row, column=col).font = _BOLD


def _widths(ws: Worksheet, widths: Sequence[float]) -> None:
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width


def write_workbook(data: ReportData, path: Path) -> None:
    """Build the workbook and save it to ``path``."""
    wb = Workbook()
    _summary(wb.active, data)
    for tally in data.tallies:
        _item_sheet(wb.create_sheet(sheet_title(f"項番{tally.item}")), tally, data.groups)
    if data.crosstabs:
        _crosstab_sheet(wb.create_sheet("クロス集計"), data.crosstabs)
    if data.texts:
        _texts_sheet(wb.create_sheet("記述・数値の回答"), data.texts)
    _rules_sheet(wb.create_sheet("リスク判定ルール"), data)
    for i, (name, part) in enumerate(data.by_seido, start=1):
        _summary(wb.create_sheet(), part, f"制度{i}", name)
    _org_sheet(wb.create_sheet("団体別判定"), data.orgs)
    attention = tuple(o for o in data.orgs if not o.submitted or o.flagged or o.problems)
    _org_sheet(wb.create_sheet("未提出・不備"), attention)
    wb.save(path)


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_title(text: str) -> str:
    """A worksheet name Excel accepts: no []:*?/\\, at most 31 characters."""
    return _SHEET_FORBIDDEN.sub("_", text)[:31]


def _texts_sheet(ws: Worksheet, texts: Sequence[TextList]) -> None:
    row = 1
    for t in texts:
        put(ws, row, 1, f"項番{t.item} {t.text}")
        ws.cell(row=row, column=1).font = Font(bold=True)
        put_row(ws, row + 1, ["組織名", "回答"], head=True)
        for i, (org, value) in enumerate(t.entries, start=row + 2):
            put_row(ws, i, [org, value])
        row += len(t.entries) + 3
    _widths(ws, [28, 80])


def _summary(ws: Worksheet, data: ReportData, title: str = "概要", seido: str = "") -> None:
    ws.title = title
    q = data.questionnaire
    about = f"（制度: {seido}）" if seido else ("（全制度の合計）" if data.by_seido else "")
    put(ws, 1, 1, f"{q.title} 集計とリスク判定{about}")
    ws.cell(row=1, column=1).font = Font(bold=True, size=14)
    put(ws, 2, 1, f"調査票 {q.id}（{q.version}）・作成 {data.generated_at}")
    put(ws, 3, 1, "回答の扱い: " + data.rules.note)
    if data.rules.note_quote:
        put(ws, 4, 1, "引用: " + data.rules.note_quote)
    for r in (3, 4):
        ws.cell(row=r, column=1).alignment = Alignment(wrap_text=False)
    in_roster = sum(1 for o in data.orgs if o.in_roster)
    put_row(ws, 6, ["項目", "団体数"], head=True)
    facts: list[tuple[str, int]] = [
        ("対象団体（名簿）", in_roster),
        ("回答", len(data.submitted)),
        ("未提出", len(data.not_submitted)),
        ("名簿外の回答", sum(1 for o in data.orgs if not o.in_roster)),
        ("不備のある回答", len(data.flagged)),
    ]
    for i, (label, n) in enumerate(facts, start=7):
        put_row(ws, i, [label, n])
    row = 7 + len(facts) + 1
    levels = (*LEVELS, NOT_SUBMITTED)
    put_row(ws, row, ["区分", *levels, "計"], head=True)
    counts = data.level_counts()
    for group in data.groups:
        row += 1
        values = [counts[group][lv] for lv in levels]
        put_row(ws, row, [group, *values, sum(values)])
    row += 2
    put_row(ws, row, ["水準", "意味"], head=True)
    for level, meaning in data.rules.levels.items():
        row += 1
        put_row(ws, row, [level, meaning])
        ws.cell(row=row, column=1).fill = _LEVEL_FILLS.get(level, _HEAD_FILL)
    _widths(ws, [22, 12, 12, 12, 12, 12])


def _item_sheet(ws: Worksheet, tally: ItemTally, groups: Sequence[str]) -> None:
    shown = [g for g in groups if tally.groups[g].applicable or g == OVERALL]
    put(ws, 1, 1, f"項番{tally.item}")
    ws.cell(row=1, column=1).font = Font(bold=True, size=13)
    put(ws, 2, 1, tally.text)
    if tally.kind == "select_multiple":
        put(
            ws, 3, 1, "複数選択: 割合は回答した団体に占める割合（合計は100%を超えることがあります）"
        )
    header: list[Value] = ["選択肢", "文言"]
    for g in shown:
        header += [f"{g} 件数", f"{g} 割合"]
    put_row(ws, 5, header, head=True)
    for i, (code, label) in enumerate(zip(tally.codes, tally.labels, strict=True), start=6):
        values: list[Value] = [code, label]
        for g in shown:
            values += [tally.groups[g].counts[code], tally.groups[g].share(code)]
        put_row(ws, i, values)
        for j in range(len(shown)):
            ws.cell(row=i, column=4 + 2 * j).number_format = _PERCENT
    last = 5 + len(tally.codes)
    for k, (label, attr) in enumerate(
        (("回答数", "answered"), ("回答対象", "applicable"), ("無回答", "no_answer")), start=1
    ):
        values = [label, ""]
        for g in shown:
            values += [getattr(tally.groups[g], attr), None]
        put_row(ws, last + k, values)
    _widths(ws, [8, 60, *([11, 11] * len(shown))])
    chart = BarChart()
    chart.type = "bar"
    chart.title = f"項番{tally.item}（回答に占める割合）"
    chart.y_axis.number_format = "0%"
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 1
    for j in range(len(shown)):
        ref = Reference(ws, min_col=4 + 2 * j, min_row=5, max_row=last)
        chart.add_data(ref, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=6, max_row=last))
    chart.height, chart.width = 7 + len(tally.codes), 18
    ws.add_chart(chart, f"A{last + 6}")


def _crosstab_sheet(ws: Worksheet, tabs: Sequence[CrossTab]) -> None:
    row = 1
    for tab in tabs:
        put(ws, row, 1, f"項番{tab.row}（行）× 項番{tab.col}（列）")
        ws.cell(row=row, column=1).font = _BOLD
        put_row(ws, row + 1, [f"{tab.row} \\ {tab.col}", *tab.col_codes, "対象外・無回答", "計"],
                head=True)  # fmt: skip
        for i, r in enumerate(tab.row_codes, start=row + 2):
            cells = [tab.cell(r, c) for c in tab.col_codes]
            put_row(ws, i, [r, *cells, tab.col_missing[r], tab.row_totals[r]])
        row += len(tab.row_codes) + 4
    _widths(ws, [14, *([10] * 8)])


def _rules_sheet(ws: Worksheet, data: ReportData) -> None:
    counts = data.rule_counts()
    put_row(ws, 1, ["ID", "水準", "名称", "条件", "根拠", "引用（調査票・事務連絡）", "該当団体数"],
            head=True)  # fmt: skip
    for i, r in enumerate(data.rules.rules, start=2):
        put_row(ws, i, [r.id, r.level, r.title, r.trigger, r.rationale, r.quote, counts[r.id]])
        ws.cell(row=i, column=2).fill = _LEVEL_FILLS[r.level]
        for col in (5, 6):
            ws.cell(row=i, column=col).alignment = Alignment(wrap_text=True, vertical="top")
    _widths(ws, [6, 6, 30, 40, 60, 60, 10])


def _org_sheet(ws: Worksheet, orgs: Sequence[OrgRow]) -> None:
    header = ["団体コード", "組織名", "組織区分", "都道府県", "判定", "該当ルール",
              "情報未入力あり", "未回答あり", "不備件数", "名簿内", "状況"]  # fmt: skip
    divided = any(o.seido for o in orgs)
    header += ["制度等"] if divided else []
    put_row(ws, 1, header, head=True)
    for i, o in enumerate(orgs, start=2):
        values: list[Value] = [o.code, o.org_name, o.kind, o.prefecture, o.level, " ".join(o.rules),
                  o.missing_info, o.unanswered, o.problems, o.in_roster, o.state]  # fmt: skip
        values += [o.seido] if divided else []
        put_row(ws, i, values)
        ws.cell(row=i, column=5).fill = _LEVEL_FILLS.get(o.level, _HEAD_FILL)
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(len(orgs) + 1, 2)}"
    _widths(ws, [10, 28, 10, 10, 8, 24, 12, 10, 8, 8, 18])
