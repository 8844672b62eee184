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
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from tenken.fileio import FORMULA_START, atomic_folder, escape_formula
from tenken.linkage import tables
from tenken.linkage.columns import VERDICTS, reason_labels
from tenken.linkage.engine import Dialect, Engine, release
from tenken.normalize.mynumber import mask

OUTPUT_NAMES = frozenset(
    {"verdicts.csv", "verdicts.parquet", "summary.json", "review.xlsx", "case_evidence.parquet"}
)


def escape_sql(expr: str) -> str:
    """The SQL form of :func:`escape_formula`."""
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
# XML 1.0 cannot hold U+FFFE/U+FFFF (xlsxwriter escapes the C0 controls itself as _xHHHH_).
_NOT_XML = str.maketrans({"\ufffe": "\ufffd", "\uffff": "\ufffd"})


def cell_text(value: str) -> str:
    """Text as review.xlsx stores it: formula-escaped, XML-safe, within Excel's cell limit."""
    text = escape_formula(value) or ""
    return text.translate(_NOT_XML)[:_EXCEL_MAX_CHARS]


def review_values(row: Mapping[str, Any]) -> list[str]:
    """The cells of one review row (labels instead of codes, the linked number masked)."""
    shown = dict(row)
    shown["verdict"] = VERDICTS[row["verdict"]]
    shown["reasons"] = reason_labels(row["reasons"] or "")
    shown["mn"] = mask(row["mn"])
    return [
        cell_text(str(shown[c.field])) if shown[c.field] is not None else "" for c in REVIEW_COLUMNS
    ]


def differing_facts(reasons: str | None) -> set[str]:
    """The facts a row's reason codes say differ (their cells are highlighted)."""
    return {DIFFERING_FACT[c] for c in (reasons or "").split(";") if c in DIFFERING_FACT}


REVIEW_SCHEMA = pa.schema(
    [("row", pa.int64()), *((c.field, pa.string()) for c in REVIEW_COLUMNS), ("facts", pa.string())]
)
"""The columns of :func:`review_cells`: the record's ``row``, its cells, and the facts that
differ (``;``-separated)."""


def review_cells(rows: pa.Table) -> pa.Table:
    """The cells of review rows, as review.xlsx shows them (:func:`review_values`), and their
    differing facts: computed where the rows are (:meth:`Engine.map_table`)."""
    records = rows.to_pylist()
    cells = [review_values(r) for r in records]
    columns: dict[str, list[Any]] = {"row": [r["row"] for r in records]}
    for k, column in enumerate(REVIEW_COLUMNS):
        columns[column.field] = [c[k] for c in cells]
    columns["facts"] = [";".join(sorted(differing_facts(r["reasons"]))) for r in records]
    return pa.table(columns, schema=REVIEW_SCHEMA)


def write_review(engine: Engine, path: Path) -> int:
    """review.xlsx: every record that is not confirmed, record and registry side by side.

    The cells are computed by the engine (:func:`review_cells`; on Spark on the executors)
    and streamed in input order (:meth:`Engine.batches`). Written with xlsxwriter in
    constant-memory mode (one row in memory at a time): frozen header, autofilter, column
    widths, the differing facts highlighted, A4 landscape with the header repeated on every
    printed page.
    """
    import xlsxwriter

    engine.map_table(tables.REVIEW, _REVIEW_SQL, review_cells, REVIEW_SCHEMA)

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    try:
        sheet = book.add_worksheet("要確認一覧")
        header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1,
                                  "text_wrap": True, "valign": "top"})  # fmt: skip
        plain = book.add_format({"num_format": "@"})
        differs = book.add_format({"num_format": "@", "bg_color": "#FCE4D6", "bold": True})
        for k, column in enumerate(REVIEW_COLUMNS):
            sheet.set_column(k, k, column.width)
            sheet.write_string(0, k, column.header, header)
        sheet.freeze_panes(1, 1)
        sheet.set_landscape()
        sheet.set_paper(9)  # A4
        sheet.repeat_rows(0)
        sheet.fit_to_pages(1, 0)  # all columns on the page width, as many pages as needed
        written = 0
        for batch in engine.batches(f"SELECT * FROM {tables.REVIEW} ORDER BY row"):
            for row in batch.to_pylist():
                written += 1
                facts = set(row["facts"].split(";")) - {""}  # "" is no fact
                for k, column in enumerate(REVIEW_COLUMNS):
                    text = row[column.field]
                    if column.fact in facts:
                        sheet.write_string(written, k, text, differs)
                    elif text:  # empty cells are left out (a third of them: ~30 % faster)
                        sheet.write_string(written, k, text, plain)
        sheet.autofilter(0, 0, max(written, 1), len(REVIEW_COLUMNS) - 1)
    finally:
        book.close()
    release(engine, tables.REVIEW)
    return written


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
