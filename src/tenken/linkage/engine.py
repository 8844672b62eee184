"""The two seams between the matching logic and a database engine (the Splink pattern).

- :class:`Dialect` knows how an engine spells what differs between engines: string literals,
  quoted identifiers (the Japanese output headers), casts, regular expressions, aggregates.
- :class:`Engine` runs SQL text, moves Arrow tables in and out and runs Python over a query's
  result where the data is: :meth:`Engine.lookup` (a function per distinct value) and
  :meth:`Engine.map_table` (a function per Arrow table of rows), in process for DuckDB and on
  the executors with ``mapInArrow`` for Spark, so that the driver never holds a per-record
  or per-name table. :meth:`Engine.batches` streams an ordered result to the driver.

SQL is produced by the pure builders in :mod:`tenken.linkage.sql`, :mod:`.fastpath`,
:mod:`.outputs` and :mod:`.scoring` through a Dialect; :data:`ENGINES` is the one list of
engines the CLI offers (the Spark engine lives in :mod:`tenken.linkage.spark`).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from tenken.errors import InputError

if TYPE_CHECKING:
    import pyarrow as pa

    from tenken.linkage.checks import Source
    from tenken.linkage.columns import Column
    from tenken.linkage.parts import Place


@dataclass(frozen=True)
class Step:
    """One SQL statement that creates table ``name`` from ``sql`` (a SELECT)."""

    name: str
    sql: str


@dataclass(frozen=True)
class Dialect:
    """Engine-specific spellings. The defaults are DuckDB's."""

    name: str = "duckdb"

    def literal(self, text: str) -> str:
        """``text`` as an SQL string literal."""
        return "'" + text.replace("'", "''") + "'"

    def full_match(self, expr: str, pattern: str) -> str:
        """True when ``expr`` matches the regular expression ``pattern`` entirely."""
        return f"regexp_full_match({expr}, {self.literal(pattern)})"

    def contains_match(self, expr: str, pattern: str) -> str:
        """True when the regular expression ``pattern`` matches somewhere in ``expr``."""
        return f"regexp_matches({expr}, {self.literal(pattern)})"

    def extract(self, expr: str, pattern: str, group: int) -> str:
        """Group ``group`` of the first match of ``pattern`` in ``expr``."""
        return f"regexp_extract({expr}, {self.literal(pattern)}, {int(group)})"

    def extract_groups(self, expr: str, pattern: str, names: tuple[str, ...]) -> str:
        """A struct of the groups of ``pattern`` in ``expr`` (one match), fields ``names``;
        every field is '' when ``pattern`` does not match."""
        fields = ", ".join(self.literal(n) for n in names)
        return f"regexp_extract({expr}, {self.literal(pattern)}, [{fields}])"

    def rewrite(self, expr: str, pattern: str, template: Sequence[int | str]) -> str:
        """``expr`` with its match of ``pattern`` replaced by ``template`` (group numbers and
        literal text, in order), the rest of ``expr`` kept; unchanged where ``pattern`` does not
        match. ``pattern`` must start with ``^`` (one match at most: Spark replaces them all)."""
        check_rewrite(pattern, template)
        text = "".join(
            f"\\{p}" if isinstance(p, int) else p.replace("\\", "\\\\") for p in template
        )
        return f"regexp_replace({expr}, {self.literal(pattern)}, {self.literal(text)})"

    def replace_all(self, expr: str, pattern: str, groups: int) -> str:
        """``expr`` with every match of ``pattern`` replaced by its groups 1 to ``groups``
        joined (a group that did not take part gives ''), scanning left to right."""
        check_groups(groups)
        text = "".join(f"\\{k}" for k in range(1, groups + 1))
        return f"regexp_replace({expr}, {self.literal(pattern)}, {self.literal(text)}, 'g')"

    def map_chars(self, expr: str, mapping: Mapping[str, str]) -> str:
        """``expr`` with each character that is a key of ``mapping`` replaced by its value
        ('' or one character), every other character kept. DuckDB's ``translate`` builds its
        table anew for every row; a list indexed by the code point costs a lookup per
        character (a list per block of nearby code points)."""
        blocks = char_blocks(mapping)
        cases = " ".join(
            f"WHEN unicode(c) BETWEEN {lo} AND {hi} THEN "
            f"[{', '.join(self.literal(mapping.get(chr(u), chr(u))) for u in range(lo, hi + 1))}]"
            f"[unicode(c) - {lo - 1}]"
            for lo, hi in blocks
        )
        return f"array_to_string([CASE {cases} ELSE c END FOR c IN string_split({expr}, '')], '')"

    def holds_any(self, expr: str, chars: str) -> str:
        """True when ``expr`` holds one of ``chars`` (may be thousands: RE2 keeps a class of
        ranges as a sorted table)."""
        return self.contains_match(expr, char_class(chars))

    def contains_text(self, expr: str, text: str) -> str:
        """True when ``expr`` contains ``text`` (no regular expression)."""
        return f"contains({expr}, {self.literal(text)})"

    def length(self, expr: str) -> str:
        """Number of characters (code points) of ``expr``."""
        return f"length({expr})"

    def quote(self, identifier: str) -> str:
        """``identifier`` quoted (output headers are Japanese)."""
        return '"' + identifier.replace('"', '""') + '"'

    def cast_text(self, expr: str) -> str:
        """``expr`` as a string (dates as YYYY-MM-DD)."""
        return f"CAST({expr} AS VARCHAR)"

    def try_int(self, expr: str) -> str:
        """``expr`` as an integer, NULL when it is not one."""
        return f"TRY_CAST({expr} AS INTEGER)"

    def try_date(self, expr: str) -> str:
        """``expr`` (YYYY-MM-DD) as a DATE, NULL when no such day exists."""
        return f"TRY_CAST({expr} AS DATE)"

    def try_long(self, expr: str) -> str:
        """``expr`` as a 64-bit integer, NULL when it is not one."""
        return f"TRY_CAST({expr} AS BIGINT)"

    def int_div(self, left: str, right: str) -> str:
        """Integer division of two integers (rounded towards zero)."""
        return f"({left} // {right})"

    def hamming(self, left: str, right: str) -> str:
        """Number of differing positions of two strings of equal length."""
        return f"hamming({left}, {right})"

    def string_agg(self, expr: str, sep: str) -> str:
        """Distinct values of ``expr`` joined by ``sep``, sorted."""
        return f"string_agg(DISTINCT {expr}, {self.literal(sep)} ORDER BY {expr})"

    def remove_chars(self, expr: str, chars: str) -> str:
        """``expr`` without any of ``chars`` (a regex character class body)."""
        return f"regexp_replace({expr}, {self.literal(f'[{chars}]')}, '', 'g')"


