"""Checks of the input rows, run as SQL in the engine: one rule for every engine.

Whether an engine read the file itself (Spark) or was handed the Python readers' table
(DuckDB), the same statements find a blank required cell, a repeated 制度固有番号 and a date
or sex that does not read, and :class:`Source` turns the offending ``row`` back into file, line
and column. Values are parsed by the Python normalisers once per distinct value, on the driver
(dates and sexes have few distinct values).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Protocol

import pyarrow as pa

from tenken.errors import InputError, Location, NormalizeError, echo
from tenken.linkage.engine import Dialect, Engine, Step, release
from tenken.linkage.readers import BLANK
from tenken.linkage.tables import DATES, DATES_PARSED
from tenken.normalize.date import parse_date
from tenken.normalize.sex import normalize_sex


class Source(Protocol):
    """Where an input table's rows come from (:class:`tenken.linkage.readers.Loaded` is one)."""

    def location(self, index: int | None, name: str | None = None) -> Location:
        """The file, line and header of the row whose ``row`` is ``index``, column ``name``."""


@dataclass(frozen=True)
class Input:
    """An input as the engine holds it: table ``table`` (with ``row``) read from ``source``."""

    table: str
    source: Source


def blank(d: Dialect, expr: str) -> str:
    """SQL: ``expr`` is NULL or only white space (:data:`tenken.linkage.readers.BLANK`)."""
    return f"({expr} IS NULL OR {d.full_match(expr, BLANK)})"


def first_row(engine: Engine, table: str, condition: str) -> int | None:
    """The smallest ``row`` of ``table`` where ``condition`` holds."""
    found = engine.arrow(f"SELECT min(row) AS r FROM {table} WHERE {condition}").column(0)[0]
    value = found.as_py()
    return None if value is None else int(value)


def _blank_error(what: str, where: Location, hint: str) -> InputError:
    return InputError(f"{what}が空です", location=where, hint=hint, code="E-INPUT-BLANK")


def check_filled(engine: Engine, data: Input, name: str, what: str, hint: str) -> None:
    """Stop on the first row whose column ``name`` is blank."""
    row = first_row(engine, data.table, blank(engine.dialect, name))
    if row is not None:
        raise _blank_error(what, data.source.location(row, name), hint)


def check_unique(engine: Engine, data: Input, name: str) -> None:
    """Stop on a blank or repeated value in column ``name`` (e.g. 制度固有番号): the first row
    whose value is blank or was seen on an earlier row."""
    check_filled(
        engine, data, name, "値", "どの記録にも値を入れてください（空の行は削除してください）"
    )
    repeated = (
        f"(SELECT row, row_number() OVER (PARTITION BY {name} ORDER BY row) AS k "
        f"FROM {data.table}) x"
    )
    row = first_row(engine, repeated, "k > 1")
    if row is None:
        return
    value = engine.arrow(f"SELECT {name} AS v FROM {data.table} WHERE row = {row}").column(0)[0]
    raise InputError(
        f"「{echo(value.as_py())}」が重複しています",
        location=data.source.location(row, name),
        hint="1つの記録に1つの値を割り当ててください",
        code="E-INPUT-DUPLICATE",
    )


Parsed = tuple[list[str], list[object]]

WESTERN_DATE = "([0-9]{4})[-/.年]([0-9]{1,2})[-/.月]([0-9]{1,2})日?"


def western_date(d: Dialect, expr: str) -> str:
    """SQL: ``expr`` as a DATE when it is a western date in ASCII digits (1980-01-02,
    1980/1/2, 1980.1.2, 1980年1月2日) of a day that exists from year 1 on; else NULL. For such
    text this is what :func:`tenken.normalize.date.parse_date` answers (its ``_WESTERN`` rule;
    tested on every engine): parse_date stays the rule, the engine only reads the spellings
    nearly every file uses, so that the normaliser sees the other spellings alone."""
    parts = d.extract_groups(expr, WESTERN_DATE, ("y", "m", "d"))
    iso = f"{parts}.y || '-' || lpad({parts}.m, 2, '0') || '-' || lpad({parts}.d, 2, '0')"
    exists = f"{d.full_match(expr, WESTERN_DATE)} AND left({expr}, 4) <> '0000'"
    return f"CASE WHEN {exists} THEN {d.try_date(iso)} END"


