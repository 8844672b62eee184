"""The generated sheet mirrors 別添2 and helps the respondent (validation, protection, format)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from tenken.survey.engine import FLAG_MISSING_INFO, FLAG_UNANSWERED
from tenken.survey.model import Questionnaire
from tenken.survey.xlsx.layout import HEADER, HIDDEN, MAIN, Layout, build_layout
from tenken.survey.xlsx.writer import form_bytes


@pytest.fixture(scope="module")
def workbook(questionnaire: Questionnaire) -> Workbook:
    data = form_bytes(questionnaire, {"組織名": "14神奈川県相模原市", "組織区分": "市区町村"})
    return load_workbook(io.BytesIO(data))


@pytest.fixture(scope="module")
def layout(questionnaire: Questionnaire) -> Layout:
    return build_layout(questionnaire)


def input_cells(layout: Layout) -> Iterator[tuple[str, str]]:
    for name, cells in layout.fields.items():
        if cells.input:
            yield name, cells.input
        for coordinate in cells.options.values():
            yield name, coordinate


def test_items_table_has_header_and_one_row_per_item(workbook: Workbook) -> None:
    """Header 項番/質問/回答, then 項番 exactly 1-1 … 10 as text, in the seed's order."""
    ws = workbook[MAIN]
    rows = list(ws.iter_rows(values_only=True))
    header_index = next(i for i, r in enumerate(rows) if r[:3] == HEADER[:3])
    numbers = [r[0] for r in rows[header_index + 1 :] if r[0]]
    expected = ["1-1", "1-2", "2", "3", "4", "5", "6", "7-1", "7-2", "7-3", "7-4"]
    assert numbers == [*expected, "8-1", "8-2", "9", "10"]
    assert all(isinstance(n, str) for n in numbers)


def test_followups_and_options_sit_under_their_item(
    workbook: Workbook, layout: Layout, questionnaire: Questionnaire
) -> None:
    """Follow-ups of 2 and 8-1 come right after them; 6 and 7-4 have one ○ cell per option."""
    row = {name: cells.row for name, cells in layout.fields.items()}
    assert row["2-予定年月"] == row["2"] + 1
    assert row["8-1-概要"] == row["8-1"] + 1
    for name in ("6", "7-4"):
        options = layout.fields[name].options
        assert list(options) == list(questionnaire.choices_of(questionnaire.field(name)).codes())
        assert [int(c[1:]) for c in options.values()] == [
            row[name] + i for i in range(1, len(options) + 1)
        ]


def test_respondent_block_label_with_input_directly_right(
    workbook: Workbook, layout: Layout, questionnaire: Questionnaire
) -> None:
    """Each respondent label is in column A with its input cell in B; ministry fields pre-filled."""
    ws = workbook[MAIN]
    for f in questionnaire.respondent_fields:
        cells = layout.fields[f.name]
        assert ws.cell(cells.row, 1).value == f.label
        assert cells.input == f"B{cells.row}"
    assert ws[layout.fields["制度等"].input].value == "職業転換給付金制度（訓練手当）"
    assert ws[layout.fields["組織名"].input].value == "14神奈川県相模原市"


def test_select_cells_have_dropdowns_from_named_ranges_with_error_alert(
    workbook: Workbook, layout: Layout, questionnaire: Questionnaire
) -> None:
    """Every select input has a list validation naming a range on the hidden sheet, alert on."""
    ws = workbook[MAIN]
    by_cell: dict[str, Any] = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            by_cell[rng.coord] = dv
    for f in questionnaire.fields:
        cells = layout.fields[f.name]
        if f.kind != "select_one":
            continue
        dv = by_cell[cells.input or ""]
        assert dv.type == "list" and dv.showErrorMessage and dv.errorStyle == "stop"
        target = workbook.defined_names[dv.formula1].attr_text
        assert target.startswith(f"'{HIDDEN}'!")
        assert len(dv.formula1) < 255


def test_inputs_are_text_formatted_unlocked_and_the_rest_locked(
    workbook: Workbook, layout: Layout
) -> None:
    """Input cells: '@' and unlocked (ministry fields locked); the sheet and workbook protected."""
    ws = workbook[MAIN]
    inputs = {coordinate for _name, coordinate in input_cells(layout)}
    for name, coordinate in input_cells(layout):
        cell = ws[coordinate]
        assert cell.number_format == "@", coordinate
        ministry = layout.fields[name].field.filled_by == "ministry"
        assert cell.protection.locked == ministry, coordinate
    for row in ws.iter_rows():
        for cell in row:
            if cell.coordinate not in inputs:
                assert cell.protection.locked, cell.coordinate
    assert ws.protection.sheet and workbook[HIDDEN].protection.sheet
    assert workbook[HIDDEN].sheet_state == "veryHidden"
    assert workbook.security is not None and workbook.security.lockStructure


def test_only_the_two_formula_cells_hold_the_flag_texts(workbook: Workbook, layout: Layout) -> None:
    """「情報未入力あり」「未回答あり」 appear in no cell but their own formula cell."""
    found: dict[str, list[str]] = {FLAG_MISSING_INFO: [], FLAG_UNANSWERED: []}
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                for flag in found:
                    if isinstance(cell.value, str) and flag in cell.value:
                        found[flag].append(f"{ws.title}!{cell.coordinate}")
    for flag, cells in found.items():
        assert cells == [f"{MAIN}!{layout.flag_cells[flag]}"]
        assert str(workbook[MAIN][layout.flag_cells[flag]].value).startswith("=IF(")


def test_skippable_items_are_greyed_by_conditional_formatting(
    workbook: Workbook, layout: Layout, questionnaire: Questionnaire
) -> None:
    """Every item with a relevant rule has a grey-out rule on its rows tied to its helper cell."""
    ws: Worksheet = workbook[MAIN]
    rules = {str(cf.sqref): cf.rules for cf in ws.conditional_formatting}
    for f in questionnaire.items:
        cells = layout.fields[f.name]
        last = cells.row + len(cells.options)
        key = f"A{cells.row}:D{last}"
        if f.relevant is None:
            assert key not in rules
        else:
            assert f"$B${cells.calc_row}" in rules[key][0].formula[0]


def test_formulas_come_from_the_questionnaire(questionnaire: Questionnaire) -> None:
    """Changing an item's relevant rule in the questionnaire changes the sheet's formula."""
    import dataclasses

    from tenken.survey.expr import parse

    changed = dataclasses.replace(
        questionnaire,
        fields=tuple(
            dataclasses.replace(f, relevant=parse("${3} = '①'")) if f.name == "4" else f
            for f in questionnaire.fields
        ),
    )
    before = build_layout(questionnaire)
    after = build_layout(changed)
    cell = (HIDDEN, f"B{before.fields['4'].calc_row}")
    assert before.formulas[cell].startswith("NOT(EXACT(")
    assert after.formulas[cell].startswith("EXACT(") and '"①"' in after.formulas[cell]
