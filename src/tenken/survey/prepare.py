"""Read and check one answer file for the store (no Django here: this runs in worker processes).

The file is read through the one reader registry (:mod:`tenken.survey.sources`).

A sheet's attachments are the other files beside it: every non-sheet file of its folder when
the folder holds one sheet, otherwise the files whose name starts with the sheet's name
(``14神奈川県相模原市.xlsx`` → ``14神奈川県相模原市_事務取扱要領.pdf``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tenken.errors import InputError, Location
from tenken.fileio import check_regular_file
from tenken.survey.document import AnswerDocument
from tenken.survey.engine import Evaluation, evaluate
from tenken.survey.model import Questionnaire
from tenken.survey.sources import parse_answers, read_answer_file

SHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls")
ANSWER_SUFFIXES = (*SHEET_SUFFIXES, ".json")


@dataclass(frozen=True)
class FileInfo:
    name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Prepared:
    """Everything the store keeps about one answer file."""

    path: str
    sha256: str
    org_name: str
    org_kind: str
    respondent: dict[str, str]
    answers: dict[str, Any]
    problems: list[dict[str, str]]
    missing_info: bool
    unanswered: bool
    attachments_requested: list[str]
    received_at: dt.datetime
    attachments: list[FileInfo] = field(default_factory=list)
    issued_round: str = ""
    issued_seido: str = ""  # the 制度 its sheet was generated for ("" = not said)
    seido: str = ""  # the 制度 key the store files it under (set by the store's admission)

    @classmethod
    def of(
        cls,
        document: AnswerDocument,
        evaluation: Evaluation,
        *,
        path: str,
        sha256: str,
        org_name: str,
        org_kind: str,
        received_at: dt.datetime,
        attachments: list[FileInfo] | None = None,
        seido: str = "",
    ) -> Prepared:
        """What the store keeps of a document and the engine's evaluation of it."""
        return cls(
            path=path,
            sha256=sha256,
            org_name=org_name,
            org_kind=org_kind,
            respondent=dict(document.respondent),
            answers=dict(document.answers),
            problems=[p.to_json() for p in evaluation.problems],
            missing_info=evaluation.missing_info,
            unanswered=evaluation.unanswered,
            attachments_requested=[a.label for a in evaluation.attachments],
            received_at=received_at,
            attachments=attachments or [],
            issued_round=document.issued_round,
            issued_seido=document.issued_seido,
            seido=seido,
        )


@dataclass(frozen=True)
class Rejected:
    path: str
    message: str
    error: InputError | None = None


def _skip(path: Path) -> bool:
    return path.name.startswith((".", "~$"))


def collect(paths: Iterable[Path]) -> list[Path]:
    """Answer files named directly, plus every answer file (sheets and JSON) under the named
    folders (sorted)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                p
                for p in sorted(path.rglob("*"))
                # not only regular files: a FIFO named .xlsx is rejected with a message
                if not p.is_dir() and p.suffix.lower() in ANSWER_SUFFIXES and not _skip(p)
            )
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def attachments_beside(sheet: Path, siblings: list[Path] | None = None) -> Iterator[Path]:
    """The files that came with ``sheet``; pass ``siblings`` (its folder's files) when known."""
    if siblings is None:
        siblings = list_folder(sheet.parent)
    answers = [p for p in siblings if p.suffix.lower() in ANSWER_SUFFIXES]
    for p in siblings:
        if p.suffix.lower() in ANSWER_SUFFIXES:
            continue
        if len(answers) == 1 or p.name.startswith(sheet.stem):
            yield p


def list_folder(folder: Path) -> list[Path]:
    return [p for p in sorted(folder.iterdir()) if p.is_file() and not _skip(p)]


def with_attachments(paths: list[Path]) -> list[tuple[Path, list[Path]]]:
    """Each answer file with its attachments (each folder is listed once)."""
    folders: dict[Path, list[Path]] = {}
    result: list[tuple[Path, list[Path]]] = []
    for path in paths:
        if path.parent not in folders:
            folders[path.parent] = list_folder(path.parent) if path.parent.is_dir() else []
        result.append((path, list(attachments_beside(path, folders[path.parent]))))
    return result


def _hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_info(path: Path) -> FileInfo:
    """Size and SHA-256 of an attachment, hashed in blocks (a FIFO or device is refused)."""
    info = check_regular_file(path, "添付ファイル")
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return FileInfo(path.name, info.st_size, digest.hexdigest())


def prepare(
    item: Path | tuple[Path, list[Path]],
    q: Questionnaire,
    already_attached: tuple[str, ...] = (),
) -> Prepared | Rejected:
    """Read, check and evaluate one file; a file that cannot be used becomes :class:`Rejected`.

    ``item`` is a path (its attachments are looked up beside it) or a path with its
    attachments already listed (:func:`with_attachments`, used for many files at once).
    ``already_attached`` names attachments given before (the site's uploads), which count
    for the ``missing_attachment`` check as the files beside the sheet do.
    """
    if isinstance(item, tuple):
        path, beside = item
    else:
        path, beside = item, None
    try:
        if beside is None:
            beside = list(attachments_beside(path))
        data = read_answer_file(path)
        received = dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC)
        document = parse_answers(path, data, q)
        org_name = document.respondent.get("組織名", "").strip()
        if not org_name:
            raise InputError(
                "組織名が空欄のため、どの組織の回答か分かりません",
                location=Location(str(path)),
                hint="回答シートの組織名を入力して送り直してもらってください",
            )
        attached = [*already_attached, *(p.name for p in beside)]
        evaluation = evaluate(q, document, attached=attached)
        attachments = [_file_info(p) for p in beside]
    except InputError as error:
        return Rejected(str(path), str(error), error)
    except OSError as error:
        return Rejected(str(path), f"{path}: {error.strerror or error}")
    except Exception as error:  # one file's unexpected failure must not stop the batch
        return Rejected(str(path), f"{path}: 読み込みに失敗しました（{type(error).__name__}）")
    return Prepared.of(
        document,
        evaluation,
        path=str(path),
        sha256=_hash(data),
        org_name=org_name,
        org_kind=document.respondent.get("組織区分", "").strip(),
        received_at=received,
        attachments=attachments,
    )
