"""Cases from a ``tenken inspect`` output folder: one per record whose verdict is not confirmed.

The folder is checked first (:func:`tenken.linkage.manifest.verify_output`); then every case
gets its record's facts, every registry state of its claimed number and the other persons who
agree on name, birth date and sex (some of them on all four facts), from case_evidence.parquet,
with the verdict, reasons and masked candidates of verdicts.parquet.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from tenken.errors import InputError
from tenken.fileio import escape_formula
from tenken.linkage.columns import REASONS, VERDICTS
from tenken.linkage.evidence import COLUMNS
from tenken.linkage.manifest import fingerprint, verify_output
from tenken.linkage.review.facts import Facts, State
from tenken.linkage.review.model import CaseFile


@dataclass(frozen=True)
class Output:
    """A verified inspect output: its summary, fingerprint and cases (in input order)."""

    folder: Path
    summary: dict[str, Any]
    fingerprint: str
    cases: list[CaseFile]
    candidates: dict[str, str]  # rid -> masked candidate list, as review.xlsx shows it


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _facts(row: dict[str, Any]) -> Facts:
    return Facts(_text(row["name"]), _text(row["birth"]), _text(row["sex"]),
                 _text(row["address"]), _text(row["kana"]))  # fmt: skip


def _read(folder: Path, name: str, columns: list[str]) -> pa.Table:
    try:
        return pq.read_table(folder / name, columns=columns)
    except (pa.ArrowException, OSError) as error:
        raise InputError(f"{folder / name}: 読めません（{error}）") from error


def _check_counts(folder: Path, summary: dict[str, Any], verdicts: list[str]) -> None:
    found = {code: verdicts.count(code) for code in VERDICTS}
    unknown = sorted(set(verdicts) - set(VERDICTS))
    if unknown:
        raise InputError(f"{folder}: verdicts.parquet に知らない判定があります: {unknown[0]}")
    if summary.get("verdicts") != found:
        raise InputError(f"{folder}: summary.json の件数と verdicts.parquet の件数が合いません")


def read_output(folder: Path) -> Output:
    """Verify ``folder`` and build its cases (InputError saying what is wrong, if anything)."""
    summary = verify_output(folder)
    verdicts = _read(folder, "verdicts.parquet",
                     ["制度固有番号", "verdict", "reasons", "candidates"]).to_pylist()  # fmt: skip
    _check_counts(folder, summary, [_text(v["verdict"]) for v in verdicts])
    evidence: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in _read(folder, "case_evidence.parquet", list(COLUMNS)).to_pylist():
        evidence[escape_formula(_text(row["rid"])) or ""].append(row)
    cases, candidates = [], {}
    for v in verdicts:
        if v["verdict"] == "confirmed":
            continue
        shown = _text(v["制度固有番号"])
        rows = evidence.get(shown, [])
        record = [r for r in rows if r["role"] == "record"]
        if len(record) != 1:
            raise InputError(f"{folder}: case_evidence.parquet に記録 {shown} がありません")
        reasons = tuple(c for c in _text(v["reasons"]).split(";") if c)
        if any(c not in REASONS for c in reasons):
            raise InputError(f"{folder}: verdicts.parquet に知らない理由があります（{shown}）")
        cases.append(_case(record[0], rows, str(v["verdict"]), reasons))
        candidates[cases[-1].rid] = _text(v["candidates"])
    return Output(folder, summary, fingerprint(folder), cases, candidates)


def _state(row: dict[str, Any]) -> State:
    return State(_text(row["mn"]), _facts(row), _text(row["vfrom"]), _text(row["vto"]))


def _case(record: dict[str, Any], rows: list[dict[str, Any]], verdict: str,
          reasons: tuple[str, ...]) -> CaseFile:  # fmt: skip
    claimed = tuple(_state(r) for r in rows if r["role"] == "claimed")
    others = tuple(_state(r) for r in rows if r["role"] == "other")
    return CaseFile(
        rid=_text(record["rid"]), verdict=verdict, reasons=reasons, record=_facts(record),
        linked_on=_text(record["linked_on"]), claimed_number=_text(record["mn"]),
        claimed_states=claimed, others=others,
    )  # fmt: skip
