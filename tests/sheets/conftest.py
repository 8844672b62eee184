"""Shared helpers for the Excel answer-sheet tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tenken.survey.document import AnswerDocument, parse_document
from tenken.survey.loader import load_bundled
from tenken.survey.model import Questionnaire
from tenken.survey.xlsx.fill import fill_sheet
from tenken.survey.xlsx.writer import form_bytes

EXAMPLES = Path(__file__).resolve().parents[2] / "src" / "tenken" / "survey" / "examples"
EXAMPLE_FILES = sorted(p.name for p in EXAMPLES.glob("*.json"))


@pytest.fixture(scope="session")
def questionnaire() -> Questionnaire:
    return load_bundled()


@pytest.fixture(scope="session")
def blank_sheet(questionnaire: Questionnaire) -> bytes:
    """One generated sheet, reused by tests that fill or tamper with it."""
    return form_bytes(questionnaire)


def example_data(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    return data


def document(q: Questionnaire, data: dict[str, Any]) -> AnswerDocument:
    return parse_document(data, q, "<json>")


def filled(blank: bytes, q: Questionnaire, data: dict[str, Any]) -> bytes:
    """The blank sheet with ``data`` typed in."""
    return fill_sheet(blank, q, document(q, data))
