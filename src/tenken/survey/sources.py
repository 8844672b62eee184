"""Read an answer document from a file, whatever its format (JSON now; Excel registers itself)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tenken.errors import InputError, Location
from tenken.survey.document import AnswerDocument, load_json
from tenken.survey.model import Questionnaire

Reader = Callable[[Path, Questionnaire], AnswerDocument]
READERS: dict[str, Reader] = {".json": load_json}


def register_reader(suffix: str, reader: Reader) -> None:
    READERS[suffix.lower()] = reader


def load_answers(path: Path, questionnaire: Questionnaire) -> AnswerDocument:
    """Dispatch on the file suffix; an unknown suffix or missing file is an InputError."""
    path = Path(path)
    if not path.is_file():
        raise InputError("ファイルがありません", location=Location(str(path)))
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        known = "、".join(sorted(READERS))
        raise InputError(
            f"この形式（{path.suffix or '拡張子なし'}）は読めません",
            location=Location(str(path)),
            hint=f"読める形式: {known}",
        )
    return reader(path, questionnaire)


def _read_workbook(path: Path, questionnaire: Questionnaire) -> AnswerDocument:
    """Excel answer sheets (imported lazily: openpyxl is only loaded when a sheet is read)."""
    from tenken.survey.xlsx.reader import read_sheet

    return read_sheet(path, questionnaire)


# .xlsm and .xls are registered too, so that they get a clear refusal rather than "unknown".
for _suffix in (".xlsx", ".xlsm", ".xls"):
    register_reader(_suffix, _read_workbook)
