"""Read the registry and records files (CSV, Excel, Parquet) into Arrow tables of strings.

Every problem is an :class:`~tenken.errors.InputError` that names the file, the row (1-based,
the header being row 1) and the column, with a hint. Columns get the ASCII names of
:mod:`tenken.linkage.columns`; optional columns that are absent come back as nulls.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from tenken.errors import InputError, Location
from tenken.linkage.columns import Column

_SAMPLE = 1 << 20


@dataclass(frozen=True)
class Loaded:
    """A file read into ASCII-named string columns; data row ``i`` is file row ``i + first_row``."""

    path: Path
    table: pa.Table
    headers: Mapping[str, str]
    first_row: int = 2

    def location(self, index: int | None, name: str | None = None) -> Location:
        """Where data row ``index`` (0-based) and column ``name`` (ASCII) are in the file."""
        row = None if index is None else index + self.first_row
        return Location(str(self.path), row, self.headers.get(name, name) if name else None)


def parse_mapping(options: Sequence[str]) -> dict[str, str]:
    """``["氏名=NAME_KJ", ...]`` -> ``{"氏名": "NAME_KJ"}``."""
    mapping: dict[str, str] = {}
    for option in options:
        header, sep, source = option.partition("=")
        if not sep or not header.strip() or not source.strip():
            raise InputError(
                f"--map の指定「{option}」を読めません",
                hint="--map 氏名=NAME_KJ の形で指定してください",
            )
        mapping[header.strip()] = source.strip()
    return mapping


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) or CP932, judged on the first megabyte."""
    with path.open("rb") as handle:
        sample = handle.read(_SAMPLE)
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=len(sample) < _SAMPLE)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        codecs.getincrementaldecoder("cp932")().decode(sample, final=len(sample) < _SAMPLE)
        return "cp932"
    except UnicodeDecodeError as error:
        raise InputError(
            "文字コードを判別できません（UTF-8 でも CP932 でもありません）",
            location=Location(str(path), _line_of(sample, error.start)),
            hint="UTF-8 か CP932（Shift_JIS）で保存し直してください",
        ) from error


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _bad_utf8_row(path: Path) -> int | None:
    """The first line that is not valid UTF-8 (only called after a failure)."""
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                return number
    return None


def _read_csv(path: Path) -> pa.Table:
    encoding = detect_encoding(path)
    with path.open("rb") as handle:
        head = handle.read(_SAMPLE).decode(encoding, errors="replace").lstrip("\ufeff")
    header = next(csv.reader(io.StringIO(head.splitlines()[0] if head else "")), [])
    try:
        return pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(encoding=encoding, block_size=8 << 20),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(header, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError) as error:
        text = str(error)
        if "UTF8" in text or isinstance(error, UnicodeDecodeError):
            raise InputError(
                f"文字コードが混在しています（{encoding} として読めない行があります）",
                location=Location(str(path), _bad_utf8_row(path)),
                hint="ファイル全体を同じ文字コードで保存し直してください",
            ) from error
        raise InputError(
            f"CSV として読めません: {text}",
            location=Location(str(path)),
            hint="列の数が行ごとに同じか、引用符が閉じているかを確かめてください",
        ) from error


def _cell_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(path: Path) -> pa.Table:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise InputError(
            f"Excel ファイルとして読めません: {error}",
            location=Location(str(path)),
            hint=".xlsx 形式で保存し直してください",
        ) from error
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = [str(v).strip() if v is not None else "" for v in next(rows, ())]
        columns: list[list[str | None]] = [[] for _ in header]
        for row in rows:
            if all(v is None for v in row):
                continue
            for k in range(len(header)):
                columns[k].append(_cell_text(row[k]) if k < len(row) else None)
    finally:
        book.close()
    return pa.table([pa.array(c, pa.string()) for c in columns], names=header)


def _read_parquet(path: Path) -> pa.Table:
    try:
        table = pq.read_table(path)
    except (pa.ArrowException, OSError) as error:
        raise InputError(
            f"Parquet ファイルとして読めません: {error}", location=Location(str(path))
        ) from error
    return pa.table([pc.cast(c, pa.string()) for c in table.columns], names=table.column_names)


def read_raw(path: Path) -> tuple[pa.Table, int]:
    """The file as a table of strings and the file row of its first data row."""
    if not path.is_file():
        raise InputError("ファイルがありません", location=Location(str(path)))
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path), 2
    if suffix == ".parquet":
        return _read_parquet(path), 1
    return _read_csv(path), 2


def read(path: Path, columns: Sequence[Column], mapping: Mapping[str, str]) -> Loaded:
    """Read ``path`` and select ``columns`` (renamed to their ASCII names)."""
    raw, first_row = read_raw(path)
    present = {name.strip(): name for name in raw.column_names}
    arrays: list[pa.Array | pa.ChunkedArray] = []
    headers: dict[str, str] = {}
    for column in columns:
        source = mapping.get(column.header, column.header)
        headers[column.name] = source
        if source in present:
            arrays.append(raw.column(present[source]))
        elif column.required:
            raise InputError(
                f"必須の列「{column.header}」がありません",
                location=Location(str(path), 1, source),
                hint=f"見出しを確かめるか、--map {column.header}=実際の列名 で対応づけてください",
            )
        else:
            arrays.append(pa.nulls(raw.num_rows, pa.string()))
    table = pa.table(arrays, names=[c.name for c in columns])
    return Loaded(path, table, headers, first_row)


def check_unique(loaded: Loaded, name: str) -> None:
    """Stop on an empty or repeated value in column ``name`` (e.g. 制度固有番号)."""
    column = loaded.table.column(name)
    empty = pc.or_(pc.is_null(column), pc.equal(pc.utf8_trim_whitespace(column), ""))
    if pc.any(empty).as_py():
        index = pc.index(empty, True).as_py()
        raise InputError("値が空です", location=loaded.location(index, name))
    if len(pc.unique(column)) == len(column):
        return
    seen: set[str] = set()
    for index, value in enumerate(column.to_pylist()):
        if value in seen:
            raise InputError(
                f"「{value}」が重複しています",
                location=loaded.location(index, name),
                hint="1つの記録に1つの値を割り当ててください",
            )
        seen.add(value)
