"""Write the inspection's results: verdicts.csv/.parquet, summary.json and review.xlsx.

Everything is written into a staging folder beside ``out`` that replaces ``out`` as a whole at
the end (:func:`tenken.fileio.atomic_folder`), so an interrupted run leaves either the old or the
new results, never a mix, and the next run removes what a killed one left. Full My Numbers stay
out of the files people read: candidate lists are masked in SQL from a table built with
:func:`tenken.normalize.mynumber.mask`, and the review sheet masks the linked number the same
way. Only case_evidence.parquet (:mod:`tenken.linkage.evidence`), the input of
``tenken review import``, holds full numbers, as the inspection's input files do.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from tenken import xlsxlist
from tenken.fileio import FORMULA_START, atomic_folder
from tenken.linkage import tables
from tenken.linkage.columns import VERDICTS, reason_labels
from tenken.linkage.engine import Dialect, Engine, release
from tenken.normalize.mynumber import mask

OUTPUT_NAMES = frozenset(
    {"verdicts.csv", "verdicts.parquet", "summary.json", "review.xlsx", "case_evidence.parquet"}
)


def escape_sql(expr: str) -> str:
    """The SQL form of :func:`tenken.fileio.escape_formula`."""
    starts = " OR ".join(f"left({expr}, 1) = chr({ord(c)})" for c in FORMULA_START)
    return f"CASE WHEN {starts} THEN '''' || {expr} ELSE {expr} END"


def verdict_label_sql(expr: str) -> str:
    """The Japanese label of a verdict code, in SQL."""
    cases = " ".join(f"WHEN '{code}' THEN '{label}'" for code, label in VERDICTS.items())
    return f"CASE {expr} {cases} END"


def verdicts_select(d: Dialect) -> str:
    """The columns of verdicts.csv / verdicts.parquet, in input order."""
    label = verdict_label_sql("verdict")
    return f"""SELECT {escape_sql("rid")} AS {d.quote("制度固有番号")}, verdict,
  {label} AS {d.quote("判定")}, reasons, candidates, duplicate_group,
  {d.cast_text("state_from")} AS state_from, {d.cast_text("state_to")} AS state_to
FROM {tables.VERDICTS} ORDER BY row"""


def counts(engine: Engine) -> dict[str, int]:
    """Records per verdict (every verdict listed, zeros included)."""
    sql = f"SELECT verdict, count(*) AS n FROM {tables.VERDICTS} GROUP BY verdict"
    rows = engine.arrow(sql).to_pylist()
    found = {str(r["verdict"]): int(r["n"]) for r in rows}
    return {code: found.get(code, 0) for code in VERDICTS}


@dataclass(frozen=True)
class ReviewColumn:
    """One column of review.xlsx: header, the field of the review query, width in characters,
    and the fact it shows (its cell is highlighted when a reason says that fact differs)."""

    header: str
    field: str
    width: int
    fact: str = ""


REVIEW_COLUMNS = (
    ReviewColumn("制度固有番号", "rid", 14),
    ReviewColumn("判定", "verdict", 16),
    ReviewColumn("理由", "reasons", 40),
    ReviewColumn("候補の個人番号", "candidates", 20),
    ReviewColumn("重複グループ", "duplicate_group", 10),
    ReviewColumn("記録: 氏名", "r_name", 16, "name"),
    ReviewColumn("住基: 氏名", "s_name", 16, "name"),
    ReviewColumn("記録: 氏名カナ", "r_kana", 16, "kana"),
    ReviewColumn("住基: 氏名カナ", "s_kana", 16, "kana"),
    ReviewColumn("記録: 生年月日", "r_birth", 12, "birth"),
    ReviewColumn("住基: 生年月日", "s_birth", 12, "birth"),
    ReviewColumn("記録: 性別", "r_sex", 6, "sex"),
    ReviewColumn("住基: 性別", "s_sex", 6, "sex"),
    ReviewColumn("記録: 住所", "r_address", 36, "address"),
    ReviewColumn("住基: 住所", "s_address", 36, "address"),
    ReviewColumn("記録: 個人番号", "mn", 16),
    ReviewColumn("住基の状態: 開始", "vfrom", 12),
    ReviewColumn("住基の状態: 終了", "vto", 12),
    ReviewColumn("記録: 紐付け日", "linked_on", 12),
)

REVIEW_HEADERS = tuple(c.header for c in REVIEW_COLUMNS)

DIFFERING_FACT = {
    "name_differs": "name",
    "name_unverifiable": "name",
    "kana_differs": "kana",
    "birth_differs": "birth",
    "sex_differs": "sex",
    "address_differs": "address",
}
"""Reason code -> the fact whose two cells review.xlsx highlights."""

_REVIEW_SQL = f"""SELECT v.row, v.rid, v.verdict, v.reasons, v.candidates, v.duplicate_group,
  r.name AS r_name, s.name AS s_name, r.kana AS r_kana, s.kana AS s_kana,
  r.birth AS r_birth, s.birth AS s_birth, r.sex AS r_sex, s.sex AS s_sex,
  r.address AS r_address, s.address AS s_address, v.mn, s.vfrom, s.vto, r.linked_on
