"""Read a filled answer sheet back into an :class:`AnswerDocument`.

Python is the source of truth: openpyxl does not calculate, and a cached formula result in the
file is never read (the workbook is opened with formulas, not values). The reader refuses,
with an :class:`InputError` (CLI exit 2), a hostile or unreadable file (:mod:`tenken.xlsxguard`), a
workbook that is not one of our sheets or belongs to another questionnaire or edition, a
formula that was edited or deleted, and a formula typed into an input cell. Values that are
not in a list are passed on as typed: the engine reports them and suggests the intended code.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from tenken.errors import InputError, Location
from tenken.fileio import read_bytes
from tenken.survey.document import AnswerDocument, AnswerValue, check_text
from tenken.survey.model import Questionnaire
from tenken.survey.xlsx.fastcells import read_cells
from tenken.survey.xlsx.formulas import MARK
from tenken.survey.xlsx.layout import (
    HIDDEN,
    MAIN,
    MARKER,
    META_KEYS,
    Layout,
    build_layout,
    fingerprint,
)
from tenken.xlsxguard import SHEET_LIMITS, check_workbook_bytes

Cells = dict[str, tuple[Any, str]]  # coordinate -> (value, openpyxl data type)
_NOT_OURS_HINT = "tenken survey form で作成した回答シートに回答して送ってください"


def read_sheet(path: Path, questionnaire: Questionnaire) -> AnswerDocument:
    """Read and check ``path``; the :data:`tenken.survey.sources.Reader` for .xlsx files."""
    source = str(path)
    if Path(path).suffix.lower() == ".xlsm":
        raise InputError(
            "マクロ有効ブック（.xlsm）は受け付けません",
            location=Location(source),
            hint="マクロなしの Excel ブック（.xlsx）として保存し直してください",
        )
    data = read_bytes(path, limit=SHEET_LIMITS.max_file_bytes)
    return read_sheet_bytes(data, questionnaire, source)


def read_sheet_bytes(data: bytes, q: Questionnaire, source: str) -> AnswerDocument:
    """Like :func:`read_sheet`, on bytes already in memory (used by ingest)."""
    check_workbook_bytes(data, source)
    layout = build_layout(q)
    main, hidden = _fast(data, layout) or _load(data, source, _bounds(layout))
    _check_identity(hidden, q, layout, source)
    _check_formulas(main, hidden, layout, source)
    document = _document(main, layout, source)
    issued = {key: str(hidden.get(layout.meta_cell(key), ("", "s"))[0] or "")
              for key in ("round", "seido")}  # fmt: skip
    if not any(issued.values()):
        return document
    return replace(document, issued_round=issued["round"], issued_seido=issued["seido"])


def _fast(data: bytes, layout: Layout) -> tuple[Cells, Cells] | None:
    """The wanted cells without openpyxl when the file is plain (see :mod:`.fastcells`)."""
    wanted = _wanted(layout)
    formulas: dict[str, set[str]] = {MAIN: set(), HIDDEN: set()}
    for sheet, coordinate in layout.formulas:
        formulas[sheet].add(coordinate)
    found = read_cells(data, wanted, formulas)
    return None if found is None else (found[MAIN], found[HIDDEN])


def _wanted(layout: Layout) -> dict[str, set[str]]:
    """The cells the reader looks at, per sheet."""
    wanted: dict[str, set[str]] = {MAIN: set(), HIDDEN: set()}
    for sheet, coordinate in layout.formulas:
        wanted[sheet].add(coordinate)
    wanted[HIDDEN].update(layout.meta_cell(key) for key in META_KEYS)
    for cells in layout.fields.values():
        wanted[MAIN].update([cells.input] if cells.input else cells.options.values())
    return wanted


def _bounds(layout: Layout) -> dict[str, tuple[int, int]]:
    """The last row and column worth reading on each sheet.

    openpyxl fills every row and column up to the sheet's declared dimension; a file that
    declares A1:XFD1048576 would make it build 17 billion empty cells. Reading only up to the
    cells we look at keeps the work bounded whatever the file claims.
    """
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    bounds: dict[str, tuple[int, int]] = {}
    for sheet, coordinates in _wanted(layout).items():
        rows, cols = [1], [1]
        for coordinate in coordinates:
            letters, row = coordinate_from_string(coordinate)
            rows.append(row)
            cols.append(column_index_from_string(letters))
        bounds[sheet] = (max(rows), max(cols))
    return bounds


def _load(data: bytes, source: str, bounds: dict[str, tuple[int, int]]) -> tuple[Cells, Cells]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, SyntaxError) as error:
        raise InputError(
            f"Excel ファイルとして読めません（{type(error).__name__}: {error}）",
            location=Location(source),
            hint="Excel で開けるか確認し、.xlsx として保存し直してください",
        ) from error
    try:
        names = wb.sheetnames
        if HIDDEN not in names or MAIN not in names:
            raise InputError(
                "tenken の回答シートではありません（識別用のシートがありません）",
                location=Location(source),
                hint=_NOT_OURS_HINT,
            )
        (main_rows, main_cols), (hidden_rows, hidden_cols) = bounds[MAIN], bounds[HIDDEN]
        main = _cells(wb[MAIN].iter_rows(max_row=main_rows, max_col=main_cols))
        return main, _cells(wb[HIDDEN].iter_rows(max_row=hidden_rows, max_col=hidden_cols))
    except InputError:
        raise
    except Exception as error:  # openpyxl raises many kinds on malformed XML
        raise InputError(
            f"Excel ファイルの内容を読めません（{type(error).__name__}）",
            location=Location(source),
            hint="Excel で開けるか確認し、.xlsx として保存し直してください",
        ) from error
    finally:
        wb.close()


def _cells(rows: Iterable[tuple[Any, ...]]) -> Cells:
    cells: Cells = {}
    for row in rows:
        for cell in row:
            value = getattr(cell, "value", None)
            if value is not None and hasattr(cell, "coordinate"):
                cells[cell.coordinate] = (value, cell.data_type)
    return cells


def _check_identity(hidden: Cells, q: Questionnaire, layout: Layout, source: str) -> None:
    loc = Location(source)

    def meta(key: str) -> str:
        return str(hidden.get(layout.meta_cell(key), ("", "s"))[0])

    if meta("marker") != MARKER:
        raise InputError("tenken の回答シートではありません", location=loc, hint=_NOT_OURS_HINT)
    if meta("questionnaire") != q.id:
        raise InputError(
            f"別の調査票（{meta('questionnaire')}）の回答シートです",
            location=loc,
            hint=f"この点検は {q.id} の回答シートが対象です",
        )
    if meta("version") != q.version or meta("fingerprint") != fingerprint(q):
        raise InputError(
            f"調査票の版が違います（シート: {meta('version')}、現在: {q.version}）",
            location=loc,
            hint="最新の回答シートを配布し直し、回答を写してもらってください",
        )


_STRING = re.compile(r'"(?:[^"]|"")*"')


def normalize_formula(formula: str) -> str:
    """Compare formulas as Excel or LibreOffice re-save them.

    Ignored: the leading ``=``, quotes around sheet names, spaces, case, ``_xlfn.`` prefixes and
    ``TRUE()``/``FALSE()`` written for ``TRUE``/``FALSE``; string literals are kept as they are.
    """
    text = formula.strip().removeprefix("=")
    parts: list[str] = []
    last = 0
    for match in _STRING.finditer(text):
        parts.append(_normalize_code(text[last : match.start()]))
        parts.append(match.group(0))
        last = match.end()
    parts.append(_normalize_code(text[last:]))
    return "".join(parts)


def _normalize_code(code: str) -> str:
    code = code.replace("_xlfn.", "").replace("'", "")
    code = re.sub(r"\s+", "", code).upper()
    # LibreOffice saves the constants TRUE/FALSE as the functions TRUE()/FALSE().
    return re.sub(r"\b(TRUE|FALSE)\(\)", r"\1", code)


@lru_cache(maxsize=4096)
def _normalized(formula: str) -> str:
    return normalize_formula(formula)


def _check_formulas(main: Cells, hidden: Cells, layout: Layout, source: str) -> None:
    for (sheet, coordinate), expected in layout.formulas.items():
        value, kind = (main if sheet == MAIN else hidden).get(coordinate, (None, "n"))
        text = str(value) if value is not None else ""
        if kind != "f" and not text.startswith("="):
            changed = "削除" if value is None else "値で上書き"
        elif text[1:] == expected or _normalized(text) == _normalized(expected):
            continue
        else:
            changed = "編集"
        where = "回答状況の表示欄" if sheet == MAIN else "計算用の隠しシート"
        raise InputError(
            f"組み込みの関数が{changed}されています（{where} {sheet}!{coordinate}）",
            location=Location(source, column=f"{sheet}!{coordinate}"),
            hint="配布した回答シートに回答を写して送り直してください。関数は編集しないでください",
        )


def cell_text(value: Any) -> str:
    """A cell value as the text a respondent would see (numbers without ``.0``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _input_value(main: Cells, coordinate: str, source: str) -> str:
    value, kind = main.get(coordinate, (None, "n"))
    where = Location(source, column=f"{MAIN}!{coordinate}")
    if kind == "f":
        raise InputError(
            f"入力欄 {coordinate} に数式があります",
            location=where,
            hint="数式ではなく値を入力してください",
        )
    return check_text(cell_text(value), f"入力欄 {coordinate}", where)


def _document(main: Cells, layout: Layout, source: str) -> AnswerDocument:
    respondent: dict[str, str] = {}
    answers: dict[str, AnswerValue] = {}
    for name, cells in layout.fields.items():
        if cells.options:
            marks: list[str] = []
            for code, coordinate in cells.options.items():
                text = _input_value(main, coordinate, source).strip()
                if text == MARK:
                    marks.append(code)
                elif text:
                    marks.append(text)  # the engine reports it as not a choice
            answers[name] = marks
            continue
        assert cells.input is not None
        value = _input_value(main, cells.input, source)
        if cells.field.section == "respondent":
            respondent[name] = value
        else:
            answers[name] = value
    return AnswerDocument(respondent, answers, source)