def check_rewrite(pattern: str, template: Sequence[int | str]) -> None:
    """Refuse what an engine would read otherwise than :meth:`Dialect.rewrite` means: a pattern
    not anchored with ``^``, a group number not in 0-9 or followed by a digit (for Java, ``$1``
    then ``2`` is group 12)."""
    if not pattern.startswith("^"):
        raise ValueError(f"a rewrite pattern must start with ^: {pattern!r}")
    for k, part in enumerate(template):
        if isinstance(part, int):
            after = template[k + 1] if k + 1 < len(template) else ""
            if not 0 <= part <= 9 or (isinstance(after, str) and after[:1].isdigit()):
                raise ValueError(f"group {part} cannot be written before {after!r}")


def check_groups(groups: int) -> None:
    """Refuse a group count :meth:`Dialect.replace_all` cannot write (Java reads $10 as $1 0)."""
    if not 1 <= groups <= 9:
        raise ValueError(f"replace_all writes groups 1 to 9, not {groups}")


def char_blocks(mapping: Mapping[str, str], gap: int = 32) -> list[tuple[int, int]]:
    """The code point ranges of :meth:`Dialect.map_chars`: the keys of ``mapping`` (one
    character each, mapped to '' or one character), nearby code points in one range."""
    if any(len(k) != 1 or len(v) > 1 for k, v in mapping.items()):
        raise ValueError("map_chars maps one character to '' or one character")
    return code_runs(mapping, gap)


def code_runs(chars: Iterable[str], gap: int = 1) -> list[tuple[int, int]]:
    """The code points of ``chars`` as sorted (first, last) ranges, a code point at most
    ``gap`` past the last one joining its range (``gap`` 1: runs of consecutive code points)."""
    runs: list[list[int]] = []
    for code in sorted({ord(ch) for ch in chars}):
        if runs and code - runs[-1][1] <= gap:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    return [(lo, hi) for lo, hi in runs]


def char_class(chars: str) -> str:
    """A regular-expression class holding exactly ``chars`` (runs of code points as ranges;
    characters a class would read otherwise escaped)."""

    def one(code: int) -> str:
        ch = chr(code)
        return "\\" + ch if ch in "\\]^-[" else ch

    runs = code_runs(chars)
    return "[" + "".join(one(a) if a == b else f"{one(a)}-{one(b)}" for a, b in runs) + "]"


