"""The one guard in front of every .xlsx read (answer sheets, inspect's records and registry).

Checked before openpyxl or the fast path touches the file:

* the path is a regular file, read bounded (:func:`tenken.fileio.read_bytes`): a FIFO or a
  link to ``/dev/zero`` is refused without reading;
* size, the zip signature, the OLE/CFB signature (a password-protected .xlsx is an encrypted
  CFB container, as is a legacy .xls), macros, the number of members;
* the declared uncompressed sizes and compression ratios (Python's zipfile never inflates a
  member past its declared size, so checking the declared sizes bounds the work: zip bombs);
* every member is parsed with expat hardened as :mod:`defusedxml` hardens it (a DTD, an entity
  declaration or an external reference stops the parse), whatever the member's name or its
  encoding (UTF-16 included). Members that are not XML at all must be media or binary parts.

openpyxl itself then reads worksheets through defusedxml (it uses it when installed).
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

from tenken.errors import InputError, Location
from tenken.fileio import MB, read_bytes, size_error

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"
# Parts that may be something other than XML (pictures, printer settings, embedded objects).
BINARY_SUFFIXES = frozenset(
    {".png", ".jpeg", ".jpg", ".gif", ".bmp", ".tif", ".tiff", ".emf", ".wmf", ".bin", ".wdp"}
)
_CHUNK = 1 << 16


@dataclass(frozen=True)
class Limits:
    """Generous for a one-page answer sheet (ours is about 15 KB), tight for an attack."""

    max_file_bytes: int = 10 * MB
    max_members: int = 200
    max_member_bytes: int = 20 * MB
    max_total_bytes: int = 50 * MB
    max_ratio: float = 100.0


SHEET_LIMITS = Limits()
"""Answer sheets."""
TABLE_LIMITS = Limits(
    max_file_bytes=512 * MB, max_members=1000, max_member_bytes=4096 * MB,
    max_total_bytes=4096 * MB,
)  # fmt: skip
"""Registry and records workbooks of ``tenken inspect`` (Excel's own limit is ~1M rows)."""


def read_workbook(path: Path, limits: Limits = SHEET_LIMITS, what: str = "ファイル") -> bytes:
    """The bytes of a checked, harmless workbook file."""
    data = read_bytes(path, what, limits.max_file_bytes)
    check_workbook_bytes(data, str(path), limits)
    return data


def check_workbook_bytes(data: bytes, source: str, limits: Limits = SHEET_LIMITS) -> None:
    """Raise :class:`InputError` when ``data`` is not a plain, harmless .xlsx package."""
    loc = Location(source)
    if len(data) > limits.max_file_bytes:
        raise size_error(source, len(data), limits.max_file_bytes).with_code("E-XLSX-SIZE")
    if data.startswith(OLE_SIGNATURE):
        raise InputError(
            "パスワードで保護（暗号化）されたファイルか、旧形式（.xls）のファイルです",
            location=loc,
            hint="パスワードを解除し、Excel ブック（.xlsx）として保存し直してください",
            code="E-XLSX-ENCRYPTED",
        )
    if not data.startswith(ZIP_SIGNATURE):
        raise InputError(
            "Excel ファイル（.xlsx）ではありません",
            location=loc,
            hint="Excel ブック（.xlsx）として保存したファイルを指定してください",
            code="E-XLSX-NOT-XLSX",
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            _check_members(archive, members, loc, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError) as error:
        raise InputError(
            f"ファイルが壊れています（{error}）",
            location=loc,
            hint="Excel で開けるか確認し、保存し直してください",
            code="E-XLSX-BROKEN",
        ) from error


def _bomb(loc: Location) -> InputError:
    return InputError(
        "展開すると極端に大きくなるファイルです（zip bomb の疑い）",
        location=loc,
        hint="Excel で開けるか確認し、保存し直してください",
        code="E-XLSX-BOMB",
    )


def _check_members(
    archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], loc: Location, limits: Limits
) -> None:
    if len(members) > limits.max_members:
        raise InputError(
            f"ファイルの構成要素が多すぎます（{len(members)} 個）", location=loc,
            code="E-XLSX-BOMB",
        )  # fmt: skip
    names = {m.filename for m in members}
    if any(posixpath.basename(n).lower() == "vbaproject.bin" for n in names):
        raise InputError(
            "マクロを含むファイルです",
            location=loc,
            hint="マクロなしの Excel ブック（.xlsx）として保存し直してください",
            code="E-XLSX-MACRO",
        )
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise InputError(
            "Excel ブックではありません（Word や ZIP などの別のファイルです）", location=loc,
            code="E-XLSX-NOT-XLSX",
        )  # fmt: skip
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if (
            member.file_size > limits.max_member_bytes
            or total > limits.max_total_bytes
            or (ratio > limits.max_ratio and member.file_size > MB)
        ):
            raise _bomb(loc)
    if b"macroEnabled" in archive.read("[Content_Types].xml"):
        raise InputError(
            "マクロ有効ブック（.xlsm）です",
            location=loc,
            hint="マクロなしの Excel ブック（.xlsx）として保存し直してください",
            code="E-XLSX-MACRO",
        )
    for member in members:
        if not member.is_dir():
            _check_part(archive, member, loc)


class _Forbidden(Exception):
    """A DTD, entity or external reference in a part."""


def _forbid(*_: object) -> int:
    raise _Forbidden


def _hardened_parser() -> expat.XMLParserType:
    """expat with every DTD feature refused (what defusedxml does), no element callbacks."""
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _forbid
    parser.EntityDeclHandler = _forbid
    parser.UnparsedEntityDeclHandler = _forbid
    parser.ExternalEntityRefHandler = _forbid
    parser.NotationDeclHandler = _forbid
    return parser


def _check_part(archive: zipfile.ZipFile, member: zipfile.ZipInfo, loc: Location) -> None:
    parser = _hardened_parser()
    read = 0
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(_CHUNK):
                read += len(chunk)
                if read > member.file_size:
                    raise _bomb(loc)
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _Forbidden as error:
        raise InputError(
            f"不正な XML（DTD・実体宣言）を含むファイルです（{member.filename}）",
            location=loc,
            hint="Excel で開き、.xlsx として保存し直してください",
            code="E-XLSX-DTD",
        ) from error
    except expat.ExpatError as error:
        if posixpath.splitext(member.filename)[1].lower() in BINARY_SUFFIXES:
            return  # a picture or binary part: not XML, and openpyxl does not parse it
        raise InputError(
            f"ファイルが壊れています（{member.filename} が XML として読めません: {error}）",
            location=loc,
            hint="Excel で開けるか確認し、保存し直してください",
            code="E-XLSX-BROKEN",
        ) from error
