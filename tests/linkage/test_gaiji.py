# ruff: noqa: E501  (data tables: one case per line reads best)
"""A registry's 外字 table: known 外字 compare as their character, unknown ones go to review."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tenken.errors import InputError
from tenken.linkage.columns import RECORD_COLUMNS, REGISTRY_COLUMNS
from tenken.linkage.gaiji_table import load_gaiji_table
from tenken.linkage.inspection import run
from tests.linkage.fixtures import number, write_csv

ADDRESS = "京都府京都市中京区1丁目1番1号"
IVS = "\U000e0100"
# 個人番号, 氏名 (with the vendor's 外字 codes), 氏名カナ, 生年月日, 性別, 住所, 有効開始日, 有効終了日
REGISTRY = [
    (number(1), "渡\ue001　太郎", "", "1960-03-03", "1", ADDRESS, "2015-10-05", ""),
    (number(2), "渡\ue001　花子", "", "1962-04-04", "2", ADDRESS, "2015-10-05", ""),
    (number(3), "\ue002田　勇", "", "1970-05-05", "1", ADDRESS, "2015-10-05", ""),
    (number(4), "\ue003本　明", "", "1971-06-06", "1", ADDRESS, "2015-10-05", ""),
    (number(5), "葛\ue004　進", "", "1972-07-07", "1", ADDRESS, "2015-10-05", ""),
]  # fmt: skip
TABLE = [("U+E001", "邉" + IVS), ("E002", "𠮷"), ("U+E004", "西")]  # E003: never identified
# record -> (verdict without the table, verdict with it)
RECORDS = {
    "R1": (("R1", "渡辺 太郎", "", "1960-03-03", "1", ADDRESS, number(1), "2020-01-01"), "review", "confirmed"),
    "R2": (("R2", "渡〓 花子", "", "1962-04-04", "2", ADDRESS, number(2), "2020-01-01"), "review", "confirmed"),
    "R3": (("R3", "吉田 勇", "", "1970-05-05", "1", ADDRESS, number(3), "2020-01-01"), "review", "confirmed"),
    "R4": (("R4", "古田 勇", "", "1970-05-05", "1", ADDRESS, number(3), "2020-01-01"), "review", "suspected_mislink"),
    "R5": (("R5", "山本 明", "", "1971-06-06", "1", ADDRESS, number(4), "2020-01-01"), "review", "review"),
    "R6": (("R6", "葛〓 進", "", "1972-07-07", "1", ADDRESS, number(5), "2020-01-01"), "review", "review"),
}  # fmt: skip


def _verdicts(
    folder: Path, table: list[tuple[str, str]] | None, engine_name: str = "duckdb"
) -> dict[str, dict[str, str]]:
    registry = write_csv(folder / "registry.csv", [c.header for c in REGISTRY_COLUMNS], REGISTRY)
    rows = [r for r, _, _ in RECORDS.values()]
    records = write_csv(folder / "records.csv", [c.header for c in RECORD_COLUMNS], rows)
    gaiji = (
        None if table is None else write_csv(folder / "gaiji.csv", ["外字コード", "文字"], table)
    )
    run(registry, records, folder / "out", gaiji=gaiji, engine_name=engine_name)
    with (folder / "out" / "verdicts.csv").open(encoding="utf-8") as handle:
        return {row["制度固有番号"]: row for row in csv.DictReader(handle)}


def test_without_the_table_every_gaiji_name_goes_to_review(tmp_path: Path) -> None:
    got = _verdicts(tmp_path, None)
    assert {rid: got[rid]["verdict"] for rid in RECORDS} == {
        rid: without for rid, (_, without, _) in RECORDS.items()
    }


def test_with_the_table_known_gaiji_compare_as_their_character(
    tmp_path: Path, engine_name: str
) -> None:
    """邉 (IVS 字形) = 辺 and its 〓; 𠮷 = 吉 (MJ縮退); 古田 ≠ 𠮷田 is still a mislink; an
    unidentified code (E003) stays in review, and a 〓 against 西, a character a JIS X 0208
    system can write, is no degeneration. The registry's names are decoded inside the engine,
    so on Spark too."""
    got = _verdicts(tmp_path, TABLE, engine_name)
    assert {rid: got[rid]["verdict"] for rid in RECORDS} == {
        rid: with_table for rid, (_, _, with_table) in RECORDS.items()
    }
    assert "name_differs" in got["R4"]["reasons"]
    assert "name_unverifiable" in got["R5"]["reasons"]


@pytest.mark.parametrize(
    ("row", "column"),
    [(("U+0041", "吉"), "外字コード"), (("U+E001", ""), "文字"), (("U+E001", "\ue002"), "文字")],
)
def test_a_bad_table_row_stops_with_its_place(
    tmp_path: Path, row: tuple[str, str], column: str
) -> None:
    path = write_csv(tmp_path / "gaiji.csv", ["外字コード", "文字"], [("U+E000", "辺"), row])
    with pytest.raises(InputError) as error:
        load_gaiji_table(path)
    assert error.value.location is not None
    assert (error.value.location.row, error.value.location.column) == (3, column)


def test_a_repeated_code_stops(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "gaiji.csv", ["外字コード", "文字"], [("E000", "辺"), ("U+E000", "邊")]
    )
    with pytest.raises(InputError, match="2回"):
        load_gaiji_table(path)


def test_codes_are_read_in_every_usual_spelling(tmp_path: Path) -> None:
    rows = [("U+E000", "辺"), ("e001", "邊"), ("\ue002", "邉" + IVS), ("0xF0000", "吉")]
    path = write_csv(tmp_path / "gaiji.csv", ["外字コード", "文字"], rows)
    assert load_gaiji_table(path) == {
        "\ue000": "辺", "\ue001": "邊", "\ue002": "邉" + IVS, "\U000f0000": "吉",
    }  # fmt: skip
