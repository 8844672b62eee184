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

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from tenken import fileio
from tenken.errors import InputError, Location, echo
from tenken.linkage.columns import Column
from tenken.xlsxguard import TABLE_LIMITS, read_workbook

_SAMPLE = 1 << 20


@dataclass(frozen=True)
class Rows:
    """Where an input's records are in its file: data row ``i`` is file row ``i + first_row``,
    or ``file_rows[i]`` when blank rows were skipped (Excel) or lines are uneven (CSV)."""

    path: Path
    headers: Mapping[str, str]
    first_row: int = 2
    file_rows: Sequence[int] | None = None

    def location(self, index: int | None, name: str | None = None) -> Location:
        """Where data row ``index`` (0-based) and column ``name`` (ASCII) are in the file."""
        row = None if index is None else index + self.first_row
        if index is not None and self.file_rows is not None and index < len(self.file_rows):
            row = self.file_rows[index]
        return Location(str(self.path), row, self.headers.get(name, name) if name else None)


@dataclass(frozen=True)
class Loaded:
    """A file read into ASCII-named string columns; data row ``i`` is file row ``i + first_row``."""

    path: Path
    table: pa.Table
    headers: Mapping[str, str]
    first_row: int = 2
    file_rows: Sequence[int] | None = None  # when blank rows were skipped (Excel)

    def location(self, index: int | None, name: str | None = None) -> Location:
        """Where data row ``index`` (0-based) and column ``name`` (ASCII) are in the file."""
        return Rows(self.path, self.headers, self.first_row, self.file_rows).location(index, name)


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
    return _sample_encoding(*_head(path))


def _head(path: Path) -> tuple[bytes, str, bool]:
    """The first megabyte of ``path``, its name, and whether that is the whole file."""
    with path.open("rb") as handle:
        sample = handle.read(_SAMPLE)
    return sample, str(path), len(sample) < _SAMPLE


def _sample_encoding(sample: bytes, source: str, final: bool) -> str:
    """ "utf-8" (a BOM is stripped when the text is read) or "cp932" for ``sample``."""
    found = fileio.detect_encoding(sample, source, final=final)
    return "utf-8" if found == "utf-8-sig" else found


def _mixed_encoding_error(path: Path, encoding: str) -> InputError:
    """Where a file read as ``encoding`` stops being ``encoding`` (line of the first bad byte)."""
    lines = 0
    decoder = codecs.getincrementaldecoder(encoding)()
    with path.open("rb") as handle:
        for line in handle:
            try:
                decoder.decode(line)
            except UnicodeDecodeError as error:
                data = b"\n" * lines + line
                label = _LABELS[encoding]
                return fileio.encoding_error(data, str(path), label, lines + error.start)
            lines += 1
    return fileio.encoding_error(b"\n" * lines, str(path), _LABELS[encoding], lines)


_LABELS = {"utf-8": "UTF-8", "cp932": "CP932"}


def csv_header(path: Path) -> tuple[str, list[str]]:
    """The encoding and the checked header of a CSV file (every engine reads it this way)."""
    fileio.check_regular_file(path)
    sample, source, final = _head(path)
    return csv_header_of(sample, source, final=final)


HEAD_BYTES = _SAMPLE
"""How much of a CSV file :func:`csv_header_of` judges (encoding and header)."""


def csv_header_of(sample: bytes, source: str, *, final: bool) -> tuple[str, list[str]]:
    """The encoding and the checked header of the CSV file ``source`` from its first
    :data:`HEAD_BYTES` bytes ``sample`` (``final``: the sample is the whole file)."""
    encoding = _sample_encoding(sample, source, final)
    head = sample.decode(encoding, errors="replace").lstrip("\ufeff")
    header = next(csv.reader(io.StringIO(head.splitlines()[0] if head else "")), [])
    _check_header(header, source)
    return encoding, header


def shape_error(path: Path, encoding: str, width: int) -> InputError | None:
    """The first record whose number of fields is not the header's ``width`` (the csv module's
    reading of the file, so the line is the true one), or None when every record has it."""
    with path.open(encoding=encoding, errors="replace", newline="") as handle:
        reader = csv.reader(handle)
        next(reader, None)
        last = reader.line_num
        for row in reader:
            if row and len(row) != width:
                return InputError(
                    f"列の数が見出しと違います（見出しは {width} 列、この行は {len(row)} 列）",
                    location=Location(str(path), last + 1),
                    hint="区切りのカンマの数と、引用符が閉じているかを確かめてください",
                    code="E-INPUT-SHAPE",
                )
            last = reader.line_num
    return None


