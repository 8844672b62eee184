"""An inspect output uploaded as a zip: extracted safely into a temporary folder.

Refused: not a zip, absolute or ``..`` paths, links, more than a few files, and more bytes
than :data:`MAX_BYTES` once extracted (zip bombs). Messages never show server paths.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import IO, Any

from tenken.errors import InputError, TenkenError

MAX_BYTES = 2 * 1024**3
MAX_FILES = 20


def _members(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    infos = [i for i in archive.infolist() if not i.is_dir()]
    if len(infos) > MAX_FILES:
        raise InputError(f"zip の中のファイルが多すぎます（{MAX_FILES} 個まで）")
    if sum(i.file_size for i in infos) > MAX_BYTES:
        raise InputError("zip を展開すると大きすぎます")
    for info in infos:
        path = PurePosixPath(info.filename)
        if path.is_absolute() or ".." in path.parts or len(path.parts) > 2:
            raise InputError(f"zip の中のパスが使えません: {info.filename[:80]}")
        if (info.external_attr >> 16) & 0o170000 == 0o120000:
            raise InputError(f"zip の中にリンクがあります: {info.filename[:80]}")
    return infos


@contextmanager
def extracted(upload: IO[bytes] | Any) -> Iterator[Path]:
    """The folder holding summary.json inside the uploaded zip (removed afterwards)."""
    temp = Path(tempfile.mkdtemp(prefix="tenken-import-"))
    try:
        try:
            archive = zipfile.ZipFile(upload)
        except (zipfile.BadZipFile, OSError) as error:
            raise InputError("zip ファイルではありません") from error
        with archive:
            infos = _members(archive)
            for info in infos:
                target = (
                    temp / "out" / PurePosixPath(info.filename).name
                    if len(PurePosixPath(info.filename).parts) == 1
                    else temp / PurePosixPath(info.filename)
                )
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(info) as source, target.open("wb") as sink:
                    shutil.copyfileobj(source, sink)
        summaries = list(temp.glob("*/summary.json"))
        if len(summaries) != 1:
            raise InputError(
                "zip に点検結果のフォルダ（summary.json を含む）が1つだけ入っていません"
            )
        yield summaries[0].parent
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def public_message(error: TenkenError) -> str:
    """The error without server paths (the temporary folder of an upload)."""
    text = str(error)
    for marker in ("/tmp/", tempfile.gettempdir()):
        while marker in text:
            start = text.index(marker)
            end = text.find(": ", start)
            text = text[:start] + "アップロードしたフォルダ" + (text[end:] if end > 0 else "")
    return text
