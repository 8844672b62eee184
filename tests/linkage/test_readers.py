"""Reading the input files: encodings, formats, column mapping and bad input."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from openpyxl import Workbook

from tenken.errors import InputError
from tenken.linkage.columns import RECORD_COLUMNS
from tenken.linkage.readers import parse_mapping, read

HEADER = "制度固有番号,氏名,氏名カナ,生年月日,性別,住所,個人番号,紐付け日"
ROWS = [
    "K1,山田　太郎,ヤマダ　タロウ,1980-01-02,1,東京都千代田区千代田1-1,123456789018,2020-04-01",
    "K2,髙橋　花子,,昭和55年1月2日,女,大阪府大阪市北区梅田１－１,,",
]


def _csv(tmp_path: Path, text: str, encoding: str, name: str = "records.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_csv_in_each_supported_encoding_reads_the_same(tmp_path: Path, encoding: str) -> None:
    """UTF-8, UTF-8 with BOM and CP932 are detected and give the same table."""
    path = _csv(tmp_path, "\n".join([HEADER, *ROWS]) + "\n", encoding)
    table = read(path, RECORD_COLUMNS, {}).table
    assert table.column("name").to_pylist() == ["山田　太郎", "髙橋　花子"]
    assert table.column("rid").to_pylist() == ["K1", "K2"]
    assert table.column("mn").to_pylist() == ["123456789018", ""]


def test_excel_and_parquet_read_like_csv(tmp_path: Path) -> None:
    """An .xlsx sheet and a Parquet file give the same strings as the CSV."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for line in [HEADER, *ROWS]:
        sheet.append(line.split(","))
    book.save(tmp_path / "records.xlsx")
    columns = list(zip(*(line.split(",") for line in ROWS), strict=True))
    pq.write_table(
        pa.table([pa.array(c) for c in columns], names=HEADER.split(",")),
        tmp_path / "records.parquet",
    )
    for name in ("records.xlsx", "records.parquet"):
        table = read(tmp_path / name, RECORD_COLUMNS, {}).table
        assert table.column("birth").to_pylist() == ["1980-01-02", "昭和55年1月2日"], name


def test_map_option_renames_a_column(tmp_path: Path) -> None:
    """--map 氏名=NAME_KJ reads the name from column NAME_KJ."""
    path = _csv(tmp_path, "\n".join([HEADER.replace("氏名,", "NAME_KJ,", 1), *ROWS]), "utf-8")
    table = read(path, RECORD_COLUMNS, parse_mapping(["氏名=NAME_KJ"])).table
    assert table.column("name").to_pylist()[0] == "山田　太郎"


def test_missing_column_names_file_row_and_column(tmp_path: Path) -> None:
    """A missing required column stops with the file, header row and column name."""
    path = _csv(
        tmp_path, "\n".join([HEADER.replace(",住所", ""), "K1,a,,1980-01-02,1,x,"]), "utf-8"
    )
    with pytest.raises(InputError) as caught:
        read(path, RECORD_COLUMNS, {})
    assert caught.value.location is not None
    assert (caught.value.location.file, caught.value.location.row) == (str(path), 1)
    assert caught.value.location.column == "住所"
    assert "--map" in str(caught.value)


def test_unknown_encoding_is_refused(tmp_path: Path) -> None:
    """Bytes that are neither UTF-8 nor CP932 stop the run and name the file."""
    path = tmp_path / "records.csv"
    path.write_bytes(HEADER.encode() + b"\nK1,\x82\xff\xfe\n")
    with pytest.raises(InputError) as caught:
        read(path, RECORD_COLUMNS, {})
    assert str(path) in str(caught.value)


def test_mixed_encoding_after_the_first_megabyte_names_the_row(tmp_path: Path) -> None:
    """A CP932 line deep inside a UTF-8 file is reported with its line number."""
    lines = [HEADER] + [ROWS[0].replace("K1", f"K{i}") for i in range(12000)]
    data = ("\n".join(lines) + "\n").encode() + "K0,山田,,1980-01-02,1,x,,\n".encode("cp932")
    path = tmp_path / "records.csv"
    path.write_bytes(data)
    with pytest.raises(InputError) as caught:
        read(path, RECORD_COLUMNS, {})
    assert caught.value.location is not None and caught.value.location.row == 12002


def test_bad_map_option_is_explained() -> None:
    """A --map without '=' is refused with the expected form."""
    with pytest.raises(InputError, match="--map 氏名=NAME_KJ"):
        parse_mapping(["氏名"])
