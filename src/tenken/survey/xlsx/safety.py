"""Refuse hostile or unreadable workbook files before openpyxl touches them.

Checked on the raw bytes and the zip directory only (nothing is parsed as XML here):
size, the zip signature, the OLE/CFB signature (a password-protected .xlsx is stored as an
encrypted CFB container, as is a legacy .xls), macros, the number of members, the declared
uncompressed sizes and compression ratios (Python's zipfile never inflates a member past its
declared size, so checking the declared sizes bounds the work), and DTDs in XML parts.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from tenken.errors import InputError, Location

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"


@dataclass(frozen=True)
class Limits:
    """Generous for a one-page answer sheet (ours is about 15 KB), tight for an attack."""

    max_file_bytes: int = 10 * 1024 * 1024
    max_members: int = 200
    max_member_bytes: int = 20 * 1024 * 1024
    max_total_bytes: int = 50 * 1024 * 1024
    max_ratio: float = 100.0


DEFAULT_LIMITS = Limits()


def check_workbook_bytes(data: bytes, source: str, limits: Limits = DEFAULT_LIMITS) -> None:
    """Raise :class:`InputError` when ``data`` is not a plain, harmless .xlsx package."""
    loc = Location(source)
    if len(data) > limits.max_file_bytes:
        raise InputError(
            f"ファイルが大きすぎます（{len(data) / 1024 / 1024:.1f} MB）",
            location=loc,
            hint=f"回答シートは {limits.max_file_bytes // 1024 // 1024} MB 以下です。"
            "画像などを貼り付けていないか確認してください",
        )
    if data.startswith(OLE_SIGNATURE):
        raise InputError(
            "パスワードで保護（暗号化）されたファイルか、旧形式（.xls）のファイルです",
            location=loc,
            hint="パスワードを解除し、Excel ブック（.xlsx）として保存し直してください",
        )
    if not data.startswith(ZIP_SIGNATURE):
        raise InputError(
            "Excel ファイル（.xlsx）ではありません",
            location=loc,
            hint="配布した回答シート（.xlsx）に回答して送ってください",
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            _check_members(archive, members, loc, limits)
    except zipfile.BadZipFile as error:
        raise InputError(
            f"ファイルが壊れています（{error}）",
            location=loc,
            hint="Excel で開けるか確認し、保存し直してください",
        ) from error


def _check_members(
    archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], loc: Location, limits: Limits
) -> None:
    if len(members) > limits.max_members:
        raise InputError(f"ファイルの構成要素が多すぎます（{len(members)} 個）", location=loc)
    names = {m.filename for m in members}
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise InputError(
            "マクロを含むファイルです",
            location=loc,
            hint="マクロなしの Excel ブック（.xlsx）として保存し直してください",
        )
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise InputError(
            "Excel ブックではありません（Word や ZIP などの別のファイルです）", location=loc
        )
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if (
            member.file_size > limits.max_member_bytes
            or total > limits.max_total_bytes
            or (ratio > limits.max_ratio and member.file_size > 1024 * 1024)
        ):
            raise InputError(
                "展開すると極端に大きくなるファイルです（zip bomb の疑い）",
                location=loc,
                hint="配布した回答シートに回答して送ってください",
            )
    content_types = archive.read("[Content_Types].xml")
    if b"macroEnabled" in content_types:
        raise InputError(
            "マクロ有効ブック（.xlsm）です",
            location=loc,
            hint="マクロなしの Excel ブック（.xlsx）として保存し直してください",
        )
    for member in members:
        if member.filename.endswith((".xml", ".rels")):
            head = archive.read(member.filename)
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise InputError("不正な XML（DTD）を含むファイルです", location=loc)