def mixed_encoding_error(path: Path, encoding: str) -> InputError | None:
    """Where a file read as ``encoding`` stops being ``encoding``; None when it never does."""
    with path.open("rb") as handle:
        try:
            for _ in codecs.iterdecode(handle, encoding):
                pass
        except UnicodeDecodeError:
            return _mixed_encoding_error(path, encoding)
    return None


def _read_csv(path: Path) -> pa.Table:
    encoding, header = csv_header(path)
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
        raise unreadable_csv(path, encoding, len(header), error) from error


def unreadable_csv(path: Path, encoding: str, width: int, error: BaseException) -> InputError:
    """The message for a CSV file a reader (Arrow's, DuckDB's) refused with ``error``: the
    line of the first byte that is not ``encoding``, else the first record with the wrong
    number of fields, else the reader's own words."""
    found = mixed_encoding_error(path, encoding) or shape_error(path, encoding, width)
    if found is not None:
        return found
    return InputError(
        f"CSV として読めません: {echo(str(error), 200)}",
        location=Location(str(path)),
        hint="列の数が行ごとに同じか、引用符が閉じているかを確かめてください",
    )


def _check_header(header: Sequence[str], path: Path | str) -> None:
    """Stop on a header that appears twice (which of the two columns would be read?)."""
    seen: set[str] = set()
    for k, name in enumerate(header):
        key = name.strip()
        if key and key in seen:
            raise InputError(
                f"見出し「{echo(key)}」が2回あります（{k + 1}列目）",
                location=Location(str(path), 1, key),
                hint="同じ見出しの列を1つにするか、見出しを変えてください",
                code="E-INPUT-HEADER",
            )
        seen.add(key)


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


def _read_xlsx(path: Path) -> tuple[pa.Table, list[int]]:
    """The first sheet of a workbook, behind the one xlsx guard, read bounded.

    Only the header's columns are read, and a row counts when one of them holds a value: a
    stray cell beside the table or an inflated declared dimension (A1:XFD1048576) adds neither
    records nor work.
    """
    from openpyxl import load_workbook

    data = read_workbook(path, TABLE_LIMITS)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise _unreadable_xlsx(path, error) from error
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # the declared dimension is not trusted (see above)
        header = [
            str(v).strip() if v is not None else ""
            for v in next(sheet.iter_rows(max_row=1, values_only=True), ())
        ]
        while header and not header[-1]:
            header.pop()
        _check_header(header, path)
        width = len(header)
        columns: list[list[str | None]] = [[] for _ in header]
        file_rows: list[int] = []
        rows = sheet.iter_rows(min_row=2, max_col=max(width, 1), values_only=True)
        for number, row in enumerate(rows, start=2):
            values = [_cell_text(v) for v in row[:width]]
            if all(v is None or not v.strip() for v in values):
                continue
            file_rows.append(number)
            for k in range(width):
                columns[k].append(values[k] if k < len(values) else None)
    except InputError:
        raise
    except Exception as error:  # a truncated or malformed worksheet fails while iterating
        raise _unreadable_xlsx(path, error) from error
    finally:
        book.close()
    return pa.table([pa.array(c, pa.string()) for c in columns], names=header), file_rows


def _unreadable_xlsx(path: Path, error: BaseException) -> InputError:
    return InputError(
        f"Excel ファイルとして読めません（{type(error).__name__}）",
        location=Location(str(path)),
        hint="Excel で開けるか確認し、.xlsx として保存し直してください",
        code="E-XLSX-BROKEN",
    )


def _is_text_like(kind: pa.DataType) -> bool:
    """Types whose values read as one piece of text (nested and binary types do not)."""
    return not (
        pa.types.is_nested(kind)
        or pa.types.is_binary(kind)
        or pa.types.is_large_binary(kind)
        or pa.types.is_fixed_size_binary(kind)
        or (pa.types.is_dictionary(kind) and not _is_text_like(kind.value_type))
    )


def unreadable_parquet(path: Path, error: BaseException) -> InputError:
    return InputError(
        f"Parquet ファイルとして読めません: {echo(error, 200)}", location=Location(str(path)),
        code="E-PARQUET-BROKEN",
    )  # fmt: skip


def check_parquet_schema(schema: pa.Schema, path: Path | str) -> None:
    """Stop on a repeated column name or a column that does not read as text."""
    _check_header(schema.names, path)
    for name, field in zip(schema.names, schema, strict=True):
        if not _is_text_like(field.type):
            raise InputError(
                f"列「{echo(name)}」の型 {field.type} は読めません"
                "（文字・数・日付の列だけ読めます）",
                location=Location(str(path), column=name),
                hint="一覧・構造体・バイナリの列を文字列の列にして保存し直してください",
                code="E-PARQUET-TYPE",
            )


