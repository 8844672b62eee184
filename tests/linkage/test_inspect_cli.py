"""``tenken inspect`` and ``tenken synth`` from the command line: outputs, bad input, scoring."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from tenken.cli import app
from tenken.linkage.columns import RECORD_COLUMNS
from tests.linkage import fixtures

runner = CliRunner()


def _inspect(registry: Path, records: Path, out: Path, *extra: str) -> tuple[int, str]:
    args = ["inspect", "--registry", str(registry), "--records", str(records), "--out", str(out)]
    result = runner.invoke(app, [*args, *extra])
    return result.exit_code, result.output


def _records(tmp_path: Path, rows: list[tuple[str, ...]], encoding: str = "utf-8") -> Path:
    header = [c.header for c in RECORD_COLUMNS]
    return fixtures.write_csv(tmp_path / "bad.csv", header, rows, encoding)


GOOD = fixtures.RECORDS[1][0]
OTHER = ("R99", *GOOD[1:])


@pytest.mark.parametrize(
    ("rows", "row", "column"),
    [
        ([GOOD, (*OTHER[:3], "1980-13-45", *OTHER[4:])], 3, "生年月日"),
        ([GOOD, (*OTHER[:4], "X", *OTHER[5:])], 3, "性別"),
        ([GOOD, (*OTHER[:7], "昨日")], 3, "紐付け日"),
        ([GOOD, GOOD], 3, "制度固有番号"),
    ],
    ids=["bad-date", "bad-sex", "bad-link-date", "duplicate-id"],
)
def test_bad_values_stop_with_file_row_and_column_and_write_nothing(
    tmp_path: Path, rows: list[tuple[str, ...]], row: int, column: str
) -> None:
    """Exit 2 with 'file N行目 列 X', and neither the output folder nor temp files appear."""
    registry, _ = fixtures.write(tmp_path)
    records = _records(tmp_path, rows)
    code, output = _inspect(registry, records, tmp_path / "out")
    assert code == 2
    assert f"{row}行目" in output and column in output and "bad.csv" in output
    assert not (tmp_path / "out").exists()
    assert not list(tmp_path.glob(".tenken-*"))


def test_missing_column_and_wrong_encoding_stop_cleanly(tmp_path: Path) -> None:
    """A file without 住所 or in an unknown encoding is refused before writing anything."""
    registry, _ = fixtures.write(tmp_path)
    no_address = tmp_path / "no_address.csv"
    no_address.write_text("制度固有番号,氏名,生年月日,性別,個人番号,紐付け日\n", encoding="utf-8")
    code, output = _inspect(registry, no_address, tmp_path / "out")
    assert code == 2 and "住所" in output
    garbage = tmp_path / "garbage.csv"
    garbage.write_bytes(b"\x82\xff\xfe\x00" * 100)
    code, output = _inspect(registry, garbage, tmp_path / "out")
    assert code == 2 and "文字コード" in output
    assert not (tmp_path / "out").exists()


def test_formula_like_ids_are_escaped_in_csv_and_excel(tmp_path: Path) -> None:
    """An ID starting with '=' is written as text ('=...), never as a formula."""
    registry, _ = fixtures.write(tmp_path)
    evil = ('=HYPERLINK("http://x")', *fixtures.RECORDS[14][0][1:])
    code, _ = _inspect(registry, _records(tmp_path, [evil]), tmp_path / "out")
    assert code == 0
    with (tmp_path / "out" / "verdicts.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["制度固有番号"] == '\'=HYPERLINK("http://x")'
    sheet = load_workbook(tmp_path / "out" / "review.xlsx").active
    assert sheet is not None
    cell = sheet["A2"]
    assert cell.data_type == "s" and str(cell.value).startswith("'=")


def test_outputs_summary_and_review_sheet(tmp_path: Path) -> None:
    """The four files appear; summary counts add up; the sheet lists exactly the unconfirmed."""
    registry, records = fixtures.write(tmp_path)
    code, output = _inspect(registry, records, tmp_path / "out")
    assert code == 0, output
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == [
        "case_evidence.parquet", "review.xlsx", "summary.json", "verdicts.csv", "verdicts.parquet"
    ]  # fmt: skip
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert sum(summary["verdicts"].values()) == len(fixtures.RECORDS)
    sheet = load_workbook(tmp_path / "out" / "review.xlsx").active
    assert sheet is not None
    unconfirmed = sum(1 for _, v, _ in fixtures.RECORDS if v != "confirmed")
    assert sheet.max_row - 1 == unconfirmed
    assert sheet["B1"].value == "判定" and sheet["F1"].value == "記録: 氏名"


def test_synth_then_inspect_with_truth_scores_itself(tmp_path: Path) -> None:
    """On a small synthetic population every injected mislink is found, with few alarms."""
    result = runner.invoke(
        app, ["synth", "--people", "3000", "--seed", "2", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    code, output = _inspect(
        tmp_path / "registry.csv", tmp_path / "records.csv", tmp_path / "out",
        "--truth", str(tmp_path / "truth.csv"),
    )  # fmt: skip
    assert code == 0, output
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["recall"] == 1.0
    assert summary["false_alarms_per_10000"] < 20
    assert summary["scoring"]["wrong_proposals"] == 0


def test_gaiji_table_option_and_a_bad_table(tmp_path: Path) -> None:
    """--gaiji reads the registry's 外字 table: R07 (渡辺 〓子 against the registry's 外字
    U+E001, which the table says is an IVS 字形 of 恵) goes from review to confirmed; a bad row
    stops with file, row and column and writes nothing."""
    registry, records = fixtures.write(tmp_path)
    rows = [("U+E001", "恵\U000e0100")]
    table = fixtures.write_csv(tmp_path / "gaiji.csv", ["外字コード", "文字"], rows)
    code, output = _inspect(registry, records, tmp_path / "out", "--gaiji", str(table))
    assert code == 0, output
    with (tmp_path / "out" / "verdicts.csv").open(encoding="utf-8") as handle:
        verdicts = {row["制度固有番号"]: row["verdict"] for row in csv.DictReader(handle)}
    assert verdicts["R07"] == "confirmed"
    bad = fixtures.write_csv(tmp_path / "bad_gaiji.csv", ["外字コード", "文字"], [("A", "恵")])
    code, output = _inspect(registry, records, tmp_path / "out2", "--gaiji", str(bad))
    assert code == 2 and "bad_gaiji.csv" in output and "2行目" in output and "外字コード" in output
    assert not (tmp_path / "out2").exists()
