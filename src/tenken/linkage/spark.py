"""The Spark engine: the same SQL builders through a Spark dialect (``--engine spark``).

pyspark is an optional extra (``pip install -e '.[spark]'``) and needs Java 17
(``openjdk-17-jre-headless``, installed by scripts/system-deps.sh). Locally it runs
``local[2]``; on a cluster set ``TENKEN_SPARK_MASTER`` (or submit with spark-submit, which
provides the session). See docs/spark.md.

- Every step becomes a temporary view over a locally checkpointed DataFrame, so each table is
  computed once, as with DuckDB's ``CREATE TABLE`` (a lazily cached chain of 30 views made
  Spark re-plan the whole chain and run out of driver memory).
- :meth:`SparkEngine.lookup` and :meth:`SparkEngine.map_table` run Python on the executors
  (``mapInArrow``): the normalisers, the name comparisons, the masks and the review cells, a
  batch of Arrow records at a time; :meth:`SparkEngine.batches` streams an ordered result to
  the driver from part files the executors wrote, so the driver holds one batch.
- Errors from Spark are never shown as a JVM trace: a failing statement is an
  :class:`~tenken.linkage.engine.EngineError` (a bug), a missing pyspark or Java is an
  :class:`~tenken.errors.InputError` telling what to install, and a JVM that ran out of memory
  exits and is reported as a :class:`~tenken.errors.TenkenError` saying which setting to raise
  (local mode sizes the driver by :func:`driver_memory`).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from tenken.errors import InputError, Location, TenkenError
from tenken.linkage import spark_input
from tenken.linkage.checks import Source
from tenken.linkage.columns import Column
from tenken.linkage.engine import (
    BATCH_ROWS,
    Dialect,
    EngineError,
    Step,
    TableFn,
    char_blocks,
    check_groups,
    check_rewrite,
    memory_limit,
)
from tenken.linkage.parts import LOCAL, PART_BITS, Files, Parts, Place, input_kind, survey
from tenken.linkage.readers import read, with_row


@dataclass(frozen=True)
class SparkDialect(Dialect):
    """Spark SQL's spellings (Java regular expressions, backslash escapes in literals)."""

    name: str = "spark"

    def literal(self, text: str) -> str:
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"

    def quote(self, identifier: str) -> str:
        return "`" + identifier.replace("`", "``") + "`"

    def cast_text(self, expr: str) -> str:
        return f"CAST({expr} AS STRING)"

    def full_match(self, expr: str, pattern: str) -> str:
        # \z: Java's $ would also match before a final line break
        return f"({expr} RLIKE {self.literal(f'^(?:{pattern})' + chr(92) + 'z')})"

    def contains_match(self, expr: str, pattern: str) -> str:
        return f"({expr} RLIKE {self.literal(pattern)})"

    def extract_groups(self, expr: str, pattern: str, names: tuple[str, ...]) -> str:
        fields = ", ".join(
            f"{self.literal(n)}, {self.extract(expr, pattern, k)}"
            for k, n in enumerate(names, start=1)
        )
        return f"named_struct({fields})"

    def rewrite(self, expr: str, pattern: str, template: Sequence[int | str]) -> str:
        # Java's replacement: $n for a group, backslash before a literal $ or backslash
        check_rewrite(pattern, template)
        text = "".join(
            f"${p}" if isinstance(p, int) else p.replace("\\", "\\\\").replace("$", "\\$")
            for p in template
        )
        return f"regexp_replace({expr}, {self.literal(pattern)}, {self.literal(text)})"

    def replace_all(self, expr: str, pattern: str, groups: int) -> str:
        # Java's regexp_replace replaces every match; an unmatched $n appends nothing
        check_groups(groups)
        text = "".join(f"${k}" for k in range(1, groups + 1))
        return f"regexp_replace({expr}, {self.literal(pattern)}, {self.literal(text)})"

    def map_chars(self, expr: str, mapping: Mapping[str, str]) -> str:
        # Spark's translate keeps its table while the arguments stay the same; characters of
        # the first argument past the end of the second are deleted
        char_blocks(mapping)  # the same checks as DuckDB's
        changed = {k: v for k, v in mapping.items() if k != v}
        kept = [k for k, v in changed.items() if v]
        dropped = [k for k, v in changed.items() if not v]
        source = self.literal("".join(kept + dropped))
        target = self.literal("".join(changed[k] for k in kept))
        return f"translate({expr}, {source}, {target})"

    def holds_any(self, expr: str, chars: str) -> str:
        # a Java class of thousands of ranges is tested range by range: translate is a map
        return f"(translate({expr}, {self.literal(''.join(sorted(set(chars))))}, '') <> {expr})"

    def contains_text(self, expr: str, text: str) -> str:
        return f"(instr({expr}, {self.literal(text)}) > 0)"

    def length(self, expr: str) -> str:
        return f"char_length({expr})"

    def try_int(self, expr: str) -> str:
        return f"try_cast({expr} AS INT)"

    def try_date(self, expr: str) -> str:
        return f"try_cast({expr} AS DATE)"

    def try_long(self, expr: str) -> str:
        return f"try_cast({expr} AS BIGINT)"

    def int_div(self, left: str, right: str) -> str:
        return f"({left} div {right})"

    def hamming(self, left: str, right: str) -> str:
        return (
            f"size(filter(zip_with(split({left}, ''), split({right}, ''), "
            "(x, y) -> x <> y), z -> z))"
        )

    def string_agg(self, expr: str, sep: str) -> str:
        return f"nullif(array_join(array_sort(collect_set({expr})), {self.literal(sep)}), '')"

    def remove_chars(self, expr: str, chars: str) -> str:
        return f"regexp_replace({expr}, {self.literal(f'[{chars}]')}, '')"