FROM {tables.VERDICTS} v JOIN {tables.REC_IN} r ON v.row = r.row
LEFT JOIN {tables.REG_IN} s ON s.row = v.evidence_srow
WHERE v.verdict <> 'confirmed'"""

_EXCEL_MAX_CHARS = 32767
# XML 1.0 cannot hold U+FFFE/U+FFFF (the sheet writer escapes the C0 controls as _xHHHH_).
_NOT_XML = {"\ufffe": "\ufffd", "\uffff": "\ufffd"}
_FORMULA = "^[" + "".join(f"\\x{{{ord(c):x}}}" for c in FORMULA_START) + "]"
"""Text starting like a formula (:data:`tenken.fileio.FORMULA_START`), as a regex."""


def cell_texts(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Texts as review.xlsx stores them, column at a time: formula-escaped
    (:func:`~tenken.fileio.escape_formula`), XML-safe, within Excel's cell limit; null is an
    empty cell."""
    text = pc.fill_null(values.cast(pa.string()), "")
    quoted = pc.binary_join_element_wise("'", text, "")
    text = pc.if_else(pc.match_substring_regex(text, _FORMULA), quoted, text)
    for char, replacement in _NOT_XML.items():
        text = pc.replace_substring(text, char, replacement)
    return pc.utf8_slice_codeunits(text, 0, _EXCEL_MAX_CHARS)  # code points, as str[:n]


def by_value(
    values: pa.Array | pa.ChunkedArray, fn: Callable[[Any], str]
) -> pa.Array | pa.ChunkedArray:
    """``fn`` of each distinct value (null included), for every row: a handful of calls for
    the verdicts and reasons of thousands of rows."""
    distinct = pc.unique(values)
    mapped = pa.array([fn(v) for v in distinct.to_pylist()], pa.string())
    return pc.take(mapped, pc.index_in(values, distinct))


def differing_facts(reasons: str | None) -> set[str]:
    """The facts a row's reason codes say differ (their cells are highlighted)."""
    return {DIFFERING_FACT[c] for c in (reasons or "").split(";") if c in DIFFERING_FACT}


REVIEW_SCHEMA = pa.schema(
    [("row", pa.int64()), *((c.field, pa.string()) for c in REVIEW_COLUMNS), ("facts", pa.string())]
)
"""The columns of :func:`review_cells`: the record's ``row``, its cells, and the facts that
differ (``;``-separated)."""


