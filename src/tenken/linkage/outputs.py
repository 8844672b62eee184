"""Write the inspection's results: verdicts.csv/.parquet, summary.json and review.xlsx.

Everything is written into a staging folder beside ``out`` that replaces ``out`` as a whole at
the end (:func:`tenken.fileio.atomic_folder`), so an interrupted run leaves either the old or the
new results, never a mix, and the next run removes what a killed one left. Full My Numbers never
leave the engine: candidate lists are masked in SQL from a table built with
:func:`tenken.normalize.mynumber.mask`, and the review sheet masks the linked number the same way.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tenken.fileio import FORMULA_START, atomic_folder, escape_formula
from tenken.linkage.columns import VERDICTS, reason_labels
from tenken.linkage.engine import Engine
from tenken.normalize.mynumber import mask

OUTPUT_NAMES = frozenset({"verdicts.csv", "verdicts.parquet", "summary.json", "review.xlsx"})


def escape_sql(expr: str) -> str:
    """The SQL form of :func:`escape_formula`."""
    starts = " OR ".join(f"left({expr}, 1) = chr({ord(c)})" for c in FORMULA_START)
    return f"CASE WHEN {starts} THEN '''' || {expr} ELSE {expr} END"


def verdict_label_sql(expr: str) -> str:
    """The Japanese label of a verdict code, in SQL."""
    cases = " ".join(f"WHEN '{code}' THEN '{label}'" for code, label in VERDICTS.items())
    return f"CASE {expr} {cases} END"


def verdicts_select() -> str:
    """The columns of verdicts.csv / verdicts.parquet, in input order."""
    label = verdict_label_sql("verdict")
    return f"""SELECT {escape_sql("rid")} AS 制度固有番号, verdict, {label} AS 判定,
  reasons, candidates, duplicate_group, CAST(state_from AS VARCHAR) AS state_from,
  CAST(state_to AS VARCHAR) AS state_to
FROM verdicts ORDER BY row"""


def counts(engine: Engine) -> dict[str, int]:
    """Records per verdict (every verdict listed, zeros included)."""
    rows = engine.arrow("SELECT verdict, count(*) AS n FROM verdicts GROUP BY verdict").to_pylist()
    found = {str(r["verdict"]): int(r["n"]) for r in rows}
    return {code: found.get(code, 0) for code in VERDICTS}


REVIEW_HEADERS = (
    "制度固有番号", "判定", "理由", "候補の個人番号", "重複グループ",
    "記録: 氏名", "住基: 氏名", "記録: 氏名カナ", "住基: 氏名カナ",
    "記録: 生年月日", "住基: 生年月日", "記録: 性別", "住基: 性別",
    "記録: 住所", "住基: 住所", "記録: 個人番号", "住基の状態: 開始", "住基の状態: 終了",
    "記録: 紐付け日",
)  # fmt: skip

_REVIEW_SQL = """SELECT v.rid, v.verdict, v.reasons, v.candidates, v.duplicate_group,
  r.name AS r_name, s.name AS s_name, r.kana AS r_kana, s.kana AS s_kana,
  r.birth AS r_birth, s.birth AS s_birth, r.sex AS r_sex, s.sex AS s_sex,
  r.address AS r_address, s.address AS s_address, v.mn, s.vfrom, s.vto, r.linked_on
FROM verdicts v JOIN rec_in r ON v.row = r.row LEFT JOIN reg_in s ON s.row = v.evidence_srow
WHERE v.verdict <> 'confirmed' ORDER BY v.row"""


def _review_row(row: Mapping[str, Any]) -> list[Any]:
    values = [
        row["rid"], VERDICTS[row["verdict"]], reason_labels(row["reasons"] or ""),
        row["candidates"], row["duplicate_group"], row["r_name"], row["s_name"], row["r_kana"],
        row["s_kana"], row["r_birth"], row["s_birth"], row["r_sex"], row["s_sex"],
        row["r_address"], row["s_address"], mask(row["mn"]), row["vfrom"], row["vto"],
        row["linked_on"],
    ]  # fmt: skip
    return [escape_formula(v) if isinstance(v, str) else v for v in values]


def write_review(engine: Engine, path: Path) -> int:
    """review.xlsx: every record that is not confirmed, record and registry side by side."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet("要確認一覧")
    sheet.freeze_panes = "B2"
    widths = (14, 16, 40, 20, 10) + (18,) * 14
    for k, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + k)].width = width
    from openpyxl.cell import WriteOnlyCell

    header = []
    for text in REVIEW_HEADERS:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    written = 0
    for batch in engine.arrow(_REVIEW_SQL).to_batches(10000):
        for row in batch.to_pylist():
            sheet.append(_review_row(row))
            written += 1
    book.save(path)
    return written


def write_all(engine: Engine, out: Path, summary: Mapping[str, Any]) -> dict[str, Path]:
    """Write every output file into ``out`` (atomically) and return their paths."""
    with atomic_folder(out, OUTPUT_NAMES) as temp:
        engine.copy(verdicts_select(), temp / "verdicts.csv", "csv")
        engine.copy(verdicts_select(), temp / "verdicts.parquet", "parquet")
        write_review(engine, temp / "review.xlsx")
        text = json.dumps(summary, ensure_ascii=False, indent=2) + "\n"
        (temp / "summary.json").write_text(text, encoding="utf-8")
    return {name: out / name for name in sorted(OUTPUT_NAMES)}
