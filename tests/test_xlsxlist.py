"""tenken.xlsxlist: the streamed list workbook, against xlsxwriter (the writer it replaces) and
as openpyxl reads it back."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from tenken import xlsxlist

LAYOUT = xlsxlist.Layout("一覧", ("番号", "氏名", "住所"), (14, 16, 36))
MARKABLE = (False, True, True)
"""Columns 2 and 3 can be highlighted, as a fact's two cells of the review list."""

PIECES = ["a", "あ", " ", "\u3000", "\t", "\n", "\r", "\x00", "\x1f", "\x7f", "&", "<", ">",
          '"', "_x0041_", "_X00ff_", "x0042_", "😀", "\ufffe", "\xa0", "r"]  # fmt: skip
TEXT = st.lists(st.sampled_from(PIECES), max_size=8).map("".join)
ROW = st.tuples(TEXT, TEXT, TEXT, st.booleans(), st.booleans())


def _batch(rows: list[tuple[str, str, str, bool, bool]]) -> xlsxlist.Batch:
    return xlsxlist.Batch(
        [pa.array([r[k] for r in rows], pa.string()) for k in range(3)],
        [None, pa.array([r[3] for r in rows]), pa.array([r[4] for r in rows])],
    )


def _member(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as book:
        return book.read(name)


def _with_xlsxwriter(path: Path, rows: list[tuple[str, str, str, bool, bool]]) -> None:
    """The list as outputs.write_review wrote it with xlsxwriter before tenken.xlsxlist."""
    xlsxwriter = pytest.importorskip("xlsxwriter")
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet(LAYOUT.sheet)
    header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1,
                              "text_wrap": True, "valign": "top"})  # fmt: skip
    plain = book.add_format({"num_format": "@"})
    differs = book.add_format({"num_format": "@", "bg_color": "#FCE4D6", "bold": True})
    for style in (header, plain, differs):  # xlsxwriter numbers styles by first use: fix it
        style._get_xf_index()
    for k, title in enumerate(LAYOUT.headers):
        sheet.set_column(k, k, LAYOUT.widths[k])
        sheet.write_string(0, k, title, header)
    sheet.freeze_panes(1, 1)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.repeat_rows(0)
    sheet.fit_to_pages(1, 0)
    for n, row in enumerate(rows, start=1):
        marks = (False, row[3], row[4])
        for k in range(3):
            if marks[k]:
                sheet.write_string(n, k, row[k], differs)
            elif row[k]:
                sheet.write_string(n, k, row[k], plain)
    sheet.autofilter(0, 0, max(len(rows), 1), 2)
    book.close()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(ROW, max_size=12))
def test_the_sheet_xml_is_the_one_xlsxwriter_writes(
    tmp_path: Path, rows: list[tuple[str, str, str, bool, bool]]
) -> None:
    """Control characters, ``_xHHHH_`` look-alikes, XML specials, edge white space (U+3000
    too), highlighted empty cells: byte for byte xlsxwriter's sheet in constant-memory mode."""
    # xlsxwriter writes a text that looks like rich-text markup ("<r>...</r>") unescaped into
    # the sheet XML; xlsxlist keeps it text (test_rich_text_lookalikes_stay_text)
    assume(not any(t.startswith("<r>") and t.endswith("</r>") for r in rows for t in r[:3]))
    # xlsxwriter escapes only the first of two look-alikes sharing an underscore (_x0041_x0042_)
    assume(not any(_SHARED.search(t) for r in rows for t in r[:3]))
    # xlsxwriter's dimension ends at the last row with a cell, xlsxlist's at the last row
    assume(not rows or any(rows[-1][:3]) or any(rows[-1][3:]))
    ours, theirs = tmp_path / "ours.xlsx", tmp_path / "theirs.xlsx"
    xlsxlist.write_list(ours, LAYOUT, len(rows), [_batch(rows)] if rows else [])
    _with_xlsxwriter(theirs, rows)
    sheet = "xl/worksheets/sheet1.xml"
    assert _member(ours, sheet) == _member(theirs, sheet)


_SHARED = re.compile(r"_x[0-9a-fA-F]{4}(?=_x[0-9a-fA-F]{4}_)")


def _as_excel_shows(value: object) -> str:
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), str(value))


def test_long_texts_are_cut_at_excels_limit_in_utf16_units(tmp_path: Path) -> None:
    """32,767 UTF-16 units: 16,383 characters outside the BMP, never half of one."""
    path = tmp_path / "long.xlsx"
    rows = [("a" * 40000, "😀" * 20000, "x", False, False)]
    xlsxlist.write_list(path, LAYOUT, 1, [_batch(rows)])
    sheet = load_workbook(path).active
    assert sheet is not None
    assert sheet["A2"].value == "a" * 32767
    assert sheet["B2"].value == "😀" * 16383


