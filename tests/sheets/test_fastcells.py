"""The fast cell reader gives exactly what openpyxl gives, or steps aside."""

from __future__ import annotations

import io
from functools import cache
from typing import Any

import pytest
from hypothesis import given, settings
from openpyxl import load_workbook

from tenken.survey.loader import load_bundled
from tenken.survey.model import Questionnaire
from tenken.survey.xlsx import reader
from tenken.survey.xlsx.layout import HIDDEN, MAIN, build_layout
from tenken.survey.xlsx.writer import form_bytes
from tests.sheets.conftest import EXAMPLE_FILES, example_data, filled
from tests.sheets.strategies import sheet_documents


def both_paths(data: bytes, q: Questionnaire) -> tuple[Any, Any]:
    """(fast path cells, openpyxl cells restricted to the cells the reader uses)."""
    fast = reader._fast(data, build_layout(q))
    assert fast is not None, "the fast path should handle a plain sheet"
    main, hidden = reader._load(data, "<x>", reader._bounds(build_layout(q)))
    want_main, want_hidden = _wanted(q)
    slow = (
        {k: v for k, v in main.items() if k in want_main},
        {k: v for k, v in hidden.items() if k in want_hidden},
    )
    return fast, slow


def _wanted(q: Questionnaire) -> tuple[set[str], set[str]]:
    layout = build_layout(q)
    main = {c for s, c in layout.formulas if s == MAIN}
    hidden = {c for s, c in layout.formulas if s == HIDDEN} | {f"B{i}" for i in range(1, 7)}
    for cells in layout.fields.values():
        main.update([cells.input] if cells.input else cells.options.values())
    return main, hidden


@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_examples_read_the_same_both_ways(
    questionnaire: Questionnaire, blank_sheet: bytes, name: str
) -> None:
    """Each bundled example: the fast path returns the cells openpyxl returns."""
    fast, slow = both_paths(filled(blank_sheet, questionnaire, example_data(name)), questionnaire)
    assert fast == slow


@cache
def _blank() -> bytes:
    return form_bytes(load_bundled())


@settings(max_examples=30, deadline=None)
@given(data=sheet_documents(load_bundled()))
def test_generated_answers_read_the_same_both_ways(data: dict[str, Any]) -> None:
    """Generated answer sets (junk, whitespace, marks): both paths agree cell by cell."""
    q = load_bundled()
    fast, slow = both_paths(filled(_blank(), q, data), q)
    assert fast == slow


def test_a_pasted_number_sends_the_file_to_openpyxl(
    questionnaire: Questionnaire, blank_sheet: bytes
) -> None:
    """A numeric input cell is openpyxl's job (number formats); the document is still right."""
    layout = build_layout(questionnaire)
    wb = load_workbook(io.BytesIO(blank_sheet))
    wb[MAIN][layout.fields["電話番号"].input] = 312345678
    out = io.BytesIO()
    wb.save(out)
    assert reader._fast(out.getvalue(), layout) is None
    document = reader.read_sheet_bytes(out.getvalue(), questionnaire, "<x>")
    assert document.respondent["電話番号"] == "312345678"
