"""Shared fixtures for the survey tests."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from tenken.survey.loader import load_bundled
from tenken.survey.model import Questionnaire

EXAMPLES = Path(__file__).resolve().parents[2] / "src" / "tenken" / "survey" / "examples"


@pytest.fixture(scope="session")
def questionnaire() -> Questionnaire:
    return load_bundled()


def example(name: str) -> dict[str, Any]:
    """A deep copy of a bundled example document."""
    data: dict[str, Any] = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    return copy.deepcopy(data)
