"""Checksums of an inspect output, recorded in its summary.json, and the check of a folder.

``tenken inspect`` writes ``files`` into summary.json: for every other output file its size and
SHA-256. :func:`verify_output` proves that a folder is a complete, unedited inspect output (all
files there, none changed since inspect wrote them) before ``tenken review import`` reads it.
This catches partial copies, edited files and folders that are not inspect outputs; it is not a
signature (whoever can edit the files can also rewrite summary.json).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from tenken.errors import InputError

SUMMARY = "summary.json"
REQUIRED = ("verdicts.parquet", "case_evidence.parquet")
"""Files ``tenken review import`` reads; each must be listed in summary.json's ``files``."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def checksums(folder: Path, names: Iterable[str]) -> dict[str, dict[str, Any]]:
    """``{name: {"bytes": size, "sha256": hex}}`` for the files ``names`` in ``folder``."""
    return {
        name: {"bytes": (folder / name).stat().st_size, "sha256": sha256_file(folder / name)}
        for name in names
    }


def _refuse(folder: Path, message: str) -> InputError:
    return InputError(
        f"{folder}: {message}",
        hint="tenken inspect の出力フォルダを、変更せずにそのまま指定してください",
    )


def read_summary(folder: Path) -> dict[str, Any]:
    path = folder / SUMMARY
    if not folder.is_dir():
        raise _refuse(folder, "フォルダではありません")
    if not path.is_file():
        raise _refuse(folder, f"{SUMMARY} がありません（tenken inspect の出力ではありません）")
    try:
        summary = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise _refuse(folder, f"{SUMMARY} を読めません（{error}）") from error
    if not isinstance(summary, dict) or not isinstance(summary.get("files"), dict):
        raise _refuse(
            folder, f"{SUMMARY} にファイルのチェックサムがありません（古い版の inspect の出力です）"
        )
    return summary


def verify_output(folder: Path) -> dict[str, Any]:
    """The folder's summary when every listed file is present and unchanged; else InputError
    naming the first problem (missing file, changed size or content, file not listed)."""
    summary = read_summary(folder)
    files: dict[str, Any] = summary["files"]
    for name in REQUIRED:
        if name not in files:
            raise _refuse(folder, f"{SUMMARY} に {name} が記録されていません")
    for name, expected in sorted(files.items()):
        path = folder / name
        if Path(name).name != name or not path.is_file():
            raise _refuse(folder, f"{name} がありません（コピーが途中で終わっていませんか）")
        if not isinstance(expected, dict) or path.stat().st_size != expected.get("bytes"):
            raise _refuse(folder, f"{name} の大きさが inspect の記録と違います（変更されています）")
        if sha256_file(path) != expected.get("sha256"):
            raise _refuse(folder, f"{name} の内容が inspect の記録と違います（変更されています）")
    return summary


def fingerprint(folder: Path) -> str:
    """One hash naming the output: SHA-256 of summary.json (which holds every file's hash)."""
    return sha256_file(folder / SUMMARY)
