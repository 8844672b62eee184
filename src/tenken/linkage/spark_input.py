"""Spark reads the inputs itself: CSV or Parquet, one file or a folder of part files, on a
local path or a remote URI (:mod:`tenken.linkage.parts` lists and checks them).

The file-level checks are the Python readers' own functions, run on the driver on each part
file's header or footer only; the rows are read by Spark and never pass through Python. A row
Spark could not split into the header's columns, or text that did not decode, sends the driver
back to that one file with :func:`~tenken.linkage.readers.shape_error` /
:func:`~tenken.linkage.readers.mixed_encoding_error` for the same message as with DuckDB (a
remote part is copied to the driver for that, :class:`HadoopFiles`). The rows are then checked
in SQL by :mod:`tenken.linkage.checks`, as on every engine.

``row`` is ``part << 40 | position``: the part file's place in name order and the record's
position in it (``monotonically_increasing_id`` less the file's first id: a CSV file is read
whole by one task, as ``multiLine`` makes it unsplittable; Parquet's ``_metadata.row_index``).
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pyarrow as pa

from tenken.errors import InputError, Location
from tenken.linkage.engine import Dialect
from tenken.linkage.parts import PART_BITS, Parts, Place, file_path, is_data
from tenken.linkage.readers import (
    HEAD_BYTES,
    check_parquet_schema,
    csv_header_of,
    mixed_encoding_error,
    shape_error,
)

_SPARK_CHARSETS = {"utf-8": "UTF-8", "cp932": "windows-31j"}
_CORRUPT = "_corrupt"


def _key(place: Place) -> str:
    """A part's path as Spark's ``_metadata.file_path`` and the listing both spell it."""
    if isinstance(place, Path):
        return str(place.resolve())
    if place.startswith("file:"):
        return str(file_path(place).resolve())
    return unquote(urlparse(place).path)


def uri(place: Place) -> str:
    """The URI Spark reads ``place`` by."""
    return place.resolve().as_uri() if isinstance(place, Path) else place


def read_frame(spark: Any, parts: Parts, dialect: Dialect) -> Any:
    """The rows of every part file: positional string columns ``c0``..., ``_file`` and ``_id``
    (increasing within a file) and, for CSV, ``_corrupt`` (the raw text of a row that did not
    split into the header's columns)."""
    from pyspark.sql.types import StringType, StructField, StructType

    uris = [uri(p) for p in parts.paths]
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
    order = {_key(p): k for k, p in enumerate(parts.paths)}
    return pa.table({
        "_file": pa.array([r["_file"] for r in rows], pa.string()),
        "part": pa.array([order[_key(r["_file"])] for r in rows], pa.int64()),
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
    part = index >> PART_BITS
    path = parts.local(part)
    if problem == "shape":
        found = shape_error(path, parts.encoding, width)
        if found is not None:
            return _named(found, parts.paths[part])
        return InputError(
            "CSV として読めません（引用符が閉じていない可能性があります）",
            location=parts.location(index),
            hint="列の数が行ごとに同じか、引用符が閉じているかを確かめてください",
        )
    found = mixed_encoding_error(path, parts.encoding)
    return None if found is None else _named(found, parts.paths[part])


def _named(error: InputError, place: Place) -> InputError:
    """``error`` found in a local copy, naming the part as given (a remote URI)."""
    if error.location is not None:
        error.location = dataclasses.replace(error.location, file=str(place))
    return error


CONNECTORS = {
    "s3a": "hadoop-aws",
    "abfss": "hadoop-azure",
    "abfs": "hadoop-azure",
    "wasbs": "hadoop-azure",
    "gs": "gcs-connector",
}
"""The Hadoop connector each cloud scheme needs (pyspark bundles the HDFS client only)."""


def _java_classes(error: BaseException) -> list[str]:
    """The Java classes of a py4j error's cause chain, outermost first ([] for other errors)."""
    java = getattr(error, "java_exception", None)
    found: list[str] = []
    try:
        while java is not None and len(found) < 10:
            found.append(str(java.getClass().getName()).rsplit(".", 1)[-1])
            java = java.getCause()
    except Exception:  # the gateway is gone
        pass
    return found


def unavailable(place: str, error: BaseException) -> InputError:
    """The message for a remote input Spark cannot reach: which connector a scheme needs, or
    the Java exception's class (never its stack)."""
    scheme = urlparse(place).scheme.lower()
    classes = _java_classes(error) or [type(error).__name__]
    if any("UnsupportedFileSystem" in c or "ClassNotFound" in c for c in classes):
        connector = CONNECTORS.get(scheme, f"{scheme}:// のファイルシステム")
        return InputError(
            f"{scheme}:// のファイルシステムを Spark で使えません",
            location=Location(place),
            hint=f"{connector} の jar を spark.jars（spark-submit --jars）で加え、"
            "認証を Spark の設定（spark.hadoop.*）で与えてください（docs/spark.md）",
            code="E-INPUT-REMOTE",
        )
    if any("FileNotFound" in c for c in classes):
        return InputError("ファイルがありません", location=Location(place))
    return InputError(
        f"読めません（{classes[-1]}）",
        location=Location(place),
        hint="URI、ネットワーク、認証の設定を確かめてください",
        code="E-INPUT-REMOTE",
    )


class HadoopFiles:
    """Remote inputs through Hadoop's file systems, as the Spark session is configured
    (its connectors and credentials): the driver lists folders and reads each part's first
    megabyte or footer, and copies a part only to say where a problem in it is."""

    def __init__(self, spark: Any) -> None:
        self._spark = spark
        self._jvm = spark.sparkContext._jvm
        self._conf = spark.sparkContext._jsc.hadoopConfiguration()
        self._copies: dict[str, Path] = {}
        self._temp: tempfile.TemporaryDirectory[str] | None = None

    def _path(self, place: Place) -> Any:
        return self._jvm.org.apache.hadoop.fs.Path(str(place))

    def _call(self, place: Place, action: Any) -> Any:
        try:
            path = self._path(place)
            return action(path.getFileSystem(self._conf), path)
        except InputError:
            raise
        except Exception as error:
            raise unavailable(str(place), error) from None

    def is_dir(self, place: Place) -> bool:
        return bool(self._call(place, lambda fs, p: fs.getFileStatus(p).isDirectory()))

    def listed(self, folder: Place) -> list[Place]:
        statuses = self._call(folder, lambda fs, p: fs.listStatus(p))
        found = [(str(s.getPath().getName()), str(s.getPath().toString())) for s in statuses]
        return [uri for name, uri in sorted(found) if is_data(name)]

    def check_file(self, place: Place) -> None:
        if not self._call(place, lambda fs, p: fs.getFileStatus(p).isFile()):
            raise InputError(
                "ファイルがフォルダです（FIFO・デバイス・フォルダは読めません）",
                location=Location(str(place)),
                hint="保存したファイルを指定してください",
            )

    def csv_header(self, place: Place) -> tuple[str, list[str]]:
        def head(fs: Any, path: Any) -> bytes:
            stream = fs.open(path)
            try:
                return bytes(stream.readNBytes(HEAD_BYTES))
            finally:
                stream.close()

        sample = self._call(place, head)
        return csv_header_of(sample, str(place), final=len(sample) < HEAD_BYTES)

    def parquet_names(self, place: Place) -> list[str]:
        from pyspark.sql.pandas.types import to_arrow_schema

        try:
            schema = to_arrow_schema(self._spark.read.parquet(str(place)).schema)
        except Exception as error:
            raise InputError(
                f"Parquet ファイルとして読めません（{type(error).__name__}）",
                location=Location(str(place)),
                code="E-PARQUET-BROKEN",
            ) from None
        check_parquet_schema(schema, str(place))
        return list(schema.names)

    def local(self, place: Place) -> Path:
        if isinstance(place, Path):
            return place
        copy = self._copies.get(place)
        if copy is None:
            if self._temp is None:
                self._temp = tempfile.TemporaryDirectory(prefix="tenken-parts-")
            copy = Path(self._temp.name) / f"{len(self._copies)}-{Path(urlparse(place).path).name}"
            target = self._path(copy.as_uri())
            self._call(place, lambda fs, p: fs.copyToLocalFile(False, p, target, True))
            self._copies[place] = copy
        return copy

    def close(self) -> None:
        """Remove the local copies."""
        if self._temp is not None:
            self._temp.cleanup()
            self._temp = None
        self._copies.clear()
