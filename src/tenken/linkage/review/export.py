"""The corrections file for the source system: one row per approved case (CSV or xlsx).

It holds full My Numbers (the numbers to set), so it is written with owner-only permissions
(0600) and replaced atomically; the store records who exported it and why.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tenken.errors import InputError
from tenken.fileio import escape_formula

HEADERS = ("制度固有番号", "処理", "処理コード", "設定する個人番号", "番号の根拠", "判断者",
           "判断日時", "承認者", "承認日時")  # fmt: skip
FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class CorrectionRow:
    rid: str
    action_label: str
    action: str
    number: str
    number_source: str
    decided_by: str
    decided_at: str
    approved_by: str
    approved_at: str

    def values(self) -> list[str]:
        values = [self.rid, self.action_label, self.action, self.number, self.number_source,
                  self.decided_by, self.decided_at, self.approved_by, self.approved_at]  # fmt: skip
        return [escape_formula(v) or "" for v in values]


def csv_bytes(rows: Sequence[CorrectionRow], encoding: str = "utf-8") -> bytes:
    """The rows as CSV in ``encoding`` (utf-8 gets a BOM for Excel; cp932 for older systems)."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow(row.values())
    codec = "utf-8-sig" if encoding.replace("-", "").lower() == "utf8" else encoding
    try:
        return text.getvalue().encode(codec)
    except UnicodeEncodeError as error:
        line = text.getvalue()[: error.start].count("\n") + 1
        raise InputError(
            f"{line}行目に {encoding} で表せない文字があります",
            hint="--encoding utf-8 で出力してください",
        ) from error
    except LookupError as error:
        raise InputError(f"文字コード {encoding} は使えません", hint="utf-8 か cp932") from error


def xlsx_bytes(rows: Sequence[CorrectionRow]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "訂正一覧"
    sheet.append(list(HEADERS))
    for row in rows:
        sheet.append(row.values())
    for column in ("A", "D"):  # keep leading zeros: IDs and numbers are text
        for cell in sheet[column]:
            cell.number_format = "@"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` readable by the owner only, replacing it atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temp, 0o600)
        os.replace(temp, path)
    finally:
        if temp.exists():
            temp.unlink()


def render(rows: Sequence[CorrectionRow], fmt: str, encoding: str = "utf-8") -> bytes:
    if fmt not in FORMATS:
        raise InputError(f"形式 {fmt} には対応していません", hint="csv または xlsx")
    return csv_bytes(rows, encoding) if fmt == "csv" else xlsx_bytes(rows)
