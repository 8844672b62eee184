"""The organisations a survey asks: a roster CSV, or every local government by default.

Columns (a header row, UTF-8 with or without BOM, or Shift_JIS as Excel saves it):
``組織名`` and ``組織区分`` (required), ``制度等``, ``属性`` and ``メールアドレス`` (optional).
Every bad line is reported at once, each with its file, row and column.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from tenken.errors import InputError, Location
from tenken.fileio import decode_text, read_bytes
from tenken.survey.local_governments import all_local_governments
from tenken.survey.model import Questionnaire

REQUIRED = ("組織名", "組織区分")
OPTIONAL = ("制度等", "属性", "メールアドレス")


@dataclass(frozen=True)
class RosterEntry:
    """One organisation to ask, with the values pre-filled in its answer sheet."""

    org_name: str
    org_kind: str
    seido: str = ""
    zokusei: str = ""
    email: str = ""

    def prefill(self) -> dict[str, str]:
        values = {"組織名": self.org_name, "組織区分": self.org_kind}
        if self.seido:
            values["制度等"] = self.seido
        if self.zokusei:
            values["属性"] = self.zokusei
        return values


def local_government_roster() -> list[RosterEntry]:
    """All 1,788 local governments (47 prefectures and 1,741 municipalities)."""
    return [RosterEntry(lg.org_name, lg.kind) for lg in all_local_governments()]


def _decode(data: bytes, source: str) -> str:
    """UTF-8 or Shift_JIS (CP932); else the line of the first bad byte (:mod:`tenken.fileio`)."""
    return decode_text(data, source)


def read_roster(path: Path, q: Questionnaire) -> list[RosterEntry]:
    """Read and check a roster CSV; one InputError lists every bad line."""
    source = str(path)
    return parse_roster(read_bytes(path, "名簿"), source, q)


def parse_roster(data: bytes, source: str, q: Questionnaire) -> list[RosterEntry]:
    """Like :func:`read_roster`, on the file's bytes (an upload in the web site)."""
    reader = csv.DictReader(io.StringIO(_decode(data, source)))
    header = [(h or "").strip() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InputError(
            f"名簿に列 {'・'.join(missing)} がありません",
            location=Location(source, 1),
            hint=f"1行目は見出し行です（列: {'、'.join(REQUIRED + OPTIONAL)}）",
        )
    kinds = q.choices_of(q.field("組織区分")).codes()
    entries: list[RosterEntry] = []
    errors: list[InputError] = []
    seen: dict[str, int] = {}
    for row, record in enumerate(reader, start=2):
        clean = {(k or "").strip(): (v or "").strip() for k, v in record.items() if k}
        entry = RosterEntry(
            clean.get("組織名", ""),
            clean.get("組織区分", ""),
            clean.get("制度等", ""),
            clean.get("属性", ""),
            clean.get("メールアドレス", ""),
        )
        problem = _check(entry, kinds, seen)
        if problem:
            column, message = problem
            errors.append(InputError(message, location=Location(source, row, column)))
            continue
        seen[entry.org_name] = row
        entries.append(entry)
    if errors:
        listing = "\n".join(f"  - {e}" for e in errors[:50])
        more = f"\n  …ほか {len(errors) - 50} 件" if len(errors) > 50 else ""
        raise InputError(
            f"名簿に {len(errors)} 件の誤りがあります:\n{listing}{more}",
            location=Location(source, errors[0].location.row if errors[0].location else None),
        )
    if not entries:
        raise InputError("名簿に組織が1件もありません", location=Location(source))
    return entries


def _check(
    entry: RosterEntry, kinds: tuple[str, ...], seen: dict[str, int]
) -> tuple[str, str] | None:
    if not entry.org_name:
        return "組織名", "組織名が空欄です"
    if entry.org_name in seen:
        return (
            "組織名",
            f"組織名 {entry.org_name} が重複しています（{seen[entry.org_name]}行目と同じ）",
        )
    if entry.org_kind not in kinds:
        return "組織区分", f"組織区分 {entry.org_kind!r} は {'・'.join(kinds)} のいずれかです"
    if any(c in entry.org_name for c in '\\/:*?"<>|'):
        return "組織名", f"組織名 {entry.org_name} にファイル名に使えない文字があります"
    return None
