"""Hostile and unusual input files give the same result on every engine.

Spark reads CSV and Parquet itself (tenken.linkage.spark_input), DuckDB through the Python
readers; both check the rows with the same SQL (tenken.linkage.checks). Each broken file must
stop with the same clear message — file, line, column, what was expected — exit 2, no
output folder and never a traceback or a JVM stack; each unusual but valid file must give the
verdicts of its plain UTF-8 copy.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import Result

from tenken.linkage.columns import RECORD_COLUMNS
from tenken.linkage.engine import make_engine
from tenken.linkage.parts import as_input
from tenken.linkage.readers import read
from tenken.linkage.tables import REC_IN
from tests.hostile import invoke, refused
from tests.linkage import fixtures

HEADER = [c.header for c in RECORD_COLUMNS]
ROWS = [list(r) for r, _, _ in fixtures.RECORDS]


def _csv(rows: list[list[str]], header: list[str] = HEADER) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _with(index: int, column: str, value: str) -> list[list[str]]:
    rows = [list(r) for r in ROWS]
    rows[index][HEADER.index(column)] = value
    return rows


def _mixed_encoding() -> bytes:
    """UTF-8 up to line 40, then one CP932 line (line 41)."""
    rows = [[f"X{i}", *ROWS[1][1:]] for i in range(2, 41)]
    tail = ",".join(["X41", *ROWS[1][1:]]).encode("cp932") + b"\n"
    return _csv(rows) + tail


def _extra_field() -> bytes:
    lines = _csv(ROWS).decode().splitlines()
    lines[4] += ",余分"
    return ("\n".join(lines) + "\n").encode()


def _parquet(rows: list[list[str | None]], header: list[str] = HEADER) -> bytes:
    columns = [pa.array(list(c), pa.string()) for c in zip(*rows, strict=True)]
    sink = pa.BufferOutputStream()
    pq.write_table(pa.Table.from_arrays(columns, names=header), sink)
    return bytes(sink.getvalue().to_pybytes())


def _parquet_nested() -> bytes:
    columns = [pa.array(list(c), pa.string()) for c in zip(*ROWS, strict=True)]
    nested = pa.array([["a"]] * len(ROWS), pa.list_(pa.string()))
    sink = pa.BufferOutputStream()
    pq.write_table(pa.Table.from_arrays([*columns[:5], nested, *columns[6:]], names=HEADER), sink)
    return bytes(sink.getvalue().to_pybytes())


def _blank_id_parquet() -> bytes:
    rows: list[list[str | None]] = [list(r) for r in ROWS]
    rows[3][0] = None
    return _parquet(rows)


# name -> (file name, contents, words the message must hold)
BROKEN: dict[str, tuple[str, Callable[[], bytes], tuple[str, ...]]] = {
    "bad date": ("bad.csv", lambda: _csv(_with(1, "生年月日", "1980-13-45")),
                 ("bad.csv", "3行目", "生年月日", "日付として読めません")),
    "bad sex": ("bad.csv", lambda: _csv(_with(4, "性別", "不明な値")),
                ("bad.csv", "6行目", "性別", "性別として読めません")),
    "missing column": ("bad.csv", lambda: _csv([r[:1] + r[2:] for r in ROWS],
                                               HEADER[:1] + HEADER[2:]),
                       ("bad.csv", "必須の列「氏名」がありません")),
    "blank id": ("bad.csv", lambda: _csv(_with(2, "制度固有番号", " 　")),
                 ("bad.csv", "4行目", "制度固有番号", "空です")),
    "duplicate id": ("bad.csv", lambda: _csv(_with(4, "制度固有番号", "R01")),
                     ("bad.csv", "6行目", "制度固有番号", "重複")),
    "extra field": ("bad.csv", _extra_field, ("bad.csv", "5行目", "列の数")),
    "mixed encoding": ("bad.csv", _mixed_encoding, ("bad.csv", "41行目", "混在")),
    "true line": ("bad.csv", fixtures.multiline_then_bad_date, ("bad.csv", "9行目", "生年月日")),
    "duplicated header": ("bad.csv", lambda: _csv([[*r, "x"] for r in ROWS], [*HEADER, "氏名"]),
                          ("bad.csv", "氏名", "2回")),
    "parquet blank id": ("bad.parquet", _blank_id_parquet,
                         ("bad.parquet", "4行目", "制度固有番号", "空です")),
    "parquet nested": ("bad.parquet", _parquet_nested, ("bad.parquet", "住所", "型")),
}  # fmt: skip


def _inspect(tmp_path: Path, records: Path | str, engine_name: str) -> tuple[Result, Path]:
    registry, _ = fixtures.write(tmp_path / "in")
    out = tmp_path / "out"
    args = ["inspect", "--registry", str(registry), "--records", str(records), "--out", str(out)]
    result = invoke([*args, "--engine", engine_name], seconds=600)
    return result, out


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_broken_records_file_stops_with_the_same_message(
    engine_name: str, tmp_path: Path, case: str
) -> None:
    name, contents, words = BROKEN[case]
    path = tmp_path / name
    path.write_bytes(contents())
    result, out = _inspect(tmp_path, path, engine_name)
    output = refused(result, *words)
    assert "Traceback" not in output and "java" not in output.lower(), output
    assert "spark" not in output.lower() and "py4j" not in output.lower(), output
    assert not out.exists()


def _cp932(path: Path) -> Path:
    target = path / "records.csv"
    target.write_bytes(_csv(ROWS).decode().encode("cp932"))
    return target


def _parts(path: Path, suffix: str, encoding: str = "utf-8") -> Path:
    """The records as a folder of three part files (and a _SUCCESS marker, as Spark writes)."""
    folder = path / "records"
    folder.mkdir()
    for k, start in enumerate((0, 7, 14)):
        rows = ROWS[start : start + 7]
        data = (
            _csv(rows).decode().encode(encoding)
            if suffix == ".csv"
            else _parquet([list(r) for r in rows])
        )
        (folder / f"part-{k:05d}{suffix}").write_bytes(data)
    (folder / "_SUCCESS").write_bytes(b"")
    return folder


def _folder(
    path: Path, rows: list[list[str]], suffix: str = ".csv", part: dict[int, bytes] | None = None
) -> Path:
    """``rows`` as three part files of 7, 7 and 6 records; ``part`` replaces some parts."""
    folder = path / "records"
    folder.mkdir()
    for k, start in enumerate((0, 7, 14)):
        chunk = rows[start : start + 7]
        data = _csv(chunk) if suffix == ".csv" else _parquet([list(r) for r in chunk])
        (folder / f"part-{k:05d}{suffix}").write_bytes((part or {}).get(k, data))
    return folder


def _extra_field_in_part(path: Path) -> Path:
    lines = _csv(ROWS[14:]).decode().splitlines()
    lines[2] += ",余分"
    return _folder(path, ROWS, part={2: ("\n".join(lines) + "\n").encode()})


def _blank_id_in_parquet_part(path: Path) -> Path:
    rows: list[list[str | None]] = [list(r) for r in ROWS]
    rows[16][0] = None
    return _folder(path, rows, ".parquet")  # type: ignore[arg-type]


# name -> (the records folder, words the message must hold): each names the part and its line
BROKEN_FOLDERS: dict[str, tuple[Callable[[Path], Path], tuple[str, ...]]] = {
    "bad date in a part": (lambda p: _folder(p, _with(9, "生年月日", "1980-13-45")),
                           ("part-00001.csv", "4行目", "生年月日", "日付として読めません")),
    "a line found through a file:// URI": (
        lambda p: _folder(p, _with(9, "生年月日", "1980-13-45")),
        ("part-00001.csv", "4行目", "生年月日", "日付として読めません")),
    "repeated id across parts": (lambda p: _folder(p, _with(15, "制度固有番号", "R03")),
                                 ("part-00002.csv", "3行目", "制度固有番号", "重複")),
    "extra field in a part": (_extra_field_in_part, ("part-00002.csv", "3行目", "列の数")),
    "another header in a part": (
        lambda p: _folder(p, ROWS, part={1: _csv(ROWS[7:14], [*HEADER[:-1], "紐付日"])}),
        ("part-00001.csv", "見出しが最初の分割ファイルと違います")),
    "encodings differ between parts": (
        lambda p: _folder(p, ROWS, part={1: _csv(ROWS[7:14]).decode().encode("cp932")}),
        ("records", "文字コードが揃っていません")),
    "blank id in a parquet part": (_blank_id_in_parquet_part,
                                   ("part-00002.parquet", "3行目", "制度固有番号", "空です")),
}  # fmt: skip


@pytest.mark.parametrize("case", list(BROKEN_FOLDERS))
def test_a_broken_part_file_stops_with_the_part_and_its_line(
    engine_name: str, tmp_path: Path, case: str
) -> None:
    """A folder of part files is checked part by part: the message names the part file and
    its own line, the same on every engine."""
    build, words = BROKEN_FOLDERS[case]
    folder = build(tmp_path)
    records = folder.as_uri() if "URI" in case else folder
    result, out = _inspect(tmp_path, records, engine_name)
    output = refused(result, *words)
    assert "Traceback" not in output and "java" not in output.lower(), output
    assert "spark" not in output.lower() and "py4j" not in output.lower(), output
    assert not out.exists()
    if "URI" in case and engine_name == "spark":  # read through Hadoop, named by its URI
        assert "file:/" in output, output


def test_a_cloud_uri_without_its_connector_says_what_is_missing(
    engine_name: str, tmp_path: Path
) -> None:
    """s3a:// needs hadoop-aws on Spark, and DuckDB reads local paths only: either way a clear
    message naming the URI, no stack."""
    registry, _ = fixtures.write(tmp_path / "in")
    out = tmp_path / "out"
    records = "s3a://tenken-test/records/"
    args = ["inspect", "--registry", str(registry), "--records", records, "--out", str(out)]
    result = invoke([*args, "--engine", engine_name], seconds=600)
    words = ("hadoop-aws",) if engine_name == "spark" else ("DuckDB", "--engine spark")
    output = refused(result, records, "s3a://", *words)
    assert "Traceback" not in output and "java" not in output.lower(), output
    assert "py4j" not in output.lower(), output
    assert not out.exists()


def _control(path: Path) -> Path:
    """A unit separator inside an address: data, not an error."""
    target = path / "records.csv"
    target.write_bytes(_csv(_with(13, "住所", "長野県長野市9丁目\x1f9番9号")))
    return target


VALID: dict[str, Callable[[Path], Path]] = {
    "cp932": _cp932,
    "control character": _control,
    "csv folder": lambda path: _parts(path, ".csv"),
    "parquet folder": lambda path: _parts(path, ".parquet"),
    "cp932 folder": lambda path: _parts(path, ".csv", "cp932"),
    "csv folder as a URI": lambda path: _parts(path, ".csv"),
}


@pytest.mark.parametrize("case", list(VALID))
def test_an_unusual_valid_input_is_read_as_its_plain_copy(
    engine_name: str, tmp_path: Path, case: str
) -> None:
    """CP932, a control character, and folders of part files (Spark's own output layout, as a
    path or as a file:// URI) read into the engine as the Python reader reads the plain UTF-8
    file, in file order, on every engine."""
    records = VALID[case](tmp_path)
    engine = make_engine(engine_name)
    try:
        given = records.as_uri() if case.endswith("URI") else str(records)
        source = engine.load(REC_IN, as_input(given), RECORD_COLUMNS, {})
        got = engine.arrow(f"SELECT * FROM {REC_IN} ORDER BY row").to_pylist()
    finally:
        engine.close()
    plain = records  # the Python reader's reading of the same UTF-8 file
    if case != "control character":
        plain = tmp_path / "plain.csv"
        plain.write_bytes(_csv(ROWS))
    expected = read(plain, RECORD_COLUMNS, {}).table.to_pylist()
    assert [{k: v for k, v in r.items() if k != "row"} for r in got] == expected
    last = source.location(int(got[-1]["row"]), "rid")
    # the last record is in the last part file (6 records): CSV line 7, Parquet row 6
    where = {"parquet folder": ("part-00002.parquet", 6)}.get(case, ("part-00002.csv", 7))
    if "folder" not in case:
        where = ("records.csv", len(ROWS) + 1)
    assert (Path(last.file).name, last.row) == where
