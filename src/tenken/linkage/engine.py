"""The two seams between the matching logic and a database engine (the Splink pattern).

- :class:`Dialect` knows how an engine spells the few functions that differ between engines.
- :class:`Engine` runs SQL text and moves Arrow tables in and out; the DuckDB engine is about
  40 lines. A Spark engine would implement the same five methods and a Spark dialect.

SQL is produced by the pure builders in :mod:`tenken.linkage.sql`; nothing else talks to DuckDB.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pyarrow as pa


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

    def contains_text(self, expr: str, text: str) -> str:
        """True when ``expr`` contains ``text`` (no regular expression)."""
        return f"contains({expr}, {self.literal(text)})"

    def length(self, expr: str) -> str:
        """Number of characters (code points) of ``expr``."""
        return f"length({expr})"

    def try_int(self, expr: str) -> str:
        """``expr`` as an integer, NULL when it is not one."""
        return f"TRY_CAST({expr} AS INTEGER)"

    def hamming(self, left: str, right: str) -> str:
        """Number of differing positions of two strings of equal length."""
        return f"hamming({left}, {right})"

    def string_agg(self, expr: str, sep: str) -> str:
        """Distinct values of ``expr`` joined by ``sep``, sorted."""
        return f"string_agg(DISTINCT {expr}, {self.literal(sep)} ORDER BY {expr})"

    def remove_chars(self, expr: str, chars: str) -> str:
        """``expr`` without any of ``chars`` (a regex character class body)."""
        return f"regexp_replace({expr}, {self.literal(f'[{chars}]')}, '', 'g')"


DUCKDB = Dialect()


class Engine(Protocol):
    """What the inspection needs from an engine."""

    dialect: Dialect

    def register(self, name: str, table: pa.Table) -> None:
        """Make an Arrow table queryable as ``name``."""

    def run(self, step: Step) -> None:
        """Create table ``step.name`` from ``step.sql``."""

    def arrow(self, sql: str) -> pa.Table:
        """The result of a query as an Arrow table."""

    def copy(self, sql: str, path: Path, fmt: str) -> None:
        """Write the result of a query to ``path`` as ``fmt`` ("csv" or "parquet")."""

    def close(self) -> None:
        """Release the engine's resources."""


class EngineError(RuntimeError):
    """A generated statement failed: carries the step name and the full SQL (a bug, not input)."""


class DuckDBEngine:
    """Embedded DuckDB, in memory, spilling to ``temp_dir`` when memory runs short."""

    dialect = DUCKDB

    def __init__(self, threads: int | None = None, temp_dir: Path | None = None) -> None:
        import duckdb

        self._duckdb = duckdb
        self._con = duckdb.connect(":memory:")
        self._con.execute("SET preserve_insertion_order = false")
        if threads:
            self._con.execute(f"SET threads = {int(threads)}")
        if temp_dir:
            self._con.execute(f"SET temp_directory = '{temp_dir}'")

    def register(self, name: str, table: pa.Table) -> None:
        self._con.register(name, table)

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

    def close(self) -> None:
        self._con.close()

    def _execute(self, name: str, sql: str) -> None:
        try:
            self._con.execute(sql)
        except self._duckdb.Error as error:
            raise EngineError(f"step {name} failed: {error}\n{sql}") from error


def make_engine(name: str, temp_dir: Path | None = None) -> Engine:
    """The engine called ``name`` (only "duckdb" for now)."""
    if name == "duckdb":
        return DuckDBEngine(temp_dir=temp_dir)
    raise ValueError(name)
