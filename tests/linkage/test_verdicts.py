"""Every verdict on hand-written cases, including the traps that bury real errors."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from tenken.linkage.inspection import run
from tests.linkage import fixtures


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("case")
    registry, records = fixtures.write(folder)
    run(registry, records, folder / "out")
    with (folder / "out" / "verdicts.csv").open(encoding="utf-8") as handle:
        return {row["制度固有番号"]: row for row in csv.DictReader(handle)}


@pytest.mark.parametrize(
    ("rid", "verdict", "reasons"),
    [(r[0], v, reasons) for r, v, reasons in fixtures.RECORDS],
    ids=[r[0] for r, _, _ in fixtures.RECORDS],
)
def test_verdict_and_reasons(
    verdicts: dict[str, dict[str, Any]], rid: str, verdict: str, reasons: set[str]
) -> None:
    """Each hand-written record gets its expected verdict and at least the expected reasons
    (moved/married persons confirmed via history; homonym and family member suspected)."""
    row = verdicts[rid]
    assert row["verdict"] == verdict, row
    assert reasons <= set(row["reasons"].split(";")), row


def test_unlinked_match_proposes_exactly_one_masked_number(
    verdicts: dict[str, dict[str, Any]],
) -> None:
    """A unique four-fact match is proposed, masked; ambiguous ones list both, masked."""
    assert verdicts["R10"]["candidates"] == "**** **** " + fixtures.number(11)[-4:]
    assert verdicts["R11"]["candidates"].count("****") == 4


def test_partial_facts_never_propose(verdicts: dict[str, dict[str, Any]]) -> None:
    """Kana + birthday (another kanji) or name + birthday (another address) is no proposal."""
    assert verdicts["R13"]["verdict"] == "unlinked_none" and verdicts["R13"]["candidates"] == ""
    assert verdicts["R12"]["verdict"] == "unlinked_none"


def test_shared_number_gets_one_duplicate_group(verdicts: dict[str, dict[str, Any]]) -> None:
    """Records linked to one number share a duplicate_group (right or not); others have none."""
    assert verdicts["R16"]["duplicate_group"] == verdicts["R17"]["duplicate_group"] != ""
    assert verdicts["R01"]["duplicate_group"] == verdicts["R02"]["duplicate_group"] != ""
    assert verdicts["R05"]["duplicate_group"] == ""


def test_one_digit_off_points_to_the_right_person(verdicts: dict[str, dict[str, Any]]) -> None:
    """A mistyped number names the person who matches, masked."""
    assert verdicts["R18"]["candidates"] == "**** **** " + fixtures.number(3)[-4:]


def test_no_full_number_in_any_output(tmp_path: Path) -> None:
    """Full My Numbers of candidates never appear in the output files."""
    registry, records = fixtures.write(tmp_path)
    run(registry, records, tmp_path / "out")
    text = (tmp_path / "out" / "verdicts.csv").read_text(encoding="utf-8")
    assert fixtures.number(11) not in text and fixtures.number(3) not in text