DUCKDB = Dialect()


TableFn = Callable[["pa.Table"], "pa.Table"]
"""A function over a table of rows (see :meth:`Engine.map_table`)."""


class Engine(Protocol):
    """What the inspection needs from an engine."""

    dialect: Dialect

    def load(
        self, name: str, path: Place, columns: Sequence[Column], mapping: Mapping[str, str]
    ) -> Source:
        """Read the input file (or folder of part files, :mod:`tenken.linkage.parts`) ``path``
        into table ``name``: ``columns`` as strings under their ASCII names, and ``row``.
        Problems with the file itself (encoding, header, column count, types) are
        :class:`InputError`; the rows are checked afterwards in SQL
        (:mod:`tenken.linkage.checks`)."""

    def register(self, name: str, table: pa.Table) -> None:
        """Make an Arrow table queryable as ``name``."""

    def run(self, step: Step) -> None:
        """Create table ``step.name`` from ``step.sql``."""

    def arrow(self, sql: str) -> pa.Table:
        """The result of a query as an Arrow table."""

    def copy(self, sql: str, path: Path, fmt: str) -> None:
        """Write the result of a query to ``path`` as ``fmt`` ("csv" or "parquet")."""

    def lookup(self, name: str, sql: str, fn: Callable[[str], str]) -> None:
        """Create table ``name`` (raw, key): ``fn`` of each value of the query's column ``v``
        (distinct, non-empty values)."""

    def map_table(self, name: str, sql: str, fn: TableFn, schema: pa.Schema) -> None:
        """Create table ``name`` (columns ``schema``): ``fn`` applied to the query's rows.

        ``fn`` must work row by row: its output for a set of rows is the union of its outputs
        for any split of them. DuckDB calls it once on the whole result, in process; Spark
        calls it on each Arrow batch on the executors (``mapInArrow``)."""

    def batches(self, sql: str) -> Iterator[pa.RecordBatch]:
        """The result of a query (in its ``ORDER BY`` order), a batch at a time: the driver
        holds one batch, never the whole result."""

    def close(self) -> None:
        """Release the engine's resources."""


def release(engine: Engine, *names: str) -> None:
    """Drop tables no later step reads, on engines that can (:meth:`DuckDBEngine.release`);
    elsewhere a no-op (Spark frees what it cached itself)."""
    drop = getattr(engine, "release", None)
    if drop is not None:
        drop(*names)


class EngineError(RuntimeError):
    """A generated statement failed: carries the step name and the full SQL (a bug, not input)."""


MEMORY_SHARE = 0.4
"""Share of the machine's memory DuckDB may hold before it spills to its temporary folder."""
MEMORY_CAP = 6 << 30
"""At most this much (the Python side, the normaliser's caches and the workers come on top)."""


def memory_limit() -> int:
    """DuckDB's memory limit in bytes: :data:`MEMORY_SHARE` of physical memory, at most
    :data:`MEMORY_CAP`, at least 1 GiB."""
    try:
        physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        physical = 4 << 30
    return max(1 << 30, min(MEMORY_CAP, int(physical * MEMORY_SHARE)))


LOOKUP_SLICE = 1 << 15
"""Values per batch of :meth:`DuckDBEngine.lookup`, each one task for a worker (a few
tenths of a second of ``address_key``: small enough to keep every worker busy to the end)."""


BATCH_ROWS = 10_000
"""Rows per batch of :meth:`Engine.batches`."""


