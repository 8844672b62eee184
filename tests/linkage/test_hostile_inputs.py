"""`tenken inspect` on broken and hostile files: a message and exit 2, never a silent wrong
result, a hang, a traceback or an echoed My Number."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from openpyxl import Workbook

from tenken.errors import InputError
from tenken.linkage.columns import RECORD_COLUMNS
from tenken.linkage.readers import read
from tests.hostile import deadline, invoke, member, refused, rezip, special_file, valid_number
from tests.linkage import fixtures

HEADER = [c.header for c in RECORD_COLUMNS]
ROWS = [r for r, _, _ in fixtures.RECORDS]


def _xlsx(path: Path, rows: list[list[object]], header: list[str] = HEADER) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _xlsx_with(path: Path, coordinate: str, value: str) -> Path:
    """The fixture records as a workbook with one more cell far from the table."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(list(row))
    sheet[coordinate] = value
    book.save(path)
    return path


def _inspect(tmp_path: Path, records: Path, *extra: str) -> tuple[str, Path]:
    registry, _ = fixtures.write(tmp_path / "in")
    out = tmp_path / "out"
    args = ["inspect", "--registry", str(registry), "--records", str(records), "--out", str(out)]
    return invoke([*args, *extra]).output, out


def _blank(row: tuple[str, ...], column: str) -> list[object]:
    values: list[object] = list(row)
    values[HEADER.index(column)] = None
    return values


@pytest.mark.parametrize("column", ["制度固有番号", "生年月日", "性別"])
@pytest.mark.parametrize("kind", ["xlsx", "parquet"])
def test_a_blank_required_cell_stops_with_its_row(tmp_path: Path, kind: str, column: str) -> None:
    """A null 制度固有番号 used to pass the checks and turn every right link into `review`."""
    rows = [list(r) for r in ROWS]
    rows[3] = _blank(ROWS[3], column)
    path = tmp_path / f"records.{kind}"
    if kind == "xlsx":
        _xlsx(path, rows)
    else:
        columns = list(zip(*rows, strict=True))
        pq.write_table(pa.table([pa.array(c, pa.string()) for c in columns], names=HEADER), path)
    registry, _ = fixtures.write(tmp_path / "in")
    args = ["inspect", "--registry", str(registry), "--records", str(path)]
    result = invoke([*args, "--out", str(tmp_path / "out")])
    row = 5 if kind == "xlsx" else 4  # xlsx: header is row 1; parquet: data row 1 is row 1
    refused(result, "空です", f"{row}行目", column)
    assert not (tmp_path / "out").exists()


def test_a_stray_cell_beside_or_below_the_table_adds_no_record(tmp_path: Path) -> None:
    """A note far to the right of the table is not a record (it used to add a phantom one)."""
    _xlsx_with(tmp_path / "records.xlsx", "Z5000", "メモ")
    loaded = read(tmp_path / "records.xlsx", RECORD_COLUMNS, {})
    assert loaded.table.num_rows == len(ROWS)


def test_a_stray_value_in_a_table_column_is_reported_not_linked(tmp_path: Path) -> None:
    """A lone value in 住所 at row 5000 is a record without 制度固有番号: stop and say where."""
    _xlsx_with(tmp_path / "records.xlsx", "F5000", "東京都")
    refused(invoke(_args(tmp_path, tmp_path / "records.xlsx")), "5000行目", "制度固有番号", "空")


def _args(tmp_path: Path, records: Path) -> list[str]:
    registry, _ = fixtures.write(tmp_path / "in")
    return ["inspect", "--registry", str(registry), "--records", str(records),
            "--out", str(tmp_path / "out")]  # fmt: skip


@pytest.mark.parametrize("kind", ["xlsx", "csv", "parquet"])
def test_a_duplicated_header_is_refused(tmp_path: Path, kind: str) -> None:
    """Two 氏名 columns: which one is meant? (xlsx used to raise KeyError)."""
    header = [*HEADER, "氏名"]
    rows = [[*r, "別の名前"] for r in ROWS]
    path = tmp_path / f"records.{kind}"
    if kind == "xlsx":
        _xlsx(path, rows, header)
    elif kind == "csv":
        fixtures.write_csv(path, header, [tuple(r) for r in rows])
    else:
        columns = [pa.array(list(c), pa.string()) for c in zip(*rows, strict=True)]
        pq.write_table(pa.Table.from_arrays(columns, names=header), path)
    refused(invoke(_args(tmp_path, path)), "氏名", "2回")


@pytest.mark.parametrize(
    "array",
    [
        pa.array([["a"]] * len(ROWS), pa.list_(pa.string())),
        pa.array([{"x": 1}] * len(ROWS), pa.struct([("x", pa.int64())])),
        pa.array([b"\x00\xff"] * len(ROWS), pa.binary()),
    ],
    ids=["list", "struct", "binary"],
)
def test_parquet_with_nested_or_binary_columns_is_refused(tmp_path: Path, array: pa.Array) -> None:
    columns = [pa.array(list(c), pa.string()) for c in zip(*ROWS, strict=True)]
    table = pa.Table.from_arrays([*columns[:5], array, *columns[6:]], names=HEADER)
    pq.write_table(table, tmp_path / "records.parquet")
    refused(invoke(_args(tmp_path, tmp_path / "records.parquet")), "住所", "型")


def _records_xlsx(tmp_path: Path) -> bytes:
    return _xlsx(tmp_path / "ok.xlsx", [list(r) for r in ROWS]).read_bytes()