def parquet_schema(path: Path) -> tuple[pq.ParquetFile, pa.Schema]:
    """The file opened and its checked schema (every engine reads Parquet this way)."""
    fileio.check_regular_file(path)
    try:
        parquet = pq.ParquetFile(path)
        schema = parquet.schema_arrow
    except (pa.ArrowException, OSError) as error:
        raise unreadable_parquet(path, error) from error
    check_parquet_schema(schema, path)
    return parquet, schema


def _read_parquet(path: Path) -> pa.Table:
    parquet, _ = parquet_schema(path)
    try:
        table = parquet.read()
    except (pa.ArrowException, OSError) as error:
        raise unreadable_parquet(path, error) from error
    try:
        columns = [pc.cast(c, pa.string()) for c in table.columns]
    except (pa.ArrowException, ValueError) as error:
        raise InputError(
            f"Parquet の列を文字列にできません: {echo(error, 200)}", location=Location(str(path)),
            code="E-PARQUET-TYPE",
        ) from error  # fmt: skip
    return pa.table(columns, names=table.column_names)


class CsvRows(Sequence[int]):
    """The file line of each CSV record, worked out only when a message needs one.

    pyarrow skips empty lines and a quoted field may span lines, so record ``i`` is not always
    line ``i + 2``; the csv module's line count gives the true line (read once, on demand).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lines: list[int] | None = None

    def _load(self) -> list[int]:
        if self._lines is None:
            lines: list[int] = []
            encoding = detect_encoding(self.path)
            with self.path.open(encoding=encoding, errors="replace", newline="") as handle:
                reader = csv.reader(handle)
                next(reader, None)
                last = reader.line_num
                for row in reader:
                    if row:
                        lines.append(last + 1)
                    last = reader.line_num
            self._lines = lines
        return self._lines

    def __len__(self) -> int:
        return len(self._load())

    def __getitem__(self, index: int) -> int:  # type: ignore[override]
        return self._load()[index]


def read_raw(path: Path) -> tuple[pa.Table, int | Sequence[int]]:
    """The file as a table of strings and the file row of its first data row (or of each data
    row, when blank rows were skipped)."""
    fileio.check_regular_file(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix == ".parquet":
        return _read_parquet(path), 1
    return _read_csv(path), CsvRows(path)


def select_columns(
    names: Sequence[str],
    columns: Sequence[Column],
    mapping: Mapping[str, str],
    path: Path | str,
) -> tuple[dict[str, str | None], dict[str, str]]:
    """Which of the file's column ``names`` each of ``columns`` reads (None: an optional column
    that is absent) and the header shown for each ASCII name. A required column that is absent
    stops with the file and the header (every engine selects its columns this way)."""
    present = {name.strip(): name for name in names}
    chosen: dict[str, str | None] = {}
    headers: dict[str, str] = {}
    for column in columns:
        source = mapping.get(column.header, column.header)
        headers[column.name] = source
        if source not in present and column.required:
            raise InputError(
                f"必須の列「{column.header}」がありません",
                location=Location(str(path), 1, source),
                hint=f"見出しを確かめるか、--map {column.header}=実際の列名 で対応づけてください",
            )
        chosen[column.name] = present.get(source)
    return chosen, headers


def read(path: Path, columns: Sequence[Column], mapping: Mapping[str, str]) -> Loaded:
    """Read ``path`` and select ``columns`` (renamed to their ASCII names)."""
    raw, rows = read_raw(path)
    chosen, headers = select_columns(raw.column_names, columns, mapping, path)
    arrays = [
        raw.column(source) if source is not None else pa.nulls(raw.num_rows, pa.string())
        for source in chosen.values()
    ]
    table = pa.table(arrays, names=list(chosen))
    if isinstance(rows, int):
        return Loaded(path, table, headers, rows)
    return Loaded(path, table, headers, 2, rows)


def with_row(table: pa.Table) -> pa.Table:
    """``table`` with ``row``: the 0-based position of each record (what
    :meth:`Loaded.location` turns back into file and line)."""
    return table.append_column("row", pa.array(np.arange(table.num_rows, dtype=np.int64)))


BLANK = (
    r"[\t\n\x{0b}\f\r\x{1c}-\x{1f} \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}"
    r"\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]*"
)
"""A blank value, as a regular expression matched in full (RE2 and Java alike): only white
space as Arrow's utf8_trim_whitespace and Python's str.strip read it (U+3000 and the C0
separators U+001C–U+001F too). The one rule for "empty" in Arrow here and in SQL
(:func:`tenken.linkage.checks.blank`)."""
