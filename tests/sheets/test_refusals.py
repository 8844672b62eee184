"""Unreadable, hostile, foreign or tampered files: a clear InputError (exit 2), no traceback."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from tenken.cli import app
from tenken.errors import InputError
from tenken.survey.model import Questionnaire
from tenken.survey.sources import load_answers
from tenken.survey.xlsx.layout import HIDDEN, MAIN, build_layout
from tenken.survey.xlsx.reader import read_sheet_bytes
from tests.hostile import refused, rezip
from tests.sheets.conftest import example_data, filled


def edit(data: bytes, change: Callable[[Workbook], None]) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    change(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _set(sheet: str, coordinate: str, value: object) -> Callable[[Workbook], None]:
    def change(wb: Workbook) -> None:
        wb[sheet][coordinate] = value

    return change


def hostile_files(blank: bytes, q: Questionnaire) -> dict[str, tuple[bytes, str]]:
    """name -> (file content, a word the message must contain)."""
    layout = build_layout(q)
    flag = layout.flag_cells["未回答あり"]
    helper = f"B{layout.fields['4'].calc_row}"
    plain = io.BytesIO()
    Workbook().save(plain)
    return {
        "text": (b"not a workbook at all", ".xlsx"),
        "encrypted": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "パスワード"),
        "huge": (b"PK\x03\x04" + b"\0" * (11 * 1024 * 1024), "大きすぎ"),
        "truncated": (blank[: len(blank) // 2], "壊れて"),
        "macro": (rezip(blank, {"xl/vbaProject.bin": b"\0" * 100}), "マクロ"),
        "bomb": (rezip(blank, {"xl/media/pad.xml": b"\0" * (30 * 1024 * 1024)}), "zip bomb"),
        "dtd": (rezip(blank, {"docProps/x.xml": b'<!DOCTYPE x [<!ENTITY a "b">]><x/>'}), "DTD"),
        "not-a-workbook": (
            rezip(blank, {}, drop=("xl/workbook.xml",)),
            "Excel ブックではありません",
        ),
        "foreign": (plain.getvalue(), "回答シートではありません"),
        "other-questionnaire": (edit(blank, _set(HIDDEN, "B3", "other-survey")), "別の調査票"),
        "other-version": (edit(blank, _set(HIDDEN, "B4", "2022-01-01")), "版が違います"),
        "formula-edited": (edit(blank, _set(MAIN, flag, '=""')), "編集"),
        "formula-deleted": (edit(blank, _set(MAIN, flag, None)), "削除"),
        "formula-overwritten": (edit(blank, _set(MAIN, flag, "")), "削除"),
        "helper-edited": (edit(blank, _set(HIDDEN, helper, "=TRUE")), "隠しシート"),
        "formula-in-input": (edit(blank, _set(MAIN, layout.fields["3"].input or "", "=1")), "数式"),
    }


CASES = [
    "text", "encrypted", "huge", "truncated", "macro", "bomb", "dtd", "not-a-workbook", "foreign",
    "other-questionnaire", "other-version", "formula-edited", "formula-deleted",
    "formula-overwritten", "helper-edited", "formula-in-input",
]  # fmt: skip


@pytest.fixture(scope="module")
def hostile(questionnaire: Questionnaire, blank_sheet: bytes) -> dict[str, tuple[bytes, str]]:
    data = filled(blank_sheet, questionnaire, example_data("municipality-complete.json"))
    return hostile_files(data, questionnaire)


@pytest.mark.parametrize("case", CASES)
def test_refused_with_a_clear_message(
    questionnaire: Questionnaire, hostile: dict[str, tuple[bytes, str]], case: str
) -> None:
    """The reader raises InputError whose message says what is wrong."""
    data, word = hostile[case]
    with pytest.raises(InputError) as caught:
        read_sheet_bytes(data, questionnaire, f"{case}.xlsx")
    assert word in str(caught.value)
    assert f"{case}.xlsx" in str(caught.value)


@pytest.mark.parametrize("case", ["text", "encrypted", "bomb", "foreign", "formula-edited"])
def test_check_cli_exits_2_without_traceback(
    hostile: dict[str, tuple[bytes, str]], tmp_path: Path, case: str
) -> None:
    """`tenken survey check` on a refused file prints one message and exits 2."""
    path = tmp_path / f"{case}.xlsx"
    path.write_bytes(hostile[case][0])
    result = CliRunner().invoke(app, ["survey", "check", str(path)])
    refused(result, f"{case}.xlsx", hostile[case][1])


@pytest.mark.parametrize("suffix", [".xlsm", ".xls"])
def test_macro_and_legacy_suffixes_are_refused(
    questionnaire: Questionnaire, blank_sheet: bytes, tmp_path: Path, suffix: str
) -> None:
    """A .xlsm is refused as macro-enabled even if it holds no macro; a .xls as legacy."""
    path = tmp_path / f"answer{suffix}"
    path.write_bytes(blank_sheet if suffix == ".xlsm" else b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    with pytest.raises(InputError, match=r"マクロ|旧形式"):
        load_answers(path, questionnaire)