def test_rich_text_lookalikes_stay_text(tmp_path: Path) -> None:
    path = tmp_path / "rich.xlsx"
    text = "<r><t>x</t></r>"
    xlsxlist.write_list(path, LAYOUT, 1, [_batch([(text, "", "", False, False)])])
    sheet = load_workbook(path).active
    assert sheet is not None
    assert sheet["A2"].value == text


def test_a_list_longer_than_a_sheet_continues_on_further_sheets(tmp_path: Path) -> None:
    """No row is dropped past a sheet's last row (xlsxwriter dropped them silently): every
    sheet has the header, the filter over its rows, the frozen header and the print setup."""
    path = tmp_path / "long.xlsx"
    rows = [(f"R{k}", f"名{k}", "", k % 2 == 0, k == 6) for k in range(7)]
    batches = [_batch(rows[:2]), _batch(rows[2:7])]  # batches cross the sheets' ends
    assert xlsxlist.write_list(path, LAYOUT, 7, batches, per_sheet=3) == [3, 3, 1]
    book = load_workbook(path)
    assert book.sheetnames == ["一覧", "一覧 (2)", "一覧 (3)"]
    seen = []
    for sheet, count in zip(book.worksheets, (3, 3, 1), strict=True):
        values = list(sheet.iter_rows(values_only=True))
        assert values[0] == LAYOUT.headers
        seen += [v[0] for v in values[1:]]
        assert sheet.auto_filter.ref == f"A1:C{count + 1}"
        assert sheet.freeze_panes == "B2"
        assert sheet.print_title_rows == "$1:$1"
        assert sheet.page_setup.orientation == "landscape"
        assert str(sheet.page_setup.paperSize) == "9"
        assert sheet.column_dimensions["C"].width > sheet.column_dimensions["A"].width
    assert seen == [r[0] for r in rows]
    last = book.worksheets[2]["C2"]  # R6: an empty highlighted cell is written, filled
    assert last.fill.fgColor.rgb == "FFFCE4D6" and last.font.b
    assert book.worksheets[0]["B2"].fill.fgColor.rgb == "FFFCE4D6"
    assert book.worksheets[0]["B3"].fill.fgColor.rgb in (None, "00000000")


def test_an_empty_list_is_one_sheet_with_its_header(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    assert xlsxlist.write_list(path, LAYOUT, 0, []) == [0]
    sheet = load_workbook(path).active
    assert sheet is not None
    assert list(sheet.iter_rows(values_only=True)) == [LAYOUT.headers]
    assert sheet.auto_filter.ref == "A1:C2"


def test_rows_other_than_announced_are_an_error_and_leave_no_scratch(tmp_path: Path) -> None:
    rows = [("a", "b", "c", False, False)] * 3
    for total in (2, 4):
        with pytest.raises(ValueError):
            xlsxlist.write_list(tmp_path / "x.xlsx", LAYOUT, total, [_batch(rows)])
    assert [p.name for p in tmp_path.iterdir()] == ["x.xlsx"]


def test_texts_read_back_as_written(tmp_path: Path) -> None:
    """What Excel shows (the ``_xHHHH_`` escapes decoded) is the text."""
    path = tmp_path / "t.xlsx"
    texts = ["=1+1", "a&b<c>", "\x01\x1f_x0041_", "  lead", "trail\u3000", "改\n行"]
    texts += ["_x0041_x0042_", "_x005F_x0041_", "_x0041__x0042_"]
    rows = [(t, "", "", False, False) for t in texts]
    xlsxlist.write_list(path, LAYOUT, len(rows), [_batch(rows)])
    sheet = load_workbook(path).active
    assert sheet is not None
    assert [_as_excel_shows(r[0]) for r in sheet.iter_rows(min_row=2, values_only=True)] == texts
    xml = _member(path, "xl/worksheets/sheet1.xml").decode()
    assert '<t xml:space="preserve">  lead</t>' in xml
    assert '<t xml:space="preserve">trail\u3000</t>' in xml


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(texts=st.lists(TEXT.filter(bool), min_size=1, max_size=8))
def test_any_text_reads_back_as_excel_shows_it(tmp_path: Path, texts: list[str]) -> None:
    """Control characters, ``_xHHHH_`` look-alikes (sharing underscores too), XML specials:
    what Excel shows, the escapes decoded, is the text (an empty text is no cell at all)."""
    path = tmp_path / "t.xlsx"
    rows = [(t, "", "", False, False) for t in texts]
    xlsxlist.write_list(path, LAYOUT, len(rows), [_batch(rows)])
    sheet = load_workbook(path).active
    assert sheet is not None
    shown = [_as_excel_shows(r[0] or "") for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert shown == texts


def test_white_space_is_pythons() -> None:
    """The RE2 class matches exactly the characters str.isspace calls white space."""
    import sys

    chars = pa.array([chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF])
    matched = pc.match_substring_regex(chars, f"^{xlsxlist.WHITE_SPACE}$")
    got = {c for c, m in zip(chars.to_pylist(), matched.to_pylist(), strict=True) if m}
    assert got == {c for c in chars.to_pylist() if c.isspace()}
