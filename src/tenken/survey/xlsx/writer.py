"""Write the answer sheet (別添2) for one respondent with openpyxl, from the questionnaire alone.

What the sheet does for the respondent: drop-downs fed by named ranges on a hidden sheet with
the error alert on, text format on every input cell (phone numbers and codes keep their leading
zeros, ``1-1`` never turns into a date), items that do not apply greyed by conditional
formatting, input cells unlocked and everything else locked, and the two formula cells.
openpyxl writes no cached results: Excel and LibreOffice calculate the formulas on opening.
"""

from __future__ import annotations

import io
import math
import unicodedata
from collections.abc import Mapping
from pathlib import Path

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from tenken.fileio import write_atomically
from tenken.survey.model import Questionnaire
from tenken.survey.textcells import set_text
from tenken.survey.xlsx.formulas import MARK, quote
from tenken.survey.xlsx.layout import (
    FORMAT_VERSION,
    HEADER,
    HIDDEN,
    MAIN,
    MARKER,
    META_KEYS,
    ROUND_KEY,
    SEIDO_KEY,
    FieldCells,
    Layout,
    absolute,
    build_layout,
    fingerprint,
    list_range_text,
)

_FONT = Font(name="游ゴシック", size=10)
_BOLD = Font(name="游ゴシック", size=10, bold=True)
_TITLE = Font(name="游ゴシック", size=14, bold=True)
_FLAG = Font(name="游ゴシック", size=11, bold=True, color="C00000")
_INPUT = PatternFill("solid", fgColor="FFF2CC")
_HEAD = PatternFill("solid", fgColor="D9E1F2")
_GREY = PatternFill("solid", fgColor="BFBFBF")
_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_UNLOCKED = Protection(locked=False)


def default_prefill(q: Questionnaire) -> dict[str, str]:
    """Ministry fields whose list has a single choice are filled with it (制度等)."""
    prefill: dict[str, str] = {}
    for f in q.respondent_fields:
        if f.filled_by == "ministry" and f.list_name and len(q.choices_of(f).choices) == 1:
            prefill[f.name] = q.choices_of(f).codes()[0]
    return prefill


def build_workbook(q: Questionnaire, prefill: Mapping[str, str] | None = None) -> Workbook:
    """The answer sheet as an openpyxl workbook; ``prefill`` maps respondent fields to values."""
    layout = build_layout(q)
    values = {**default_prefill(q), **(prefill or {})}
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = MAIN
    hidden = wb.create_sheet(HIDDEN)
    issued = (values.get("組織名", ""), values.get(ROUND_KEY, ""), values.get(SEIDO_KEY, ""))
    _write_hidden(wb, hidden, layout, *issued)
    _write_main(ws, layout, values)
    hidden.sheet_state = "veryHidden"
    hidden.protection.sheet = True
    wb.security = WorkbookProtection(lockStructure=True)
    return wb


def form_bytes(q: Questionnaire, prefill: Mapping[str, str] | None = None) -> bytes:
    """The answer sheet as .xlsx bytes."""
    buffer = io.BytesIO()
    build_workbook(q, prefill).save(buffer)
    return buffer.getvalue()


def write_form(q: Questionnaire, path: Path, prefill: Mapping[str, str] | None = None) -> None:
    """Write the answer sheet to ``path`` atomically."""
    write_atomically(path, form_bytes(q, prefill))


def _write_hidden(
    wb: Workbook,
    ws: Worksheet,
    layout: Layout,
    issued_to: str,
    round_code: str = "",
    seido: str = "",
) -> None:
    q = layout.questionnaire
    meta = {
        "marker": MARKER,
        "format": FORMAT_VERSION,
        "questionnaire": q.id,
        "version": q.version,
        "fingerprint": fingerprint(q),
        "issued_to": issued_to,
        "round": round_code,
        "seido": seido,
    }
    for i, key in enumerate(META_KEYS, start=1):
        ws.cell(i, 1, key)
        ws.cell(i, 2, meta[key]).number_format = "@"
    for name, cells in layout.list_cells.items():
        for coordinate, value in cells:
            ws[coordinate] = value
        defined = layout.list_ranges[name]
        wb.defined_names[defined] = DefinedName(defined, attr_text=list_range_text(layout, name))
    for field_cells in layout.fields.values():
        ws.cell(field_cells.calc_row, 1, field_cells.field.name)
    for (sheet, coordinate), formula in layout.formulas.items():
        if sheet == HIDDEN:
            ws[coordinate] = "=" + formula


