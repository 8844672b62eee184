"""A list as an .xlsx workbook, streamed: SpreadsheetML written from Arrow columns.

One fixed layout, the one people work through a long list with: a bold header row (filled,
bordered, wrapped) that stays frozen with the first column, an autofilter over the whole
list, column widths, every cell text (``@``), highlighted cells (bold on a light red fill),
A4 landscape fitted to the page width with the header repeated on every printed page.

The rows are turned into XML a batch at a time with Arrow's string kernels (no Python call
per cell), into the sheet XML xlsxwriter writes in constant-memory mode (inline strings; empty
cells left out unless highlighted; ``_xHHHH_`` escapes for control characters; tested byte for
byte against it). A list longer than a sheet holds (:data:`EXCEL_ROWS`) continues on further
sheets, "name (2)", "name (3)", each with the header, the filter and the print settings: no
row is ever dropped. The workbook has no theme part, so fonts are given without theme
references (Calibri 11, automatic colour).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pyarrow as pa
import pyarrow.compute as pc

EXCEL_ROWS = 1_048_576
"""Rows of an Excel sheet (the header row included)."""

COMPRESSION = 1
"""zlib level of the parts: level 1 is 2.6× as fast as 6 on a list's XML, the file 20 % larger."""

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

_HEADER_STYLE, _TEXT_STYLE, _MARKED_STYLE = 1, 2, 3
_STYLES = (
    f'{_DECLARATION}<styleSheet xmlns="{_MAIN}"><numFmts count="1"><numFmt numFmtId="164" '
    'formatCode="@"/></numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/>'
    '<family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/>'
    '</font></fonts><fills count="4"><fill><patternFill patternType="none"/></fill><fill>'
    '<patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor '
    'rgb="FFDDEBF7"/><bgColor indexed="64"/></patternFill></fill><fill><patternFill '
    'patternType="solid"><fgColor rgb="FFFCE4D6"/><bgColor indexed="64"/></patternFill></fill>'
    '</fills><borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
    '<border><left style="thin"><color auto="1"/></left><right style="thin"><color auto="1"/>'
    '</right><top style="thin"><color auto="1"/></top><bottom style="thin"><color auto="1"/>'
    '</bottom><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" '
    'fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0" fontId="0" '
    'fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="2" borderId="1" '
    'xfId="0" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1"><alignment '
    'vertical="top" wrapText="1"/></xf><xf numFmtId="164" fontId="0" fillId="0" borderId="0" '
    'xfId="0" applyNumberFormat="1"/><xf numFmtId="164" fontId="1" fillId="3" borderId="0" '
    'xfId="0" applyNumberFormat="1" applyFont="1" applyFill="1"/></cellXfs><cellStyles '
    'count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles><dxfs count="0"/>'
    '<tableStyles count="0" defaultTableStyle="TableStyleMedium9" '
    'defaultPivotStyle="PivotStyleLight16"/></styleSheet>'
)
"""Cell styles 1 header, 2 text, 3 highlighted text (xlsxwriter's XML for the same formats)."""


@dataclass(frozen=True)
class Layout:
    """The list's sheet name, column headers and column widths (in characters)."""

    sheet: str
    headers: tuple[str, ...]
    widths: tuple[int, ...]

    def __post_init__(self) -> None:
        if len(self.headers) != len(self.widths) or not self.headers:
            raise ValueError("a list needs one width per header")


@dataclass(frozen=True)
class Batch:
    """Rows of the list: per column its texts ('' or null: an empty cell) and, for columns
    that can be highlighted, which of them are (a highlighted empty cell is still written)."""

    cells: Sequence[pa.Array]
    marked: Sequence[pa.Array | None]

    def __len__(self) -> int:
        return len(self.cells[0])


# --- cell text -----------------------------------------------------------------------------

