"""Spark reads the inputs itself: CSV or Parquet, one file or a folder of part files.

The file-level checks are the Python readers' own functions, run on the driver on each part
file's header or footer only (:func:`~tenken.linkage.readers.csv_header`,
:func:`~tenken.linkage.readers.parquet_schema`, :func:`~tenken.linkage.readers.select_columns`);
the rows are read by Spark and never pass through Python. A row Spark could not split into the
header's columns, or text that did not decode, sends the driver back to that one file with
:func:`~tenken.linkage.readers.shape_error` / :func:`~tenken.linkage.readers.mixed_encoding_error`
for the same message as with DuckDB. The rows are then checked in SQL by
:mod:`tenken.linkage.checks`, as on every engine.

``row`` is ``part << 40 | position``: the part file's place in name order and the record's
position in it (``monotonically_increasing_id`` less the file's first id: a CSV file is read
whole by one task, as ``multiLine`` makes it unsplittable; Parquet's ``_metadata.row_index``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pyarrow as pa

from tenken import fileio
from tenken.errors import InputError, Location
from tenken.linkage.columns import Column
from tenken.linkage.engine import Dialect
from tenken.linkage.readers import (
    CsvRows,
    csv_header,
    mixed_encoding_error,
    parquet_schema,
    select_columns,
    shape_error,
)

PART_BITS = 40
_KINDS = {".csv": "csv", ".txt": "csv", ".tsv": "csv", ".parquet": "parquet"}
_SPARK_CHARSETS = {"utf-8": "UTF-8", "cp932": "windows-31j"}
_CORRUPT = "_corrupt"


@dataclass(frozen=True)
class Parts:
    """The part files of one input, in name order, and how their rows map back to lines."""

    given: Path
    kind: str
    paths: tuple[Path, ...]
    encoding: str
    header: tuple[str, ...]
    headers: Mapping[str, str]

    def location(self, index: int | None, name: str | None = None) -> Location:
        column = self.headers.get(name, name) if name else None
        if index is None:
            return Location(str(self.given), None, column)
        part, position = divmod(index, 1 << PART_BITS)
        path = self.paths[part]
        line = CsvRows(path)[position] if self.kind == "csv" else position + 1
        return Location(str(path), line, column)


def input_kind(path: Path) -> str | None:
    """ "csv" or "parquet" for what Spark reads itself; None for Excel (the Python reader)."""
    if path.is_dir():
        kinds = {_KINDS.get(p.suffix.lower()) for p in _listed(path)} - {None}
        if len(kinds) > 1:
            raise InputError(
                "フォルダに CSV と Parquet のファイルが混ざっています",
                location=Location(str(path)),
                hint="1つのフォルダには同じ形式の分割ファイルだけを置いてください",
            )
        return kinds.pop() if kinds else "csv"
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return None
    return "parquet" if path.suffix.lower() == ".parquet" else "csv"


def _listed(folder: Path) -> list[Path]:
    # Spark's own markers (_SUCCESS, .crc, ...) are not data
    return sorted(p for p in folder.iterdir() if not p.name.startswith(("_", ".")))


def part_files(path: Path, kind: str) -> tuple[Path, ...]:
    """The files of ``path`` (itself, or the data files of a folder), each a regular file."""
    if not path.is_dir():
        fileio.check_regular_file(path)
        return (path,)
    parts = tuple(p for p in _listed(path) if _KINDS.get(p.suffix.lower()) == kind)
    if not parts:
        raise InputError(
            "フォルダに読めるファイル（.csv または .parquet）がありません",
            location=Location(str(path)),
            hint="分割ファイルを置いたフォルダを指定してください",
        )
    for part in parts:
        fileio.check_regular_file(part)
    return parts


def _same_header(first: Sequence[str], other: Sequence[str], path: Path) -> None:
    if list(other) != list(first):
        raise InputError(
            "見出しが最初の分割ファイルと違います",
            location=Location(str(path), 1),
            hint="分割ファイルはどれも同じ見出し（同じ列の並び）にしてください",
            code="E-INPUT-HEADER",
        )


def survey(
    path: Path, kind: str, columns: Sequence[Column], mapping: Mapping[str, str]
) -> tuple[Parts, dict[str, str | None]]:
    """Check every part file's header (CSV) or schema (Parquet) on the driver, and choose the
    columns, as the Python readers do."""
    paths = part_files(path, kind)
    encodings: set[str] = set()
    header: list[str] = []
    for k, part in enumerate(paths):
        if kind == "csv":
            encoding, names = csv_header(part)
            encodings.add(encoding)
        else:
            names = list(parquet_schema(part)[1].names)
        if k == 0:
            header = names
        _same_header(header, names, part)
    if len(encodings) > 1:
        raise InputError(
            "分割ファイルの文字コードが揃っていません（UTF-8 と CP932）",
            location=Location(str(path)),
            hint="すべての分割ファイルを UTF-8 で保存し直してください",
            code="E-INPUT-ENCODING",
        )
    chosen, headers = select_columns(header, columns, mapping, path)
    encoding = encodings.pop() if encodings else "utf-8"
    return Parts(path, kind, paths, encoding, tuple(header), headers), chosen


def _local(uri: str) -> str:
    return str(Path(unquote(urlparse(uri).path)).resolve())


def read_frame(spark: Any, parts: Parts, dialect: Dialect) -> Any:
    """The rows of every part file: positional string columns ``c0``..., ``_file`` and ``_id``
    (increasing within a file) and, for CSV, ``_corrupt`` (the raw text of a row that did not
    split into the header's columns)."""
    from pyspark.sql.types import StringType, StructField, StructType

    uris = [p.resolve().as_uri() for p in parts.paths]
    if parts.kind == "parquet":
        cast = [
            f"{dialect.cast_text(dialect.quote(n))} AS c{k}" for k, n in enumerate(parts.header)
        ]
        meta = ["_metadata.file_path AS _file", "_metadata.row_index AS _id"]
        return spark.read.parquet(*uris).selectExpr(*cast, "CAST(NULL AS STRING) AS _corrupt",
                                                    *meta)  # fmt: skip
    fields = [StructField(f"c{k}", StringType()) for k in range(len(parts.header))]
    schema = StructType([*fields, StructField(_CORRUPT, StringType())])
    options = {
        "header": "true", "multiLine": "true", "escape": '"', "mode": "PERMISSIVE",
        "columnNameOfCorruptRecord": _CORRUPT, "encoding": _SPARK_CHARSETS[parts.encoding],
    }  # fmt: skip
    raw = spark.read.schema(schema).options(**options).csv(uris)
    return raw.selectExpr(
        "*", "_metadata.file_path AS _file", "monotonically_increasing_id() AS _id"
    )


def files_table(rows: Sequence[dict[str, Any]], parts: Parts) -> pa.Table:
    """``_file`` (as Spark names it) -> ``part`` (its place in name order) and ``first`` (the
    smallest ``_id`` of its rows)."""
    order = {str(p.resolve()): k for k, p in enumerate(parts.paths)}
    return pa.table({
        "_file": pa.array([r["_file"] for r in rows], pa.string()),
        "part": pa.array([order[_local(r["_file"])] for r in rows], pa.int64()),
        "first": pa.array([r["first"] for r in rows], pa.int64()),
    })  # fmt: skip


def typed_sql(raw: str, files: str, parts: Parts, chosen: Mapping[str, str | None]) -> str:
    """``row``, the chosen columns under their ASCII names (absent optional ones NULL; empty
    CSV fields '' as the Python reader gives them) and ``_corrupt``."""
    index = {name.strip(): k for k, name in enumerate(parts.header)}
    selected = []
    for name, source in chosen.items():
        if source is None:
            selected.append(f"CAST(NULL AS STRING) AS {name}")
        elif parts.kind == "csv":
            selected.append(f"coalesce(r.c{index[source.strip()]}, '') AS {name}")
        else:
            selected.append(f"r.c{index[source.strip()]} AS {name}")
    row = f"f.part * {1 << PART_BITS} + (r._id - f.first)"
    return (
        f"SELECT /*+ BROADCAST(f) */ CAST({row} AS BIGINT) AS row, {', '.join(selected)}, "
        f"r._corrupt FROM {raw} r JOIN {files} f ON r._file = f._file"
    )


def file_error(parts: Parts, index: int, width: int, problem: str) -> InputError | None:
    """The Python readers' message for the part file holding row ``index``: its first row of
    the wrong shape (``problem`` "shape") or its first line that does not decode ("encoding");
    None when Python finds no such problem there."""
    path = parts.paths[index >> PART_BITS]
    if problem == "shape":
        found = shape_error(path, parts.encoding, width)
        if found is not None:
            return found
        return InputError(
            "CSV として読めません（引用符が閉じていない可能性があります）",
            location=parts.location(index),
            hint="列の数が行ごとに同じか、引用符が閉じているかを確かめてください",
        )
    return mixed_encoding_error(path, parts.encoding)
