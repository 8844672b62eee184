"""Attachments the questionnaire asks for (事務取扱要領, Q10 概要, …): checked, kept, listed.

Files are stored content-addressed under ``<workspace>/uploads/blobs/<sha256>``; the store's
``ResponseAttachment`` rows (name, size, SHA-256) tie them to the organisation's current
response, and every later web save carries them over to the new version.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

MAX_BYTES = 10 * 1024 * 1024
# suffix → accepted leading bytes (PDF; OOXML and ODF are zip; legacy Office is OLE2; text)
_MAGIC: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
    ".txt": (b"",),
}
ALLOWED = tuple(_MAGIC)
_UNSAFE = re.compile(r"[\x00-\x1f/\\:*?\"<>|]")


class AttachmentError(ValueError):
    """An upload that is refused; the message is shown to the respondent."""


@dataclass(frozen=True)
class Checked:
    name: str
    data: bytes
    sha256: str


def check(filename: str, data: bytes) -> Checked:
    """Refuse empty, oversized, or unexpected files (by suffix and by their first bytes)."""
    name = _UNSAFE.sub("_", Path(filename).name).strip() or "attachment"
    suffix = Path(name).suffix.lower()
    if suffix not in _MAGIC:
        raise AttachmentError(f"この種類のファイルは受け付けません（{'、'.join(ALLOWED)}）")
    if not data:
        raise AttachmentError("空のファイルです")
    if len(data) > MAX_BYTES:
        raise AttachmentError("ファイルが大きすぎます（10MB まで）")
    if not any(data.startswith(magic) for magic in _MAGIC[suffix]):
        raise AttachmentError(f"ファイルの中身が {suffix} の形式ではありません")
    if suffix == ".txt":
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise AttachmentError("テキストファイルは UTF-8 で保存してください") from error
    return Checked(name, data, hashlib.sha256(data).hexdigest())


def blob_path(folder: Path, sha256: str) -> Path:
    if not re.fullmatch(r"[0-9a-f]{64}", sha256):
        raise AttachmentError("不正なファイル指定です")
    return folder / "blobs" / sha256


def keep(folder: Path, checked: Checked) -> Path:
    """Write the file once (same content, same path), atomically."""
    path = blob_path(folder, checked.sha256)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(checked.data)
        os.replace(tmp, path)
    return path


def generated(name: str, data: bytes) -> Checked:
    """A document the product made itself (e.g. the Q10 概要 as HTML): no upload check needed,
    but the same safe name and the same content address as an upload."""
    safe = _UNSAFE.sub("_", Path(name).name).strip() or "attachment"
    return Checked(safe, data, hashlib.sha256(data).hexdigest())