#: The underscore that starts an ``_xHHHH_`` look-alike, by look-ahead: two look-alikes that
#: share an underscore (``_x0041_x0042_``) are both escaped (xlsxwriter escapes only the first).
_ESCAPED = re.compile(r"_(?=x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"([\x00-\x08\x0b-\x1f])")
_SPECIAL = r"[\x00-\x08\x0b-\x1f]|_x[0-9a-fA-F]{4}_|[\x{fffe}\x{ffff}]"
WHITE_SPACE = (
    r"[\t\n\x{0b}\f\r\x{1c}-\x{1f} \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}"
    r"\x{202f}\x{205f}\x{3000}]"
)
"""Python's ``\\s`` (str.isspace) as an RE2 class: xlsxwriter's test for white space."""
_EDGE_SPACE = f"^{WHITE_SPACE}|{WHITE_SPACE}$"
"""A text with white space at either end keeps it: ``xml:space="preserve"``."""
_MAX_UTF16 = 32767


def excel_text(text: str) -> str:
    """``text`` as an inline-string cell holds it, before XML escaping: within Excel's
    32,767 UTF-16 units, ``_xHHHH_`` written as ``_x005F_xHHHH_``, control characters as
    ``_xHHHH_`` (xlsxwriter's rules, which Excel and openpyxl read back)."""
    if len(text) > _MAX_UTF16 // 2:
        units = 0
        for k, char in enumerate(text):
            units += 2 if ord(char) > 0xFFFF else 1
            if units > _MAX_UTF16:
                text = text[:k]
                break
    text = _ESCAPED.sub("_x005F_", text)
    text = _CONTROL.sub(lambda m: f"_x{ord(m.group(1)):04X}_", text)
    return text.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")


def _xml_text(values: pa.Array) -> pa.Array:
    """Cell texts escaped for XML (the rare special ones through :func:`excel_text`)."""
    values = pc.fill_null(values.cast(pa.string()), "")
    special = pc.or_(
        pc.match_substring_regex(values, _SPECIAL),
        pc.greater(pc.utf8_length(values), _MAX_UTF16 // 2),
    )
    if pc.any(special).as_py():
        values = pa.array([excel_text(v) for v in values.to_pylist()], pa.string())
    for char, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        values = pc.replace_substring(values, char, entity)
    return values


# --- sheet XML -----------------------------------------------------------------------------


def column_letter(index: int) -> str:
    """A (0), B, ..., Z, AA, ... for a 0-based column index."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _width(characters: int) -> float:
    """Excel's stored column width for ``characters`` digits of Calibri 11 (7 px, 5 px pad)."""
    return int((characters * 7 + 5) / 7 * 256) / 256


def _cols(widths: Sequence[int]) -> str:
    """``<cols>``: neighbouring columns of one width share an element (as xlsxwriter does)."""
    parts, k = [], 0
    while k < len(widths):
        last = k
        while last + 1 < len(widths) and widths[last + 1] == widths[k]:
            last += 1
        parts.append(
            f'<col min="{k + 1}" max="{last + 1}" width="{_width(widths[k])}" customWidth="1"/>'
        )
        k = last + 1
    return "<cols>" + "".join(parts) + "</cols>"


def _cell(ref: str, style: int, text: str) -> str:
    return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t>{text}</t></is></c>'


def _sheet_head(layout: Layout, rows: int, selected: bool) -> str:
    """Everything before the data rows of a sheet holding ``rows`` rows after its header."""
    last = column_letter(len(layout.headers) - 1)
    tab = ' tabSelected="1"' if selected else ""
    headers = _xml_text(pa.array(layout.headers, pa.string())).to_pylist()
    header = "".join(
        _cell(f"{column_letter(k)}1", _HEADER_STYLE, text) for k, text in enumerate(headers)
    )
    return (
        f'{_DECLARATION}<worksheet xmlns="{_MAIN}" xmlns:r="{_RELS}"><sheetPr><pageSetUpPr '
        f'fitToPage="1"/></sheetPr><dimension ref="A1:{last}{rows + 1}"/><sheetViews><sheetView'
        f'{tab} workbookViewId="0"><pane xSplit="1" ySplit="1" topLeftCell="B2" '
        'activePane="bottomRight" state="frozen"/><selection pane="topRight" activeCell="B1" '
        'sqref="B1"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/><selection '
        'pane="bottomRight"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>'
        f'{_cols(layout.widths)}<sheetData><row r="1">{header}</row>'
    )


def _filter_last_row(rows: int) -> int:
    """The filter covers the header and at least one row (an empty list: A1 to the row below)."""
    return max(rows, 1) + 1


def _sheet_tail(layout: Layout, rows: int) -> str:
    last = column_letter(len(layout.headers) - 1)
    return (
        f'</sheetData><autoFilter ref="A1:{last}{_filter_last_row(rows)}"/><pageMargins '
        'left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/><pageSetup '
        'paperSize="9" fitToHeight="0" orientation="landscape"/></worksheet>'
    )


_PRESERVE = ' xml:space="preserve"'
_MIDDLE = {
    (style, spaced): pa.scalar(f'" s="{style}" t="inlineStr"><is><t{_PRESERVE if spaced else ""}>')
    for style in (_TEXT_STYLE, _MARKED_STYLE)
    for spaced in (False, True)
}
"""What follows a cell's reference up to its text, by style and edge white space."""
_NO_CELL = pa.scalar(None, pa.string())


def _rows_xml(batch: Batch, first: int) -> str:
    """The ``<row>`` elements of ``batch``, the first numbered ``first`` (1-based)."""
    n = len(batch)
    numbers = pa.array(range(first, first + n), pa.int64()).cast(pa.string())
    cells = []
    for k, (values, marked) in enumerate(zip(batch.cells, batch.marked, strict=True)):
        text = _xml_text(values)
        written = pc.not_equal(text, "")
        if marked is not None:
            marked = pc.fill_null(marked, False)
            written = pc.or_(written, marked)
        spaced = pc.match_substring_regex(text, _EDGE_SPACE)
        middle = pc.if_else(spaced, _MIDDLE[_TEXT_STYLE, True], _MIDDLE[_TEXT_STYLE, False])
        if marked is not None:
            hot = pc.if_else(spaced, _MIDDLE[_MARKED_STYLE, True], _MIDDLE[_MARKED_STYLE, False])
            middle = pc.if_else(marked, hot, middle)
        xml = pc.binary_join_element_wise(
            f'<c r="{column_letter(k)}', numbers, middle, text, "</t></is></c>", ""
        )
        cells.append(pc.if_else(written, xml, _NO_CELL))
    rows = pc.binary_join_element_wise(
        '<row r="', numbers, '">', *cells, "</row>", "", null_handling="skip"
    )
    filled = pc.is_valid(pc.coalesce(*cells))  # a row without a cell is left out
    return "".join(pc.filter(rows, filled).to_pylist())


def _slices(batches: Iterable[Batch], size: int) -> Iterable[Batch]:
    """The batches cut so that none crosses a multiple of ``size`` rows (a sheet's end)."""
    done = 0
    for batch in batches:
        start = 0
        while start < len(batch):
            take = min(len(batch) - start, size - done % size)
            yield Batch(
                [c.slice(start, take) for c in batch.cells],
                [m.slice(start, take) if m is not None else None for m in batch.marked],
            )
            start += take
            done += take


# --- package -------------------------------------------------------------------------------


def sheet_names(name: str, sheets: int) -> list[str]:
    """The sheets of a list: ``name``, then ``name (2)``, ``name (3)``, ..."""
    return [name if k == 0 else f"{name} ({k + 1})" for k in range(sheets)]


def _ref_name(name: str) -> str:
    """A sheet name as a defined name's reference spells it (quoted unless a plain word)."""
    if re.fullmatch(r"[^\W\d]\w*", name):
        return name
    return "'" + name.replace("'", "''") + "'"


def _escape_attribute(text: str) -> str:
    return (text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
            .replace(">", "&gt;"))  # fmt: skip


def _workbook(layout: Layout, counts: Sequence[int]) -> str:
    last = column_letter(len(layout.headers) - 1)
    names = sheet_names(layout.sheet, len(counts))
    sheets = "".join(
        f'<sheet name="{_escape_attribute(n)}" sheetId="{k + 1}" r:id="rId{k + 1}"/>'
        for k, n in enumerate(names)
    )
    defined = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{k}" hidden="1">'
        f"{_escape_attribute(_ref_name(n))}!$A$1:${last}${_filter_last_row(rows)}</definedName>"
        for k, (n, rows) in enumerate(zip(names, counts, strict=True))
    ) + "".join(
        f'<definedName name="_xlnm.Print_Titles" localSheetId="{k}">'
        f"{_escape_attribute(_ref_name(n))}!$1:$1</definedName>"
        for k, n in enumerate(names)
    )
    return (
        f'{_DECLARATION}<workbook xmlns="{_MAIN}" xmlns:r="{_RELS}"><workbookPr/><bookViews>'
        '<workbookView xWindow="240" yWindow="15" windowWidth="16095" windowHeight="9660"/>'
        f"</bookViews><sheets>{sheets}</sheets><definedNames>{defined}</definedNames>"
        '<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>'
    )


def _content_types(sheets: int) -> str:
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{k + 1}.xml" ContentType="{_CT}.worksheet+xml"/>'
        for k in range(sheets)
    )
    return (
        f'{_DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
        'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/><Override '
        f'PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>{overrides}</Types>'
    )