SPARK = SparkDialect()

MASTER_ENV = "TENKEN_SPARK_MASTER"
DRIVER_MEMORY_ENV = "TENKEN_SPARK_DRIVER_MEMORY"


def driver_memory() -> str:
    """The driver JVM's heap in local mode, where the driver runs every task and holds the
    checkpointed tables: ``TENKEN_SPARK_DRIVER_MEMORY`` (Spark's notation, e.g. ``8g``), else
    DuckDB's share of this machine (:func:`~tenken.linkage.engine.memory_limit`). Spark's own
    default of 1g ran out at 1M people. Under spark-submit its ``--driver-memory`` decides."""
    value = os.environ.get(DRIVER_MEMORY_ENV, "").strip()
    if not value:
        return f"{memory_limit() >> 20}m"
    if _MEMORY_SIZE.fullmatch(value) is None:
        raise InputError(
            f"環境変数 {DRIVER_MEMORY_ENV} の値「{value[:20]}」は読めません",
            hint="数字と単位 k/m/g/t で書いてください（例: 8g、6144m）",
        )
    return value


_MEMORY_SIZE = re.compile(r"[0-9]+[kmgt]?", re.IGNORECASE)
"""Spark's notation for a JVM memory size."""


def _session(master: str, temp_dir: Path | None) -> Any:
    try:
        from pyspark.sql import SparkSession
    except ImportError as error:
        raise InputError(
            "Spark エンジンには pyspark が必要です",
            hint="pip install -e '.[spark]' でインストールしてください（Java 17 も必要です）",
        ) from error
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise InputError(
            "Spark エンジンには Java 17 が必要です",
            hint="sudo bash scripts/system-deps.sh（openjdk-17-jre-headless）",
        )
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    if master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    logging = Path(__file__).with_name("spark-log4j2.properties")
    builder = (
        SparkSession.builder.appName("tenken")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", os.environ.get("TENKEN_SPARK_PARTITIONS", "4"))
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.ansi.enabled", "false")
        .config("spark.sql.legacy.javaCharsets", "true")  # CP932 (windows-31j) inputs
        # a JVM out of memory exits (then :func:`_failure` says so) instead of leaving the
        # driver waiting forever for a job whose scheduler thread died
        .config(
            "spark.driver.extraJavaOptions",
            f"-Dlog4j2.configurationFile=file:{logging} -XX:+ExitOnOutOfMemoryError",
        )
    )
    if master and "PYSPARK_GATEWAY_PORT" not in os.environ:  # spark-submit sets the master
        builder = builder.master(master)
        if master.startswith("local"):
            builder = builder.config("spark.driver.memory", driver_memory())
    if temp_dir:
        builder = builder.config("spark.local.dir", str(temp_dir))
    try:
        session = builder.getOrCreate()
    except Exception as error:  # the JVM failed to start: say so, without its trace
        raise InputError(
            "Spark を起動できません",
            hint=f"Java 17 と pyspark を確かめてください（{type(error).__name__}）",
        ) from error
    session.sparkContext.setLogLevel("ERROR")
    return session