class DuckDBEngine:
    """Embedded DuckDB, in memory, spilling to ``temp_dir`` (by default a temporary folder
    removed at :meth:`close`) beyond :func:`memory_limit`."""

    dialect = DUCKDB

    def __init__(self, threads: int | None = None, temp_dir: Path | None = None) -> None:
        import duckdb

        self._duckdb = duckdb
        self._con = duckdb.connect(":memory:")
        self._con.execute("SET preserve_insertion_order = false")
        # DuckDB's own progress bar prints to stdout for queries over two seconds: it would
        # garble the CLI's progress display and, with stdout a pipe nobody reads, block the run
        self._con.execute("SET enable_progress_bar = false")
        if threads:
            self._con.execute(f"SET threads = {int(threads)}")
        self._registered: set[str] = set()
        self._views: dict[str, str] = {}  # input view -> the table it numbers (see _fill)
        self._spill: tempfile.TemporaryDirectory[str] | None = None
        if temp_dir is None:
            self._spill = tempfile.TemporaryDirectory(prefix="tenken-duckdb-")
            temp_dir = Path(self._spill.name)
        target = str(temp_dir).replace("'", "''")
        self._con.execute(f"SET temp_directory = '{target}'")
        self._con.execute(f"SET memory_limit = '{memory_limit() >> 20}MB'")

    def release(self, *names: str) -> None:
        """Drop tables no later step reads (their memory goes back to the pool)."""
        for name in names:
            if name in self._registered:  # an Arrow table of the Python side
                self._con.unregister(name)
                self._registered.discard(name)
            elif name in self._views:  # an input read in file order (see _fill)
                self._con.execute(f"DROP VIEW IF EXISTS {name}")
                self._con.execute(f"DROP TABLE IF EXISTS {self._views.pop(name)}")
            else:
                self._con.execute(f"DROP TABLE IF EXISTS {name}")

    def load(
        self, name: str, path: Place, columns: Sequence[Column], mapping: Mapping[str, str]
    ) -> Source:
        """UTF-8 CSV and Parquet read by DuckDB itself (:mod:`tenken.linkage.duck_input`);
        CP932, Excel and Parquet with float or time columns by the Python readers. A folder's
        part files are read one after the other into one table (``row`` as
        :mod:`tenken.linkage.parts` numbers it)."""
        from tenken.linkage import duck_input, parts
        from tenken.linkage.readers import read, with_row

        local = duck_input.local_path(path)
        self.release(name)  # a table or view read into ``name`` before
        if local.is_dir():
            found, _ = parts.survey(local, parts.input_kind(local) or "csv", columns, mapping)
            for k, part in enumerate(found.paths):
                self._load_part(name, Path(part), columns, mapping, k << parts.PART_BITS)
            return found
        native = duck_input.native(local, columns, mapping)
        if native is None:
            loaded = read(local, columns, mapping)
            self.register(name, with_row(loaded.table))
            return loaded
        self._fill(name, native.sql, native.refused, numbered=native.numbered, view=True)
        return native.rows

    def _fill(
        self, name: str, sql: str, refused: Callable[[BaseException], InputError], *,
        numbered: bool, first: int = 0, view: bool = False,
    ) -> None:  # fmt: skip
        """Create table ``name`` from ``sql``, the query that reads an input file (or, with
        ``first`` > 0, insert into it), ``row`` numbered from ``first``. A query that numbers
        its rows itself (``numbered``) runs in file order; one that does not is read into a
        table in file order, whose ``rowid`` is the position: DuckDB reads a CSV file in
        parallel while it keeps the order, but not under ``row_number() OVER ()``. With
        ``view``, ``name`` is a view adding ``row`` to that table (no copy of the rows)."""
        into = f"INSERT INTO {name} BY NAME " if first else f"CREATE OR REPLACE TABLE {name} AS "
        if numbered:
            self._create(
                f"{into}SELECT * REPLACE (row + {int(first)} AS row) FROM ({sql})", refused
            )
            return
        scan = f"{name}_scan"
        self._create(f"CREATE OR REPLACE TABLE {scan} AS {sql}", refused)
        if view:
            self._execute(name, f"CREATE VIEW {name} AS SELECT *, rowid AS row FROM {scan}")
            self._views[name] = scan
            return
        try:
            self._execute(name, f"{into}SELECT *, rowid + {int(first)} AS row FROM {scan}")
        finally:
            self._con.execute(f"DROP TABLE IF EXISTS {scan}")

    def _create(self, sql: str, refused: Callable[[BaseException], InputError]) -> None:
        """Run the statement that reads an input file, in file order (the order in which
        ``row_number() OVER ()`` or ``rowid`` numbers the records)."""
        self._con.execute("SET preserve_insertion_order = true")
        try:
            self._con.execute(sql)
        except self._duckdb.Error as error:
            raise refused(error) from error
        finally:
            self._con.execute("SET preserve_insertion_order = false")

    def _load_part(
        self, name: str, path: Path, columns: Sequence[Column], mapping: Mapping[str, str],
        first: int,
    ) -> None:  # fmt: skip
        """Part file ``path`` into table ``name`` (created by the first part, ``first`` 0),
        its ``row`` numbers starting at ``first``."""
        from tenken.linkage import duck_input
        from tenken.linkage.readers import read, with_row

        native = duck_input.native(path, columns, mapping)
        if native is not None:
            self._fill(name, native.sql, native.refused, numbered=native.numbered, first=first)
            return
        self._con.register(f"{name}_part", with_row(read(path, columns, mapping).table))
        try:
            sql = f"SELECT * FROM {name}_part"
            self._fill(name, sql, duck_input.never_refused, numbered=True, first=first)
        finally:
            self._con.unregister(f"{name}_part")

    def register(self, name: str, table: pa.Table) -> None:
        self._con.register(name, table)
        self._registered.add(name)

    def run(self, step: Step) -> None:
        self._execute(step.name, f"CREATE OR REPLACE TABLE {step.name} AS {step.sql}")

    def arrow(self, sql: str) -> pa.Table:
        try:
            return self._con.sql(sql).to_arrow_table()
        except self._duckdb.Error as error:
            raise EngineError(f"query failed: {error}\n{sql}") from error

    def copy(self, sql: str, path: Path, fmt: str) -> None:
        options = "FORMAT csv, HEADER true" if fmt == "csv" else "FORMAT parquet"
        target = str(path).replace("'", "''")
        self._execute(f"copy {path.name}", f"COPY ({sql}) TO '{target}' ({options})")

    def lookup(self, name: str, sql: str, fn: Callable[[str], str]) -> None:
        """The result is read in batches of :data:`LOOKUP_SLICE` values, each keyed as it
        arrives by the workers of :class:`tenken.linkage.fanout.KeyPool` while the next is
        read; values and keys stay Arrow arrays in this process (8M addresses at 10M people
        would be gigabytes as Python strings)."""
        import pyarrow as pa

        from tenken.linkage import fanout

        raws: list[pa.Array] = []
        keyed: list[Future[pa.Array]] = []
        with fanout.KeyPool(fn) as pool:
            try:
                for batch in self._con.sql(sql).to_arrow_reader(LOOKUP_SLICE):
                    values = fanout.non_empty(batch.column(0))
                    if len(values):
                        raws.append(values)
                        keyed.append(pool.submit(values))
            except self._duckdb.Error as error:
                raise EngineError(f"query failed: {error}\n{sql}") from error
            keys = pool.results(keyed)
        table = pa.table(
            {
                "raw": pa.chunked_array(raws, pa.string()),
                "key": pa.chunked_array(keys, pa.string()),
            }
        )
        self.register(name, table)

    def map_table(self, name: str, sql: str, fn: TableFn, schema: pa.Schema) -> None:
        """One call of ``fn`` on the whole result (the Python side holds it anyway)."""
        result = fn(self.arrow(sql))
        self.register(name, result if result.schema == schema else result.cast(schema))

    def batches(self, sql: str) -> Iterator[pa.RecordBatch]:
        try:
            reader = self._con.sql(sql).to_arrow_reader(BATCH_ROWS)
        except self._duckdb.Error as error:
            raise EngineError(f"query failed: {error}\n{sql}") from error
        yield from reader

    def close(self) -> None:
        self._con.close()
        if self._spill is not None:
            self._spill.cleanup()

    def _execute(self, name: str, sql: str) -> None:
        try:
            self._con.execute(sql)
        except self._duckdb.Error as error:
            raise EngineError(f"step {name} failed: {error}\n{sql}") from error