def parse_values(
    engine: Engine,
    columns: Sequence[tuple[Input, str, bool]],
    fn: Callable[[str], object],
    what: str,
    hint: str,
    read_in_sql: Callable[[str], str] | None = None,
) -> Parsed:
    """Parse each distinct non-blank value of the given (input, column, required) triples with
    ``fn``; stop at the first blank cell of a required column, or at the earliest row holding
    a value ``fn`` refuses. One query per column: each distinct value with its first row.
    ``read_in_sql`` (a column -> an SQL expression, NULL where it cannot read the value) leaves
    out the values the engine reads itself."""
    d = engine.dialect
    raws: dict[str, object] = {}
    for data, name, required in columns:
        sql = (
            f"SELECT {name} AS v, min(row) AS r, {blank(d, name)} AS b "
            f"FROM {data.table} GROUP BY {name}"
        )
        if read_in_sql:  # once per distinct value, not per row
            sql = f"SELECT * FROM ({sql}) x WHERE b OR {read_in_sql('v')} IS NULL"
        values = engine.arrow(sql).to_pylist()
        blanks = [int(v["r"]) for v in values if v["b"]]
        if required and blanks:
            raise _blank_error(what, data.source.location(min(blanks), name), hint)
        refused: list[tuple[int, str, NormalizeError]] = []
        for value in values:
            raw = value["v"]
            if value["b"] or raw in raws:
                continue
            try:
                raws[raw] = fn(raw)
            except NormalizeError as error:
                refused.append((int(value["r"]), raw, error))
        if refused:
            row, raw, cause = min(refused, key=lambda item: item[0])
            raise InputError(
                f"{what}として読めません: 「{echo(raw)}」",
                location=data.source.location(row, name),
                hint=cause.hint or hint,
            ) from cause
    return list(raws), list(raws.values())


def dates(engine: Engine, columns: Sequence[tuple[Input, str, bool]]) -> None:
    """Create ``dates``: ``raw`` -> ``d`` (DATE) for every distinct date text in the given
    columns. Western dates are read by the engine (:func:`western_date`), every other spelling by
    :func:`~tenken.normalize.date.parse_date`, once per distinct value."""
    hint = "例: 1980-01-02、1980/1/2、昭和55年1月2日"
    d = engine.dialect
    read = partial(western_date, d)
    raw, parsed = parse_values(engine, columns, parse_date, "日付", hint, read)
    days = [v.isoformat() if isinstance(v, dt.date) else None for v in parsed]
    engine.register(
        DATES_PARSED,
        pa.table({"raw": pa.array(raw, pa.string()), "d": pa.array(days, pa.string())}),
    )
    texts = " UNION ".join(f"SELECT {name} AS v FROM {data.table}" for data, name, _ in columns)
    engine.run(
        Step(
            DATES,
            # a join, not a filter on the engine's reading: a filter would be pushed below
            # the UNION and read every row instead of every distinct value
            f"SELECT x.v AS raw, coalesce({read('x.v')}, CAST(p.d AS DATE)) AS d "
            f"FROM ({texts}) x LEFT JOIN {DATES_PARSED} p ON x.v = p.raw",
        )
    )
    release(engine, DATES_PARSED)


def sexes(engine: Engine, columns: Sequence[tuple[Input, str, bool]]) -> pa.Table:
    """``raw`` -> ``s`` ("1", "2" or "9") for every distinct sex value."""
    hint = "1/2/9 または 男/女 で入力してください"
    raw, parsed = parse_values(engine, columns, normalize_sex, "性別", hint)
    return pa.table({"raw": pa.array(raw, pa.string()), "s": pa.array(parsed, pa.string())})
