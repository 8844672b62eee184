"""review.xlsx: a list officials can filter, print and work through (tenken.xlsxlist)."""

from __future__ import annotations

import re
from pathlib import Path

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from typer.testing import CliRunner

from tenken.cli import app
from tenken.fileio import escape_formula
from tenken.linkage.columns import RECORD_COLUMNS
from tenken.linkage.outputs import REVIEW_HEADERS, cell_texts
from tests.linkage import fixtures

runner = CliRunner()


def _inspect(tmp_path: Path, records: list[tuple[str, ...]] | None = None) -> Path:
    registry, default = fixtures.write(tmp_path)
    path = default
    if records is not None:
        header = [c.header for c in RECORD_COLUMNS]
        path = fixtures.write_csv(tmp_path / "records2.csv", header, records)
    out = tmp_path / "out"
    args = ["inspect", "--registry", str(registry), "--records", str(path), "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return out / "review.xlsx"


def _as_excel_shows(value: object) -> str:
    """Decode the OOXML escapes ``_xHHHH_`` the way Excel does (openpyxl leaves them)."""
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), str(value))


def _rows_by_id(path: Path) -> dict[str, dict[str, object]]:
    sheet = load_workbook(path).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == REVIEW_HEADERS
    return {str(r[0]): dict(zip(REVIEW_HEADERS, r, strict=True)) for r in rows[1:]}


def test_sheet_is_filterable_frozen_and_prints_a4_landscape_with_header(tmp_path: Path) -> None:
    """Autofilter over the whole list, frozen header row, widths, A4 landscape, header repeated."""
    book = load_workbook(_inspect(tmp_path))
    sheet = book.active
    assert sheet is not None
    unconfirmed = sum(1 for _, v, _ in fixtures.RECORDS if v != "confirmed")
    assert sheet.auto_filter.ref == f"A1:S{unconfirmed + 1}"
    assert sheet.freeze_panes == "B2"
    assert sheet.column_dimensions["C"].width > sheet.column_dimensions["L"].width
    assert sheet.page_setup.orientation == "landscape"
    assert str(sheet.page_setup.paperSize) == "9"  # A4
    assert sheet.print_title_rows == "$1:$1"
    assert all(cell.font.b for cell in sheet[1])


def test_differing_facts_are_highlighted_and_equal_ones_are_not(tmp_path: Path) -> None:
    """R15 differs only in birth date: both birth cells are filled, the name cells are not."""
    sheet = load_workbook(_inspect(tmp_path)).active
    assert sheet is not None
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "R15")
    by_header = dict(zip(REVIEW_HEADERS, row, strict=True))
    filled = {h for h, c in by_header.items() if c.fill.fgColor.rgb not in (None, "00000000")}
    assert filled == {"記録: 生年月日", "住基: 生年月日"}
    r06 = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "R06")
    filled6 = {
        h
        for h, c in zip(REVIEW_HEADERS, r06, strict=True)
        if c.fill.fgColor.rgb not in (None, "00000000")
    }
    assert {"記録: 氏名", "住基: 氏名", "記録: 生年月日", "住基: 生年月日"} <= filled6
    assert "記録: 住所" not in filled6


def test_a_row_without_differing_facts_has_no_highlight_and_no_written_blanks(
    tmp_path: Path,
) -> None:
    """A record listed with no registry state to compare (number not found, invalid number)
    has no filled cell, and its empty fields are left out rather than written as filled
    blanks."""
    plain = {
        r[0]
        for r, verdict, _ in fixtures.RECORDS
        if verdict in ("not_in_registry", "invalid_number")
    }
    assert plain
    sheet = load_workbook(_inspect(tmp_path)).active
    assert sheet is not None
    rows = [r for r in sheet.iter_rows(min_row=2) if r[0].value in plain]
    assert {r[0].value for r in rows} == plain
    for row in rows:
        assert all(c.fill.fgColor.rgb in (None, "00000000") for c in row), row[0].value
        assert all(c.value != "" for c in row), row[0].value


def test_control_characters_formulas_and_numbers_survive(tmp_path: Path) -> None:
    """Control characters in any field never break the file (openpyxl used to raise), formulas
    stay text, and the linked number is masked."""
    base = fixtures.RECORDS[14][0]  # R15: a suspected mislink, so it is listed
    nasty = "\x00\x01\x0b\x1f\x7f\ufffe_x0041_"
    record = (
        "=1+1" + nasty,
        base[1] + "\x07",
        "ヤマダ\x1b",
        base[3],
        base[4],
        base[5] + "\x02",
        base[6],
        base[7],
    )
    rows = _rows_by_id(_inspect(tmp_path, [record]))
    (row,) = rows.values()
    assert _as_excel_shows(row["制度固有番号"]) == "'=1+1\x00\x01\x0b\x1f\x7f\ufffd_x0041_"
    assert _as_excel_shows(row["記録: 氏名"]) == base[1] + "\x07"
    assert _as_excel_shows(row["記録: 住所"]) == base[5] + "\x02"
    assert row["記録: 個人番号"] == "**** **** " + base[6][-4:]
    assert base[6] not in " ".join(str(v) for v in row.values())


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(st.none(), st.text(st.sampled_from("=+-@\t\r a'あ😀\ufffe\uffff"))), max_size=20
    )
)
def test_cells_column_at_a_time_are_the_rule_value_by_value(values: list[str | None]) -> None:
    """cell_texts is escape_formula, U+FFFE/U+FFFF replaced, cut to 32,767 characters."""

    def rule(value: str | None) -> str:
        text = escape_formula(value) or ""
        return text.replace("\ufffe", "\ufffd").replace("\uffff", "\ufffd")[:32767]

    got = cell_texts(pa.array(values, pa.string())).to_pylist()
    assert got == [rule(v) for v in values]
    long = "=" + "あ" * 40000
    assert cell_texts(pa.array([long])).to_pylist() == [("'" + long)[:32767]]