@dataclass(frozen=True)
class EngineKind:
    """An engine the CLI offers: its name, a Japanese description and how to start it."""

    name: str
    label: str
    start: Callable[[Path | None], Engine]


def _duckdb(temp_dir: Path | None) -> Engine:
    return DuckDBEngine(temp_dir=temp_dir)


def _spark(temp_dir: Path | None) -> Engine:
    from tenken.linkage.spark import SparkEngine

    return SparkEngine(temp_dir=temp_dir)


ENGINES: dict[str, EngineKind] = {
    kind.name: kind
    for kind in (
        EngineKind("duckdb", "DuckDB（組み込み、1台で実行）", _duckdb),
        EngineKind("spark", "Apache Spark（pip install -e '.[spark]' と Java 17 が必要）", _spark),
    )
}
"""Every engine, by name (the CLI's --engine choices)."""


def engine_kind(name: str) -> EngineKind:
    """The registered engine ``name``; an unknown name is an :class:`InputError` listing them."""
    kind = ENGINES.get(name)
    if kind is None:
        raise InputError(
            f"エンジン「{name}」はありません",
            hint="使えるエンジン: " + "、".join(f"{k.name}（{k.label}）" for k in ENGINES.values()),
        )
    return kind


def make_engine(name: str, temp_dir: Path | None = None) -> Engine:
    """Start the engine called ``name`` (see :func:`engine_kind`)."""
    return engine_kind(name).start(temp_dir)