Batches = Iterator[pa.RecordBatch]


def _key_mapper(fn: Callable[[str], str]) -> Callable[[Batches], Batches]:
    """A ``mapInArrow`` function: (v) batches -> (raw, key) batches, ``fn`` per value."""

    def apply(batches: Batches) -> Batches:
        for batch in batches:
            values = [v for v in batch.column(0).to_pylist() if v]
            keys = [fn(v) for v in values]
            yield pa.record_batch(
                [pa.array(values, pa.string()), pa.array(keys, pa.string())], names=["raw", "key"]
            )

    return apply


def _table_mapper(fn: TableFn, schema: pa.Schema) -> Callable[[Batches], Batches]:
    """A ``mapInArrow`` function: ``fn`` on each batch as a table, cast to ``schema``."""

    def apply(batches: Batches) -> Batches:
        for batch in batches:
            result = fn(pa.Table.from_batches([batch]))
            yield from result.cast(schema).to_batches()

    return apply


def _spark_schema(schema: pa.Schema) -> Any:
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(schema)


class SparkEngine:
    """Spark SQL through a session (local[2] unless ``TENKEN_SPARK_MASTER`` says otherwise)."""

    dialect: Dialect = SPARK

    def __init__(self, master: str | None = None, temp_dir: Path | None = None) -> None:
        self._spark = _session(master or os.environ.get(MASTER_ENV, "local[2]"), temp_dir)
        self._views: list[str] = []
        self._remote: spark_input.HadoopFiles | None = None

    def load(
        self, name: str, path: Place, columns: Sequence[Column], mapping: Mapping[str, str]
    ) -> Source:
        """CSV and Parquet (a file or a folder of part files, local or remote) are read by
        Spark; Excel by the Python reader (a workbook is small). See
        :mod:`tenken.linkage.spark_input`."""
        files: Files = LOCAL
        if isinstance(path, str):  # a URI: through Hadoop's file systems
            if self._remote is None:
                self._remote = spark_input.HadoopFiles(self._spark)
            files = self._remote
        kind = input_kind(path, files)
        if kind is None:
            if isinstance(path, str):
                raise InputError(
                    "Excel のファイルはローカルのパスでだけ読めます",
                    location=Location(path),
                    hint="CSV か Parquet にするか、ローカルにコピーしてください",
                )
            loaded = read(path, columns, mapping)
            self.register(name, with_row(loaded.table))
            return loaded
        parts, chosen = survey(path, kind, columns, mapping, files)
        partitions = int(self._spark.conf.get("spark.sql.shuffle.partitions"))
        # cached, not checkpointed: read once for the first ids and the typed table, then
        # released (a second materialised copy of a large input costs as much as the first)
        raw = spark_input.read_frame(self._spark, parts, self.dialect)
        raw = raw.repartition(partitions).persist()
        raw.createOrReplaceTempView(f"{name}_raw")
        self._views.append(f"{name}_raw")
        try:
            rows = self.arrow(f"SELECT _file, min(_id) AS first FROM {name}_raw GROUP BY _file")
            self.register(f"{name}_files", spark_input.files_table(rows.to_pylist(), parts))
            typed = spark_input.typed_sql(f"{name}_raw", f"{name}_files", parts, chosen)
            self.run(Step(f"{name}_typed", typed))
        finally:
            raw.unpersist()
        self._check_text(f"{name}_typed", parts, [c for c, s in chosen.items() if s])
        names = ", ".join(["row", *chosen])
        self._frame(name, f"SELECT {names} FROM {name}_typed").createOrReplaceTempView(name)
        self._views.append(name)
        return parts

    def _check_text(self, table: str, parts: Parts, present: list[str]) -> None:
        """Rows Spark could not split, and text that did not decode (U+FFFD), sent back to the
        Python readers' checks of that one file (one query for both)."""
        replaced = " OR ".join(self.dialect.contains_text(c, "\ufffd") for c in present)
        part = f"row >> {PART_BITS}"
        sql = (
            f"SELECT min(CASE WHEN _corrupt IS NOT NULL THEN row END) AS shape, "
            f"collect_set(CASE WHEN {replaced or 'false'} THEN {part} END) AS parts FROM {table}"
        )
        found = self.arrow(sql).to_pylist()[0]
        if found["shape"] is not None:
            error = spark_input.file_error(parts, found["shape"], len(parts.header), "shape")
            if error is not None:
                raise error
        if parts.kind != "csv":
            return
        for k in sorted(found["parts"]):
            error = spark_input.file_error(parts, k << PART_BITS, 0, "encoding")
            if error is not None:  # None: the file holds a real U+FFFD
                raise error

    def register(self, name: str, table: pa.Table) -> None:
        frame = self._spark.createDataFrame(table)
        frame.createOrReplaceTempView(name)
        self._views.append(name)

    def _frame(self, name: str, sql: str) -> Any:
        try:
            return self._spark.sql(sql)
        except Exception as error:
            raise _failure(f"step {name}", error, sql) from None

    def run(self, step: Step) -> None:
        self._checkpoint(step.name, self._frame(step.name, step.sql), step.name, step.sql)

    def _checkpoint(self, what: str, frame: Any, view: str, sql: str = "") -> None:
        try:  # computed now, once: later steps read the result, not the plan
            frame = frame.localCheckpoint(eager=True)
        except Exception as error:
            raise _failure(f"step {what}", error, sql) from None
        frame.createOrReplaceTempView(view)
        self._views.append(view)

    def arrow(self, sql: str) -> pa.Table:
        frame = self._frame("query", sql)
        try:
            table: pa.Table = frame.toArrow()
        except Exception as error:
            raise _failure("query", error, sql) from None
        return table

    def copy(self, sql: str, path: Path, fmt: str) -> None:
        if fmt == "parquet":
            self._write_parquet(sql, path)
            return
        # CSV by DuckDB's writer (a core dependency), for the same bytes as the DuckDB engine,
        # from part files the executors wrote: the driver holds one batch at a time
        import duckdb

        staging = path.with_name(f".{path.name}.parts")
        try:
            self._write_parquet(sql, staging)
            reader = _ordered_batches(staging)
            with duckdb.connect(":memory:") as con:
                con.register("result", reader)
                target = str(path).replace("'", "''")
                con.execute(f"COPY result TO '{target}' (FORMAT csv, HEADER true)")
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def _write_parquet(self, sql: str, path: Path) -> None:
        frame = self._frame(f"copy {path.name}", sql)
        try:  # a folder of part files, as Spark writes it (readable as one table)
            frame.write.mode("overwrite").parquet(str(path))
        except Exception as error:
            raise _failure(f"copy {path.name}", error) from None

    def lookup(self, name: str, sql: str, fn: Callable[[str], str]) -> None:
        frame = self._frame(name, sql)
        try:
            keyed = frame.mapInArrow(_key_mapper(fn), "raw string, key string")
            keyed = keyed.localCheckpoint(eager=True)
        except Exception as error:
            raise _failure(f"step {name}", error, sql) from None
        keyed.createOrReplaceTempView(name)
        self._views.append(name)

    def map_table(self, name: str, sql: str, fn: TableFn, schema: pa.Schema) -> None:
        frame = self._frame(name, sql)
        try:
            mapped = frame.mapInArrow(_table_mapper(fn, schema), _spark_schema(schema))
        except Exception as error:
            raise _failure(f"step {name}", error, sql) from None
        self._checkpoint(name, mapped, name, sql)

    def batches(self, sql: str) -> Iterator[pa.RecordBatch]:
        """``toLocalIterator``: one partition at a time reaches the driver (the partitions of
        an ordered query are its ranges, in order), with no file system shared by the driver
        and the executors."""
        from pyspark.sql.pandas.types import to_arrow_schema

        frame = self._frame("query", sql)
        schema = to_arrow_schema(frame.schema)
        chunk: list[dict[str, Any]] = []
        try:
            for row in frame.toLocalIterator(prefetchPartitions=True):
                chunk.append(row.asDict())
                if len(chunk) == BATCH_ROWS:
                    yield pa.RecordBatch.from_pylist(chunk, schema)
                    chunk = []
        except Exception as error:
            raise _failure("query", error, sql) from None
        if chunk:
            yield pa.RecordBatch.from_pylist(chunk, schema)

    def close(self) -> None:
        views, self._views = self._views, []
        for view in views:
            try:
                self._spark.catalog.dropTempView(view)
            except Exception as error:  # the JVM gone: nothing left to drop, and the error
                if _jvm_gone(error):  # that stopped the run is the one to report
                    break
                raise
        if self._remote is not None:
            self._remote.close()


