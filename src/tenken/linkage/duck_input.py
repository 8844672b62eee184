"""DuckDB reads UTF-8 CSV and Parquet inputs itself, so the rows never become Arrow copies
in the Python process (at 10M people those were ~4 GB of the parent's memory).

The file-level checks are the Python readers' own functions, run on the header or footer
only (:func:`~tenken.linkage.readers.csv_header`, :func:`~tenken.linkage.readers.parquet_schema`,
:func:`~tenken.linkage.readers.select_columns`); a file DuckDB refuses is explained by
:func:`~tenken.linkage.readers.unreadable_csv`, as with the Arrow reader. CP932 CSV, Excel
and Parquet with columns whose text form the engines would spell differently (floats,
timestamps) stay on the Arrow reader (:func:`native` returns None for them).

``row`` is the record's 0-based position in the file: the ``rowid`` of a table the CSV file was
read into in file order (:meth:`~tenken.linkage.engine.DuckDBEngine.load`; DuckDB reads it in
parallel, which it does not under ``row_number() OVER ()``), or DuckDB's ``file_row_number``
(Parquet). A folder's part
files are read one by one (:meth:`~tenken.linkage.engine.DuckDBEngine.load`), ``row`` as
:mod:`tenken.linkage.parts` numbers them. DuckDB reads local paths only (``file://`` URIs
too); a remote URI is refused with a message pointing to ``--engine spark``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from urllib.parse import urlparse

import pyarrow as pa

from tenken.errors import InputError, Location
from tenken.linkage.columns import Column
from tenken.linkage.parts import Place, file_path
from tenken.linkage.readers import (
    CsvRows,
    Rows,
    csv_header,
    parquet_schema,
    select_columns,
    unreadable_csv,
    unreadable_parquet,
)

_EXCEL = (".xlsx", ".xlsm")


@dataclass(frozen=True)
class Native:
    """How DuckDB reads one input: the query, where its rows are, and the message for an
    error DuckDB raises while reading (a problem of the file, found only past its header).
    ``numbered``: the query gives ``row`` itself; else the engine numbers the rows in the
    order the query reads them (:meth:`~tenken.linkage.engine.DuckDBEngine.load`)."""

    sql: str
    rows: Rows
    refused: Callable[[BaseException], InputError]
    numbered: bool = True


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _same_text(kind: pa.DataType) -> bool:
    """Types whose text is the same from DuckDB's CAST as from Arrow's (strings, integers,
    dates); a dictionary counts by its values."""
    if pa.types.is_dictionary(kind):
        return _same_text(kind.value_type)
    return bool(
        pa.types.is_string(kind)
        or pa.types.is_large_string(kind)
        or pa.types.is_integer(kind)
        or pa.types.is_date32(kind)
    )


def _selected(chosen: Mapping[str, str | None], read: Callable[[str], str]) -> str:
    """The select list: ``read`` of each chosen file column under its ASCII name; an absent
    optional column NULL."""
    return ", ".join(
        f"{read(source) if source is not None else 'CAST(NULL AS VARCHAR)'} AS {name}"
        for name, source in chosen.items()
    )


def _csv(path: Path, columns: Sequence[Column], mapping: Mapping[str, str]) -> Native | None:
    encoding, header = csv_header(path)
    if encoding != "utf-8":
        return None
    chosen, headers = select_columns(header, columns, mapping, path)
    index = {name.strip(): k for k, name in enumerate(header)}
    types = ", ".join(f"'c{k}': 'VARCHAR'" for k in range(len(header)))
    scan = (
        f"read_csv({_literal(str(path))}, header = false, skip = 1, auto_detect = false, "
        f"delim = ',', quote = '\"', escape = '\"', strict_mode = true, null_padding = false, "
        f"columns = {{{types}}})"
    )
    # An empty field is '' as the Arrow reader gives it (DuckDB reads it as NULL)
    selected = _selected(chosen, lambda source: f"coalesce(c{index[source.strip()]}, '')")
    sql = f"SELECT {selected} FROM {scan}"  # numbered by the engine, in file order
    refused = partial(unreadable_csv, path, "utf-8", len(header))
    return Native(sql, Rows(path, headers, 2, CsvRows(path)), refused, numbered=False)


def _parquet(path: Path, columns: Sequence[Column], mapping: Mapping[str, str]) -> Native | None:
    _, schema = parquet_schema(path)
    chosen, headers = select_columns(schema.names, columns, mapping, path)
    if not all(_same_text(schema.field(s).type) for s in chosen.values() if s is not None):
        return None
    selected = _selected(chosen, lambda source: f"CAST({_quote(source)} AS VARCHAR)")
    scan = f"read_parquet({_literal(str(path))}, file_row_number = true)"
    sql = f"SELECT {selected}, file_row_number AS row FROM {scan}"
    return Native(sql, Rows(path, headers, 1), partial(unreadable_parquet, path))


def native(path: Path, columns: Sequence[Column], mapping: Mapping[str, str]) -> Native | None:
    """The query DuckDB reads ``path`` with (``columns`` under their ASCII names, ``row``) and
    where its rows are, after the file-level checks; None when the Arrow reader reads it."""
    suffix = path.suffix.lower()
    if suffix in _EXCEL:
        return None
    if suffix == ".parquet":
        return _parquet(path, columns, mapping)
    return _csv(path, columns, mapping)


def local_path(place: Place) -> Path:
    """``place`` as a local path (a ``file://`` URI too); another URI is an InputError."""
    if isinstance(place, Path):
        return place
    if place.lower().startswith("file:"):
        return file_path(place)
    raise InputError(
        f"DuckDB エンジンは {urlparse(place).scheme}:// を読めません（ローカルのパスだけ）",
        location=Location(place),
        hint="--engine spark で読むか、ローカルか共有マウントにコピーしてください",
        code="E-INPUT-REMOTE",
    )


def never_refused(error: BaseException) -> InputError:
    """For a table the Python readers read already: DuckDB copying it is not an input
    problem, so a failure is a bug (:class:`~tenken.linkage.engine.EngineError`)."""
    from tenken.linkage.engine import EngineError

    raise EngineError(f"copying a part file failed: {error}")