def _workbook_rels(sheets: int) -> str:
    links = "".join(
        f'<Relationship Id="rId{k + 1}" Type="{_RELS}/worksheet" '
        f'Target="worksheets/sheet{k + 1}.xml"/>'
        for k in range(sheets)
    )
    return (
        f'{_DECLARATION}<Relationships xmlns="{_PKG}">{links}<Relationship '
        f'Id="rId{sheets + 1}" Type="{_RELS}/styles" Target="styles.xml"/></Relationships>'
    )


_ROOT_RELS = (
    f'{_DECLARATION}<Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
    f'Type="{_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)


def sheet_counts(total: int, per_sheet: int) -> list[int]:
    """Rows on each sheet of a list of ``total`` rows (one sheet, empty, for no rows)."""
    if per_sheet < 1:
        raise ValueError("a sheet holds at least one row")
    full, rest = divmod(total, per_sheet)
    return [per_sheet] * full + ([rest] if rest or not full else [])


def write_list(
    path: Path,
    layout: Layout,
    total: int,
    batches: Iterable[Batch],
    per_sheet: int = EXCEL_ROWS - 1,
) -> list[int]:
    """Write the ``total`` rows of ``batches`` (in order) to ``path``, ``per_sheet`` rows per
    sheet; returns the rows on each sheet. Raises ValueError when the batches hold another
    number of rows than ``total`` (the sheet's ranges are written before its rows)."""
    counts = sheet_counts(total, per_sheet)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESSION) as book:
        book.writestr("[Content_Types].xml", _content_types(len(counts)))
        book.writestr("_rels/.rels", _ROOT_RELS)
        book.writestr("xl/workbook.xml", _workbook(layout, counts))
        book.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(len(counts)))
        book.writestr("xl/styles.xml", _STYLES)
        pieces = iter(_slices(batches, per_sheet))
        for k, rows in enumerate(counts):
            scratch = path.with_name(f".{path.name}.sheet{k + 1}.xml")
            try:
                with scratch.open("w", encoding="utf-8", newline="") as sheet:
                    _write_sheet(sheet, layout, rows, pieces, selected=k == 0)
                book.write(scratch, f"xl/worksheets/sheet{k + 1}.xml")
            finally:
                scratch.unlink(missing_ok=True)
        if next(pieces, None) is not None:
            raise ValueError(f"the list holds more than {total} rows")
    return counts


def _write_sheet(
    out: IO[str], layout: Layout, rows: int, pieces: Iterator[Batch], selected: bool
) -> None:
    """One sheet: its head, the next ``rows`` rows of ``pieces``, its tail."""
    out.write(_sheet_head(layout, rows, selected))
    written = 0
    while written < rows:
        batch = next(pieces, None)
        if batch is None or written + len(batch) > rows:
            raise ValueError(f"the list holds other than the {rows} rows announced")
        if len(batch.cells) != len(layout.headers):
            raise ValueError("a batch needs one array per column")
        out.write(_rows_xml(batch, written + 2))
        written += len(batch)
    out.write(_sheet_tail(layout, rows))
