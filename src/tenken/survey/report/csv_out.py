"""CSV exports that are safe to open in Excel.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return could be read by a
spreadsheet as a formula (CSV injection): such a text gets a leading ``'``. Files are UTF-8 with
a BOM so that Excel reads the Japanese correctly.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from tenken.survey.report.figures import share
from tenken.survey.report.model import ReportData
from tenken.survey.textcells import csv_text, without_control_characters

Cell = str | int | float | bool


def safe_cell(value: Cell) -> str | int | float:
    """Neutralise text that a spreadsheet would run as a formula; numbers pass unchanged."""
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if isinstance(value, int | float):
        return value
    return csv_text(without_control_characters(value))


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    """CSV text (CRLF line ends, every text cell made safe)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return buffer.getvalue()


def organisations_csv(data: ReportData) -> str:
    """One row per organisation: status, flags, level and the rules that fired."""
    divided = any(o.seido for o in data.orgs)
    header = ["団体コード", "組織名", *(["制度等"] if divided else []), "組織区分", "都道府県",
              "状況", "名簿内", "情報未入力あり", "未回答あり", "不備件数", "判定",
              "該当ルール"]  # fmt: skip
    rows: Iterable[list[Cell]] = (
        [
            o.code,
            o.org_name,
            *([o.seido] if divided else []),
            o.kind,
            o.prefecture,
            o.state,
            o.in_roster,
            o.missing_info,
            o.unanswered,
            o.problems,
            o.level,
            " ".join(o.rules),
        ]
        for o in data.orgs
    )
    return to_csv(header, rows)


def tallies_csv(data: ReportData) -> str:
    """One row per item, group and choice: respondents and share (a round with several 制度:
    the overall rows, then each 制度's, with a 制度等 column)."""
    header = [
        "項番",
        "区分",
        "選択肢",
        "選択肢の文言",
        "件数",
        "割合",
        "回答数",
        "回答対象",
        "無回答",
    ]
    parts = [("全体", data), *data.by_seido] if data.by_seido else [("", data)]
    if data.by_seido:
        header.insert(0, "制度等")
    rows: list[list[Cell]] = []
    for name, part in parts:
        seido = [name] if data.by_seido else []
        for tally in part.tallies:
            for group, g in tally.groups.items():
                for code, label in zip(tally.codes, tally.labels, strict=True):
                    count = g.counts[code]
                    rows.append([*seido, tally.item, group, code, label, count,
                                 share(count, g.answered), g.answered, g.applicable,
                                 g.no_answer])  # fmt: skip
    return to_csv(header, rows)
