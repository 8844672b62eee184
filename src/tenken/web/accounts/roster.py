"""Read a roster CSV (the organisations a round asks) into checked rows, reporting every bad line.

Columns (header row required, UTF-8 with or without BOM, or Shift_JIS as Excel saves it):
``組織名`` (the survey's spelling, e.g. ``14神奈川県相模原市``), ``組織区分`` (``都道府県`` /
``市区町村``, derived from 組織名 when empty) and ``メールアドレス`` (optional).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from tenken.errors import InputError, Location
from tenken.survey.local_governments import lookup_org_name

REQUIRED_COLUMNS = ("組織名",)
KNOWN_COLUMNS = ("組織名", "組織区分", "メールアドレス")


@dataclass(frozen=True)
class RosterRow:
    """One organisation of the roster, with its prefecture and login name derived."""

    org_name: str
    kind: str
    prefecture: str
    email: str
    username: str


def decode(data: bytes, source: str) -> str:
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(
        "名簿の文字コードを読めません", location=Location(source), hint="UTF-8 で保存してください"
    )


def parse_roster(data: bytes, source: str = "名簿.csv") -> list[RosterRow]:
    """Parse and check a roster; raises one InputError listing every bad line."""
    reader = csv.DictReader(io.StringIO(decode(data, source)))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise InputError(
            f"名簿に列 {'・'.join(missing)} がありません",
            location=Location(source, 1),
            hint=f"1行目は見出し行です（使える列: {'、'.join(KNOWN_COLUMNS)}）",
        )
    rows: list[RosterRow] = []
    errors: list[str] = []
    seen: set[str] = set()
    for line, record in enumerate(reader, start=2):
        clean = {(k or "").strip(): (v or "").strip() for k, v in record.items()}
        row, error = _row(clean)
        if error is None and row is not None and row.org_name in seen:
            error = f"{row.org_name} が重複しています"
        if error:
            errors.append(f"{line}行目: {error}")
        elif row is not None:
            seen.add(row.org_name)
            rows.append(row)
    if errors:
        raise InputError(
            f"名簿に {len(errors)} 件の誤りがあります:\n" + "\n".join(errors),
            location=Location(source),
            hint="組織名は「14神奈川県相模原市」「13東京都」のように書きます",
        )
    if not rows:
        raise InputError("名簿に組織がありません", location=Location(source))
    return rows


def _row(record: dict[str, str]) -> tuple[RosterRow | None, str | None]:
    name = record.get("組織名", "")
    if not name:
        return None, None  # blank line
    government = lookup_org_name(name)
    kind = record.get("組織区分", "") or (government.kind if government else "")
    if kind not in ("都道府県", "市区町村"):
        return None, f"組織区分 {kind!r} は「都道府県」か「市区町村」にしてください"
    if government is None:
        return None, f"組織名 {name!r} が地方公共団体の一覧にありません"
    if government.kind != kind:
        return None, f"{name} の組織区分は {government.kind} です"
    username = f"r{government.code6}"
    email = record.get("メールアドレス", "")
    return RosterRow(name, kind, government.prefecture, email, username), None
