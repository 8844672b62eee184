"""Read an answer document from a file, whatever its format: the one reader registry.

Every path that reads answers (``tenken survey check``/``report``, ``ingest``, the site's upload)
dispatches here, so a new answer format is registered in one place. A reader takes the file's
bytes (read once: ingest hashes the same bytes it reads) and the name to show in messages.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tenken.errors import InputError, Location
from tenken.inputs import read_bytes
from tenken.survey.document import AnswerDocument, parse_json_bytes
from tenken.survey.model import Questionnaire

Reader = Callable[[bytes, Questionnaire, str], AnswerDocument]
READERS: dict[str, Reader] = {".json": parse_json_bytes}


def register_reader(suffix: str, reader: Reader) -> None:
    READERS[suffix.lower()] = reader


def reader_for(path: Path) -> Reader:
    """The reader registered for ``path``'s suffix; an unknown suffix is an InputError."""
    reader = READERS.get(Path(path).suffix.lower())
    if reader is None:
        known = "、".join(sorted(READERS))
        raise InputError(
            f"この形式（{Path(path).suffix or '拡張子なし'}）は読めません",
            location=Location(str(path)),
            hint=f"読める形式: {known}",
        )
    return reader


def parse_answers(path: Path, data: bytes, questionnaire: Questionnaire) -> AnswerDocument:
    """The document in ``data`` (the bytes of ``path``), read by the reader for its suffix."""
    return reader_for(path)(data, questionnaire, str(path))


def load_answers(path: Path, questionnaire: Questionnaire) -> AnswerDocument:
    """Dispatch on the file suffix; an unknown suffix or missing file is an InputError."""
    path = Path(path)
    if not path.is_file():
        raise InputError("ファイルがありません", location=Location(str(path)))
    reader = reader_for(path)
    return reader(read_bytes(path), questionnaire, str(path))


def _read_workbook(data: bytes, questionnaire: Questionnaire, source: str) -> AnswerDocument:
    """Excel answer sheets (imported lazily: openpyxl is only loaded when a sheet is read)."""
    from tenken.survey.xlsx.reader import read_sheet_bytes

    return read_sheet_bytes(data, questionnaire, source)


def _refuse_macro_workbook(data: bytes, q: Questionnaire, source: str) -> AnswerDocument:
    raise InputError(
        "マクロ有効ブック（.xlsm）は受け付けません",
        location=Location(source),
        hint="マクロなしの Excel ブック（.xlsx）として保存し直してください",
    )


# .xlsm and .xls are registered too, so that they get a clear refusal rather than "unknown"
# (.xls is refused by the workbook checks in survey.xlsx.safety).
register_reader(".xlsx", _read_workbook)
register_reader(".xls", _read_workbook)
register_reader(".xlsm", _refuse_macro_workbook)