def review_cells(rows: pa.Table) -> pa.Table:
    """The cells of review rows as review.xlsx shows them (labels instead of codes, the linked
    number masked, :func:`cell_texts`) and their differing facts: computed where the rows are
    (:meth:`Engine.map_table`), column at a time."""
    shown = {
        "verdict": by_value(rows["verdict"], VERDICTS.__getitem__),
        "reasons": by_value(rows["reasons"], lambda codes: reason_labels(codes or "")),
        "mn": by_value(rows["mn"], mask),
    }
    columns: dict[str, Any] = {"row": rows["row"]}
    for column in REVIEW_COLUMNS:
        columns[column.field] = cell_texts(shown.get(column.field, rows[column.field]))
    columns["facts"] = by_value(rows["reasons"], lambda r: ";".join(sorted(differing_facts(r))))
    return pa.table(columns, schema=REVIEW_SCHEMA)


REVIEW_LAYOUT = xlsxlist.Layout(
    "要確認一覧", REVIEW_HEADERS, tuple(c.width for c in REVIEW_COLUMNS)
)
_FACT_PATTERN = {c.fact: f"(^|;){c.fact}(;|$)" for c in REVIEW_COLUMNS if c.fact}


def _sheet_batch(batch: pa.RecordBatch) -> xlsxlist.Batch:
    """A batch of the review table as the list's cells: a fact's cells are highlighted in the
    rows whose ``facts`` name it."""
    facts = batch.column("facts")
    marked = {f: pc.match_substring_regex(facts, p) for f, p in _FACT_PATTERN.items()}
    return xlsxlist.Batch(
        [batch.column(c.field) for c in REVIEW_COLUMNS],
        [marked[c.fact] if c.fact else None for c in REVIEW_COLUMNS],
    )


def write_review(engine: Engine, path: Path, per_sheet: int = xlsxlist.EXCEL_ROWS - 1) -> int:
    """review.xlsx: every record that is not confirmed, record and registry side by side.

    The cells are computed by the engine (:func:`review_cells`; on Spark on the executors)
    and streamed in input order (:meth:`Engine.batches`) into :func:`tenken.xlsxlist.write_list`
    (frozen header, autofilter, column widths, the differing facts highlighted, A4 landscape
    with the header repeated on every printed page). A list longer than ``per_sheet`` rows
    continues on further sheets. Returns the number of rows.
    """
    engine.map_table(tables.REVIEW, _REVIEW_SQL, review_cells, REVIEW_SCHEMA)
    count = f"SELECT count(*) AS n FROM {tables.REVIEW}"
    total = int(engine.arrow(count).column(0)[0].as_py())
    batches = engine.batches(f"SELECT * FROM {tables.REVIEW} ORDER BY row")
    xlsxlist.write_list(path, REVIEW_LAYOUT, total, map(_sheet_batch, batches), per_sheet)
    release(engine, tables.REVIEW)
    return total


def write_all(engine: Engine, out: Path, summary: Mapping[str, Any]) -> dict[str, Path]:
    """Write every output file into ``out`` (atomically) and return their paths.

    summary.json lists every other file's size and SHA-256 (``files``), so that
    ``tenken review import`` can prove the folder complete and unedited.
    """
    from tenken.linkage.evidence import evidence_select
    from tenken.linkage.manifest import checksums

    data = tuple(sorted(OUTPUT_NAMES - {"summary.json"}))
    with atomic_folder(out, OUTPUT_NAMES) as temp:
        select = verdicts_select(engine.dialect)
        engine.copy(select, temp / "verdicts.csv", "csv")
        engine.copy(select, temp / "verdicts.parquet", "parquet")
        write_review(engine, temp / "review.xlsx")
        engine.copy(evidence_select(engine.dialect), temp / "case_evidence.parquet", "parquet")
        summary = {**summary, "files": checksums(temp, data)}
        text = json.dumps(summary, ensure_ascii=False, indent=2) + "\n"
        (temp / "summary.json").write_text(text, encoding="utf-8")
    return {name: out / name for name in sorted(OUTPUT_NAMES)}
