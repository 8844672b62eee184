"""Cases built from a real inspect output of the hand-written fixtures; refusals of bad folders."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tenken.errors import InputError
from tenken.linkage.inspection import run
from tenken.linkage.review.casefile import read_output
from tenken.linkage.review.facts import Agreement, per_fact
from tenken.linkage.review.numbers import proposed_number
from tests.linkage import fixtures


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("inspect")
    registry, records = fixtures.write(folder)
    run(registry, records, folder / "out")
    return folder / "out"


def test_one_case_per_unconfirmed_record_with_its_evidence(output: Path) -> None:
    result = read_output(output)
    expected = [r[0] for r, verdict, _ in fixtures.RECORDS if verdict != "confirmed"]
    assert [c.rid for c in result.cases] == expected
    by_rid = {c.rid: c for c in result.cases}
    homonym = by_rid["R05"]  # linked to the 田中 誠 in 広島; the one in 名古屋 agrees fully
    assert homonym.claimed_number == fixtures.number(5)
    assert per_fact(homonym.record, homonym.claimed_states)["address"] == Agreement.DIFFERS
    assert proposed_number(homonym) == fixtures.number(4)
    moved = by_rid["R09"]  # matches only the state before the link date
    assert [s.valid_to for s in moved.claimed_states] == ["2018-12-31", ""]
    assert per_fact(moved.record, moved.claimed_states)["address"] == Agreement.HISTORY
    assert proposed_number(by_rid["R10"]) == fixtures.number(11)  # unlinked_match
    assert proposed_number(by_rid["R11"]) == ""  # unlinked_ambiguous
    assert proposed_number(by_rid["R12"]) == ""  # partial candidates only
    assert by_rid["R05"].reasons == ("address_differs", "other_person_matches",
                                     "same_name_birth_elsewhere")  # fmt: skip


def _copy(output: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy"
    shutil.copytree(output, target)
    return target


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda f: (f / "case_evidence.parquet").unlink(), "case_evidence.parquet がありません"),
        (lambda f: (f / "verdicts.parquet").write_bytes(
            (f / "verdicts.parquet").read_bytes()[:-3] + b"xyz"), "内容が inspect の記録と違います"),
        (lambda f: (f / "review.xlsx").write_bytes(b"x"), "大きさ"),
        (lambda f: (f / "summary.json").unlink(), "summary.json がありません"),
        (lambda f: (f / "summary.json").write_text("{", encoding="utf-8"), "読めません"),
    ],
)  # fmt: skip
def test_incomplete_or_edited_folders_are_refused(
    output: Path, tmp_path: Path, damage: object, message: str
) -> None:
    folder = _copy(output, tmp_path)
    damage(folder)  # type: ignore[operator]
    with pytest.raises(InputError, match=message):
        read_output(folder)


def test_summary_counts_must_match(output: Path, tmp_path: Path) -> None:
    folder = _copy(output, tmp_path)
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    summary["verdicts"]["confirmed"] += 1
    (folder / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    with pytest.raises(InputError, match="件数"):
        read_output(folder)


def test_old_outputs_without_checksums_are_refused(output: Path, tmp_path: Path) -> None:
    folder = _copy(output, tmp_path)
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    del summary["files"]
    (folder / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    with pytest.raises(InputError, match="チェックサム"):
        read_output(folder)
