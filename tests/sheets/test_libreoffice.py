"""LibreOffice recalculates the sheet's two flags and agrees with the engine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import Phase, given, settings

from tenken.survey.engine import evaluate
from tenken.survey.loader import load_bundled
from tenken.survey.model import Questionnaire
from tenken.survey.xlsx.reader import read_sheet
from tenken.survey.xlsx.writer import form_bytes
from tests.sheets.conftest import EXAMPLE_FILES, document, example_data, filled
from tests.sheets.libreoffice import recalculate, soffice
from tests.sheets.strategies import sheet_documents

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]


def test_flags_agree_on_bundled_examples(
    questionnaire: Questionnaire, blank_sheet: bytes, tmp_path: Path
) -> None:
    """Every bundled example typed into a sheet: LibreOffice's flags equal the engine's, and
    the file LibreOffice saved reads back with the engine's problems (not as "edited")."""
    soffice()
    sheets = {
        name.removesuffix(".json"): filled(blank_sheet, questionnaire, example_data(name))
        for name in EXAMPLE_FILES
    }
    sheets["blank"] = blank_sheet
    shown = recalculate(questionnaire, sheets, tmp_path)
    for name in EXAMPLE_FILES:
        expected = evaluate(questionnaire, document(questionnaire, example_data(name)))
        assert shown[name.removesuffix(".json")] == expected.flags, name
    assert shown["blank"] == {"情報未入力あり": True, "未回答あり": True}
    # A respondent may save the sheet with LibreOffice: it still reads back the same.
    for name in EXAMPLE_FILES:
        saved = tmp_path / "out" / name.replace(".json", ".xlsx")
        back = evaluate(questionnaire, read_sheet(saved, questionnaire))
        expected = evaluate(questionnaire, document(questionnaire, example_data(name)))
        assert back.to_json() == expected.to_json(), name


def test_flags_agree_on_generated_answer_sets(tmp_path: Path) -> None:
    """60 hypothesis-generated answer sets, recalculated in one LibreOffice run, all agree.

    Hypothesis generates the documents (no shrinking: each LibreOffice run costs seconds);
    a failure names the document whose flags differ.
    """
    soffice()
    q = load_bundled()
    batch: list[dict[str, Any]] = []

    @settings(max_examples=60, deadline=None, database=None, phases=[Phase.generate])
    @given(sheet_documents(q))
    def collect(data: dict[str, Any]) -> None:
        batch.append(data)

    collect()
    blank = form_bytes(q)
    sheets = {f"case{i:03d}": filled(blank, q, data) for i, data in enumerate(batch)}
    shown = recalculate(q, sheets, tmp_path)
    for i, data in enumerate(batch):
        expected = evaluate(q, document(q, data)).flags
        assert shown[f"case{i:03d}"] == expected, data
    # The batch is only a test if both flags took both values.
    seen = {(flag, on) for flags in shown.values() for flag, on in flags.items()}
    assert len(seen) == 4, seen