def _write_main(ws: Worksheet, layout: Layout, values: Mapping[str, str]) -> None:
    q = layout.questionnaire
    for letter, width in _WIDTHS.items():
        ws.column_dimensions[letter].width = width
    ws["A1"] = q.meta.get("sheet_title", q.title)
    ws["A1"].font = _TITLE
    ws["A2"] = "◆黄色のセルに入力してください（リストから選択できるセルはリストから選択）。"
    ws["A2"].font = _FONT
    _title_cell(ws, f"A{layout.respondent_title_row}", "回答者情報")
    for f in q.respondent_fields:
        _respondent_row(ws, layout.fields[f.name], layout, values.get(f.name, ""))
    for flag, coordinate in layout.flag_cells.items():
        row = int(coordinate[1:])
        label = (
            "回答者情報の入力状況"
            if flag == next(iter(layout.flag_cells))
            else "調査項目の回答状況"
        )
        ws.cell(row, 1, label).font = _BOLD
        cell = ws[coordinate]
        cell.value = "=" + layout.formulas[(MAIN, coordinate)]
        cell.font = _FLAG
        cell.border = _BOX
    _title_cell(ws, f"A{layout.items_title_row}", "調査項目への回答")
    for i, text in enumerate(HEADER, start=1):
        cell = ws.cell(layout.header_row, i, text)
        cell.font, cell.fill, cell.border = _BOLD, _HEAD, _BOX
    for f in q.items:
        _item_rows(ws, layout.fields[f.name], layout, values.get(f.name, ""))
    ws.freeze_panes = f"A{layout.header_row + 1}"
    # Print on A4 portrait, all columns on one page width (the sheet is often printed to check).
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{layout.header_row}:{layout.header_row}"
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # widening a column is harmless
    ws.protection.formatRows = False


_WIDTHS = {"A": 16, "B": 70, "C": 22, "D": 48}


def _text_width(text: str) -> int:
    """Display width in column units: East Asian wide characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fit_height(ws: Worksheet, row: int, columns: str = "BD") -> None:
    """Rows are not auto-fitted when a file is opened: size wrapped text ourselves."""
    lines = 1
    for letter in columns:
        text = str(ws[f"{letter}{row}"].value or "")
        width = _WIDTHS[letter] - 1
        needed = sum(max(1, math.ceil(_text_width(part) / width)) for part in text.split("\n"))
        lines = max(lines, needed)
    if lines > 1:
        ws.row_dimensions[row].height = 13.5 * lines + 2


def _title_cell(ws: Worksheet, coordinate: str, text: str) -> None:
    ws[coordinate] = text
    ws[coordinate].font = _BOLD


def _input(ws: Worksheet, coordinate: str, value: str, locked: bool = False) -> None:
    cell = ws[coordinate]
    set_text(cell, value)
    cell.number_format = "@"
    cell.border = _BOX
    cell.alignment = _WRAP
    cell.font = _FONT
    if not locked:
        cell.fill = _INPUT
        cell.protection = _UNLOCKED


def _dropdown(ws: Worksheet, layout: Layout, list_name: str, coordinate: str) -> None:
    validation = DataValidation(
        type="list",
        formula1=layout.list_ranges[list_name],
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle="選択肢にない値",
        error="リストから選択してください。",
    )
    validation.add(coordinate)
    ws.add_data_validation(validation)


def _respondent_row(ws: Worksheet, cells: FieldCells, layout: Layout, value: str) -> None:
    f = cells.field
    ws.cell(cells.row, 1, f.label).font = _BOLD
    ws.cell(cells.row, 1).border = _BOX
    assert cells.input is not None
    _input(ws, cells.input, value, locked=f.filled_by == "ministry")
    if f.list_name:
        _dropdown(ws, layout, f.list_name, cells.input)
    hint = ws.cell(cells.row, 3, f.hint or "")
    hint.font, hint.alignment = _FONT, _WRAP
    ws.merge_cells(start_row=cells.row, start_column=3, end_row=cells.row, end_column=4)
    lines = math.ceil(_text_width(f.hint or "") / (_WIDTHS["C"] + _WIDTHS["D"] - 1))
    if lines > 1:  # the hint spans the merged C:D
        ws.row_dimensions[cells.row].height = 13.5 * lines + 2


def _item_rows(ws: Worksheet, cells: FieldCells, layout: Layout, value: str) -> None:
    f = cells.field
    q = layout.questionnaire
    ws.cell(cells.row, 1, "" if f.is_followup else f.name)
    ws.cell(cells.row, 2, f.label)
    last_row = cells.row + len(cells.options)
    if cells.input is not None:
        _input(ws, cells.input, value)
        if f.list_name:
            _dropdown(ws, layout, f.list_name, cells.input)
            lines = [f"{c.name}{c.label}" for c in q.choices_of(f).choices]
            ws.cell(cells.row, 4, "\n".join(lines))
    else:
        ws.cell(cells.row, 3, f"該当する選択肢すべてに「{MARK}」")
        marks = DataValidation(
            type="list",
            formula1=quote(MARK),
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="「○」を入力",
            error=f"該当する場合は「{MARK}」を選択してください。",
        )
        for (code, coordinate), choice in zip(
            cells.options.items(), q.choices_of(f).choices, strict=True
        ):
            row = int(coordinate[1:])
            ws.cell(row, 2, f"{code}{choice.label}")
            _input(ws, coordinate, "")
            marks.add(coordinate)
        ws.add_data_validation(marks)
    for row in range(cells.row, last_row + 1):
        for column in range(1, 5):
            cell = ws.cell(row, column)
            cell.border = _BOX
            if column != 3 or cell.protection.locked:
                cell.alignment = _WRAP
                cell.font = _BOLD if (column == 1 and row == cells.row) else _FONT
    for row in range(cells.row, last_row + 1):
        _fit_height(ws, row)
    if f.relevant is not None:
        applies = absolute(HIDDEN, f"B{cells.calc_row}")
        ws.conditional_formatting.add(
            f"A{cells.row}:D{last_row}",
            FormulaRule(formula=[f"NOT({applies})"], fill=_GREY, font=Font(color="808080")),
        )
