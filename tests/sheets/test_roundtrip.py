"""A filled sheet reads back to exactly what the equivalent JSON says."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from typer.testing import CliRunner

from tenken.cli import app
from tenken.survey.engine import evaluate
from tenken.survey.loader import load_bundled
from tenken.survey.model import Questionnaire
from tenken.survey.xlsx.reader import read_sheet_bytes
from tenken.survey.xlsx.writer import form_bytes
from tests.sheets.conftest import EXAMPLE_FILES, EXAMPLES, document, example_data, filled
from tests.sheets.strategies import sheet_documents


@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_bundled_examples_round_trip(
    questionnaire: Questionnaire, blank_sheet: bytes, name: str
) -> None:
    """Each bundled example, typed into a sheet, gives the same flags and problems as its JSON."""
    data = example_data(name)
    back = read_sheet_bytes(filled(blank_sheet, questionnaire, data), questionnaire, "<xlsx>")
    expected = evaluate(questionnaire, document(questionnaire, data))
    got = evaluate(questionnaire, back)
    assert got.problems == expected.problems
    assert got.flags == expected.flags
    assert got.counted() == expected.counted()


@cache
def _blank() -> bytes:
    return form_bytes(load_bundled())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=sheet_documents(load_bundled()))
def test_generated_answer_sets_round_trip(data: dict[str, Any]) -> None:
    """Any answer set typed into the sheet reads back with the problems of the same JSON."""
    q = load_bundled()
    back = read_sheet_bytes(filled(_blank(), q, data), q, "<xlsx>")
    expected = evaluate(q, document(q, data))
    assert evaluate(q, back).to_json() == expected.to_json()


@pytest.mark.parametrize("name", ["municipality-complete.json", "problem-invalid-choice.json"])
def test_check_cli_gives_the_json_result_for_a_sheet(
    questionnaire: Questionnaire, blank_sheet: bytes, tmp_path: Path, name: str
) -> None:
    """`tenken survey check X.xlsx --json` prints what it prints for the JSON, same exit code."""
    sheet = tmp_path / "answer.xlsx"
    sheet.write_bytes(filled(blank_sheet, questionnaire, example_data(name)))
    runner = CliRunner()
    from_json = runner.invoke(app, ["survey", "check", str(EXAMPLES / name), "--json"])
    from_xlsx = runner.invoke(app, ["survey", "check", str(sheet), "--json"])
    assert from_xlsx.exit_code == from_json.exit_code
    assert json.loads(from_xlsx.stdout) == json.loads(from_json.stdout)


def test_not_listed_value_gets_the_nearest_choice(
    questionnaire: Questionnaire, blank_sheet: bytes
) -> None:
    """`① 定めている` typed into item 2 is reported as not a choice, suggesting `①`."""
    data = example_data("municipality-complete.json")
    data["answers"]["2"] = "① 定めている"
    data["answers"]["2-予定年月"] = ""
    back = read_sheet_bytes(filled(blank_sheet, questionnaire, data), questionnaire, "<xlsx>")
    problems = evaluate(questionnaire, back).problems
    assert [(p.item, p.kind, p.suggestion) for p in problems] == [("2", "invalid_choice", "①")]


def test_numbers_and_dates_read_as_text(questionnaire: Questionnaire, blank_sheet: bytes) -> None:
    """A pasted number reads as its digits (no `.0`), so `1` in item 3 suggests `①`."""
    import io

    from openpyxl import load_workbook

    from tenken.survey.xlsx.layout import MAIN, build_layout

    layout = build_layout(questionnaire)
    data = filled(blank_sheet, questionnaire, example_data("municipality-complete.json"))
    wb = load_workbook(io.BytesIO(data))
    wb[MAIN][layout.fields["3"].input] = 1.0
    out = io.BytesIO()
    wb.save(out)
    back = read_sheet_bytes(out.getvalue(), questionnaire, "<xlsx>")
    assert back.answers["3"] == "1"
    problems = evaluate(questionnaire, back).problems
    assert [(p.item, p.suggestion) for p in problems] == [("3", "①")]