def _ordered_batches(folder: Path) -> pa.RecordBatchReader:
    """The rows of a folder Spark wrote from an ordered query, in order: part files by name
    (part-00000, part-00001, ... follow the sort's ranges), each file's batches in turn."""
    import pyarrow.parquet as pq

    files = sorted(folder.glob("part-*.parquet"))
    if not files:  # an empty result: Spark writes no part file, only _SUCCESS
        raise EngineError(f"no part files in {folder.name}")
    schema = pq.read_schema(files[0])
    batches = (batch for f in files for batch in pq.ParquetFile(f).iter_batches(65536))
    return pa.RecordBatchReader.from_batches(schema, batches)


def _jvm_gone(error: BaseException) -> bool:
    """Whether the JVM is no longer there (it exits on OutOfMemoryError, see :func:`_session`)
    rather than a statement having failed: the JVM process pyspark started has exited, or
    (under spark-submit, where pyspark did not start it) ``error`` or an error it was raised
    from or while handling is py4j's word for a lost connection."""
    from py4j.protocol import Py4JNetworkError
    from pyspark import SparkContext

    process = getattr(SparkContext._gateway, "proc", None)
    if process is not None:
        try:  # it may still be on its way out when the connection drops
            return process.wait(timeout=JVM_EXIT_WAIT) is not None
        except subprocess.TimeoutExpired:
            return False
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, (Py4JNetworkError, ConnectionError)):
            return True
        if "Answer from Java side is empty" in str(current):
            return True
        current = current.__cause__ or current.__context__
    return False


JVM_EXIT_WAIT = 2.0
"""Seconds a failed call waits for the local JVM to exit before it counts as a failed step."""


def _failure(what: str, error: BaseException, sql: str = "") -> Exception:
    """The error to raise for a failed Spark call: the JVM gone (out of memory) is said as such,
    with what to change; any other failure is an :class:`EngineError` with the statement."""
    if _jvm_gone(error):
        return TenkenError(
            "Spark の JVM が処理の途中で止まりました（多くはメモリ不足です）",
            hint=(
                f"ドライバのメモリ（いまは {driver_memory()}）を環境変数 {DRIVER_MEMORY_ENV} で"
                "増やすか、クラスタでは spark-submit --driver-memory / --executor-memory で"
                "指定してください（docs/spark.md）"
            ),
            code="E-SPARK-STOPPED",
        )
    return EngineError(f"{what} failed: {_first_line(error)}" + (f"\n{sql}" if sql else ""))


def _first_line(error: BaseException) -> str:
    """The first line of a Spark error (the message, without the JVM stack)."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
