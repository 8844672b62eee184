"""An input given as one file or a folder of part files, on a local path or a remote URI.

Both engines read a folder of CSV or Parquet parts (Spark's own output layout: ``part-00000``,
``part-00001``, …; names starting with ``_`` or ``.`` such as ``_SUCCESS`` and ``.crc`` are
not data) in name order. Every part's header or footer is checked on the driver with the
Python readers' own functions (:func:`~tenken.linkage.readers.csv_header_of`,
:func:`~tenken.linkage.readers.check_parquet_schema`,
:func:`~tenken.linkage.readers.select_columns`), whoever reads the rows.

``row`` is ``part << PART_BITS | position``: the part's place in name order and the record's
0-based position in it (a single file is part 0, so ``row`` is the position).
:meth:`Parts.location` turns it back into the part file, its true line and the header.

Remote inputs (``hdfs://``, ``s3a://``, ``abfss://``, ``gs://``, … : :func:`as_input`) are
read by the Spark engine only, through a :class:`Files` of Hadoop's file systems
(:mod:`tenken.linkage.spark_input`); a part is copied to the driver only to say where a
problem is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlparse

from tenken import fileio
from tenken.errors import InputError, Location
from tenken.linkage.columns import Column
from tenken.linkage.readers import CsvRows, csv_header, parquet_schema, select_columns

PART_BITS = 40
KINDS = {".csv": "csv", ".txt": "csv", ".tsv": "csv", ".parquet": "parquet"}
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")

Place = Path | str
"""A local path, or the URI of a remote file or folder (a ``str``)."""


def as_input(text: str) -> Place:
    """``--registry``/``--records`` as given: a URI (``scheme://…``) stays text, since a
    ``Path`` would fold its ``//``; anything else is a local path."""
    return text if _URI.match(text) else Path(text)


def file_path(uri: str) -> Path:
    """The local path a ``file:`` URI names."""
    return Path(unquote(urlparse(uri).path))


def suffix(place: Place) -> str:
    """The lower-case suffix of a path or URI (``.csv``, ``.parquet``, …)."""
    name = place.name if isinstance(place, Path) else place.rstrip("/").rsplit("/", 1)[-1]
    return Path(name).suffix.lower()


def is_data(name: str) -> bool:
    """A part file name that holds data (not ``_SUCCESS``, ``.crc``, …)."""
    return not name.startswith(("_", "."))


class Files(Protocol):
    """Where the inputs are: the local file system, or Hadoop's (Spark)."""

    def is_dir(self, place: Place) -> bool:
        """``place`` is a folder (a missing place is an :class:`InputError` naming it)."""

    def listed(self, folder: Place) -> list[Place]:
        """The data files of ``folder`` (:func:`is_data`), sorted by name."""

    def check_file(self, place: Place) -> None:
        """Stop unless ``place`` is a regular file."""

    def csv_header(self, place: Place) -> tuple[str, list[str]]:
        """The encoding and the checked header of a CSV file."""

    def parquet_names(self, place: Place) -> list[str]:
        """The column names of a Parquet file, its schema checked."""

    def local(self, place: Place) -> Path:
        """A local copy of ``place`` (itself when it is local)."""


class LocalFiles:
    """The local file system (shared mounts included)."""

    def is_dir(self, place: Place) -> bool:
        return Path(place).is_dir()

    def listed(self, folder: Place) -> list[Place]:
        return sorted(p for p in Path(folder).iterdir() if is_data(p.name))

    def check_file(self, place: Place) -> None:
        fileio.check_regular_file(Path(place))

    def csv_header(self, place: Place) -> tuple[str, list[str]]:
        return csv_header(Path(place))

    def parquet_names(self, place: Place) -> list[str]:
        return list(parquet_schema(Path(place))[1].names)

    def local(self, place: Place) -> Path:
        return Path(place)


LOCAL = LocalFiles()


@dataclass(frozen=True)
class Parts:
    """The part files of one input, in name order, and how their rows map back to lines."""

    given: Place
    kind: str
    paths: tuple[Place, ...]
    encoding: str
    header: tuple[str, ...]
    headers: Mapping[str, str]
    files: Files = field(default=LOCAL, compare=False)

    def local(self, part: int) -> Path:
        """Part ``part`` as a local file (a remote one is copied to the driver once)."""
        return self.files.local(self.paths[part])

    def location(self, index: int | None, name: str | None = None) -> Location:
        column = self.headers.get(name, name) if name else None
        if index is None:
            return Location(str(self.given), None, column)
        part, position = divmod(index, 1 << PART_BITS)
        line = CsvRows(self.local(part))[position] if self.kind == "csv" else position + 1
        return Location(str(self.paths[part]), line, column)


def input_kind(path: Place, files: Files = LOCAL) -> str | None:
    """ "csv" or "parquet" for what the engines read as parts; None for Excel (the Python
    reader)."""
    if files.is_dir(path):
        kinds = {KINDS.get(suffix(p)) for p in files.listed(path)} - {None}
        if len(kinds) > 1:
            raise InputError(
                "フォルダに CSV と Parquet のファイルが混ざっています",
                location=Location(str(path)),
                hint="1つのフォルダには同じ形式の分割ファイルだけを置いてください",
            )
        return kinds.pop() if kinds else "csv"
    if suffix(path) in (".xlsx", ".xlsm"):
        return None
    return "parquet" if suffix(path) == ".parquet" else "csv"


def part_files(path: Place, kind: str, files: Files = LOCAL) -> tuple[Place, ...]:
    """The files of ``path`` (itself, or the data files of a folder), each a regular file."""
    if not files.is_dir(path):
        files.check_file(path)
        return (path,)
    parts = tuple(p for p in files.listed(path) if KINDS.get(suffix(p)) == kind)
    if not parts:
        raise InputError(
            "フォルダに読めるファイル（.csv または .parquet）がありません",
            location=Location(str(path)),
            hint="分割ファイルを置いたフォルダを指定してください",
        )
    for part in parts:
        files.check_file(part)
    return parts


def _same_header(first: Sequence[str], other: Sequence[str], path: Place) -> None:
    if list(other) != list(first):
        raise InputError(
            "見出しが最初の分割ファイルと違います",
            location=Location(str(path), 1),
            hint="分割ファイルはどれも同じ見出し（同じ列の並び）にしてください",
            code="E-INPUT-HEADER",
        )


def survey(
    path: Place,
    kind: str,
    columns: Sequence[Column],
    mapping: Mapping[str, str],
    files: Files = LOCAL,
) -> tuple[Parts, dict[str, str | None]]:
    """Check every part file's header (CSV) or schema (Parquet) on the driver, and choose the
    columns, as the Python readers do."""
    paths = part_files(path, kind, files)
    encodings: set[str] = set()
    header: list[str] = []
    for k, part in enumerate(paths):
        if kind == "csv":
            encoding, names = files.csv_header(part)
            encodings.add(encoding)
        else:
            names = files.parquet_names(part)
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
    return Parts(path, kind, paths, encoding, tuple(header), headers, files), chosen