def test_a_truncated_worksheet_is_refused(tmp_path: Path) -> None:
    """The zip is whole but the sheet's XML stops half-way (used to raise ParseError)."""
    data = _records_xlsx(tmp_path)
    part = member(data, "xl/worksheets/sheet1.xml")
    path = tmp_path / "records.xlsx"
    path.write_bytes(rezip(data, {"xl/worksheets/sheet1.xml": part[: len(part) // 2]}))
    refused(invoke(_args(tmp_path, path)), "壊れて")
    path.write_bytes(data[: len(data) * 2 // 3])
    refused(invoke(_args(tmp_path, path)), "壊れて")


def test_a_declared_dimension_of_the_whole_sheet_does_not_hang(tmp_path: Path) -> None:
    """A1:XFD1048576 with a cell at XFD1048576 used to make openpyxl fill billions of cells."""
    data = _records_xlsx(tmp_path)
    part = member(data, "xl/worksheets/sheet1.xml").decode()
    part = part.replace('<dimension ref="A1:H21"/>', '<dimension ref="A1:XFD1048576"/>')
    assert "XFD1048576" in part
    cell = '<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row></sheetData>'
    part = part.replace("</sheetData>", cell)
    path = tmp_path / "records.xlsx"
    path.write_bytes(rezip(data, {"xl/worksheets/sheet1.xml": part.encode()}))
    with deadline(60):
        loaded = read(path, RECORD_COLUMNS, {})
    assert loaded.table.num_rows == len(ROWS)


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
@pytest.mark.parametrize("suffix", [".xlsx", ".csv", ".parquet"])
def test_a_fifo_or_device_is_refused_without_reading(
    tmp_path: Path, kind: str, suffix: str
) -> None:
    path = tmp_path / f"records{suffix}"
    special_file(path, kind)
    refused(invoke(_args(tmp_path, path), seconds=20), "通常のファイルではない")


def _workbook_with(data: bytes, name: str, payload: bytes) -> bytes:
    return rezip(data, {name: payload})


DTD = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><x>&a;</x>'


def test_inspect_xlsx_goes_through_the_guard(tmp_path: Path) -> None:
    """A DTD and a zip bomb in a records workbook were both accepted."""
    data = _records_xlsx(tmp_path)
    path = tmp_path / "records.xlsx"
    part = member(data, "xl/worksheets/sheet1.xml").replace(
        b"<worksheet", b'<!DOCTYPE worksheet [<!ENTITY a "x">]><worksheet', 1
    )
    path.write_bytes(_workbook_with(data, "xl/worksheets/sheet1.xml", part))
    refused(invoke(_args(tmp_path, path)), "DTD")
    bomb = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(bomb, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("xl/media/image1.png", b"\0" * (64 << 20), zipfile.ZIP_DEFLATED)
    path.write_bytes(bomb.getvalue())
    refused(invoke(_args(tmp_path, path)), "zip bomb")


def test_a_my_number_in_a_bad_cell_is_masked_in_the_message(tmp_path: Path) -> None:
    """A 個人番号 mapped onto 生年月日 / 性別, or a duplicated ID, is never echoed whole."""
    number = valid_number()
    for column in ("生年月日", "性別", "制度固有番号"):
        rows = [list(r) for r in ROWS]
        rows[2][HEADER.index(column)] = number
        if column == "制度固有番号":
            rows[3][HEADER.index(column)] = number
        path = fixtures.write_csv(tmp_path / "records.csv", HEADER, [tuple(r) for r in rows])
        output = refused(invoke(_args(tmp_path, path)), column)
        assert number not in output.replace("\n", "")
        assert number[-4:] in output


def test_a_long_bad_value_is_not_echoed_whole(tmp_path: Path) -> None:
    rows = [list(r) for r in ROWS]
    rows[2][HEADER.index("生年月日")] = "9" * 100_000
    path = fixtures.write_csv(tmp_path / "records.csv", HEADER, [tuple(r) for r in rows])
    output = refused(invoke(_args(tmp_path, path)), "生年月日")
    assert len(output) < 2000


def test_an_encoding_error_late_in_the_file_names_its_line(tmp_path: Path) -> None:
    """UTF-8 up to line 500, then one CP932 line: mixed encodings, line 501 (was 「1行目」)."""
    lines = [",".join(HEADER)]
    base = ROWS[1]
    for i in range(2, 501):
        lines.append(",".join([f"X{i}", *base[1:]]))
    text = "\n".join(lines).encode("utf-8") + b"\n"
    text += ",".join(["X501", *base[1:]]).encode("cp932") + b"\n"
    path = tmp_path / "records.csv"
    path.write_bytes(text)
    output = refused(invoke(_args(tmp_path, path)), "501行目", "混在")
    assert " 1行目:" not in output
    with pytest.raises(InputError) as caught:
        read(path, RECORD_COLUMNS, {})
    assert caught.value.code == "E-INPUT-ENCODING"


def test_a_control_character_in_a_field_does_not_crash_review_xlsx(tmp_path: Path) -> None:
    """openpyxl raises IllegalCharacterError at the very end of the run."""
    rows = [list(r) for r in ROWS]
    listed = next(k for k, (_, verdict, _) in enumerate(fixtures.RECORDS) if verdict != "confirmed")
    rows[listed][HEADER.index("紐付け日")] += "\x1f"  # a row review.xlsx lists
    path = fixtures.write_csv(tmp_path / "records.csv", HEADER, [tuple(r) for r in rows])
    result = invoke(_args(tmp_path, path))
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code == 0


def test_a_csv_with_blank_lines_and_multiline_fields_reports_the_true_line(
    tmp_path: Path,
) -> None:
    """pyarrow skips empty lines, so record i used to be reported as line i + 2."""
    path = tmp_path / "records.csv"
    path.write_bytes(fixtures.multiline_then_bad_date())
    # header 1, rows 2-3, blank 4, row 5-6 (two lines), rows 7, 8, then the bad row on line 9
    refused(invoke(_args(tmp_path, path)), "9行目", "生年月日")
