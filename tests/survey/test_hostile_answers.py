"""`tenken survey check` / `report` on broken and hostile answer files (JSON and Excel): a
message and exit 2, never a hang, a traceback, an expanded entity or an echoed My Number."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tenken.errors import InputError
from tenken.survey.loader import load_bundled
from tenken.survey.sources import load_answers
from tenken.survey.xlsx.reader import read_sheet_bytes
from tenken.survey.xlsx.writer import form_bytes
from tests.hostile import (
    deadline,
    invoke,
    member,
    no_exception,
    refused,
    rezip,
    special_file,
    valid_number,
)
from tests.sheets.conftest import example_data, filled

Q = load_bundled()
SHEET = "xl/worksheets/sheet1.xml"


@pytest.fixture(scope="module")
def sheet() -> bytes:
    return filled(form_bytes(Q), Q, example_data("municipality-complete.json"))


def _json(tmp_path: Path, data: Any, name: str = "answers.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False))
    return path


def _check(path: Path, *extra: str) -> Any:
    return invoke(["survey", "check", str(path), *extra], seconds=60)


# --- Excel ------------------------------------------------------------------------------------

ENTITY = '<!DOCTYPE worksheet [<!ENTITY big "{}">]>'.format("x" * 1000)


def _with_entity(part: str) -> str:
    """The sheet part with a DTD and the entity used in 担当部署名 (cell B8)."""
    part = re.sub(r'<c r="B8"[^>]*>.*?</c>', '<c r="B8" t="inlineStr"><is><t>&big;</t></is></c>',
                  part, count=1)  # fmt: skip
    return part.replace("<worksheet", ENTITY + "<worksheet", 1)


def test_a_dtd_in_a_utf16_sheet_part_is_refused(sheet: bytes) -> None:
    """The old guard looked for the bytes `<!DOCTYPE`; UTF-16 hid them."""
    part = _with_entity(member(sheet, SHEET).decode())
    utf16 = ('<?xml version="1.0" encoding="UTF-16"?>' + part).encode("utf-16")
    assert b"<!DOCTYPE" not in utf16
    with pytest.raises(InputError, match="DTD") as caught:
        read_sheet_bytes(rezip(sheet, {SHEET: utf16}), Q, "utf16.xlsx")
    assert caught.value.code == "E-XLSX-DTD"


def test_a_dtd_in_a_part_under_another_name_is_refused(sheet: bytes) -> None:
    """The old guard only read members named .xml/.rels; the rels can point anywhere."""
    part = _with_entity(member(sheet, SHEET).decode()).encode()
    rels = member(sheet, "xl/_rels/workbook.xml.rels").replace(b"sheet1.xml", b"sheet1.bin")
    types = member(sheet, "[Content_Types].xml").replace(b"sheet1.xml", b"sheet1.bin")
    data = rezip(
        sheet,
        {"xl/worksheets/sheet1.bin": part, "xl/_rels/workbook.xml.rels": rels,
         "[Content_Types].xml": types},
        drop=(SHEET,),
    )  # fmt: skip
    with pytest.raises(InputError, match="DTD"):
        read_sheet_bytes(data, Q, "renamed.xlsx")


def test_an_entity_is_never_expanded_into_an_answer(sheet: bytes, tmp_path: Path) -> None:
    """A 14.8 KB file used to become a 1,000,000-character answer."""
    path = tmp_path / "entity.xlsx"
    path.write_bytes(rezip(sheet, {SHEET: _with_entity(member(sheet, SHEET).decode()).encode()}))
    output = refused(_check(path), "DTD")
    assert "x" * 100 not in output


def test_a_sheet_declaring_the_whole_grid_does_not_hang(sheet: bytes, tmp_path: Path) -> None:
    """A1:XFD1048576, a cell at XFD1048576 and a number in an input cell (so openpyxl reads
    the file) used to hang `survey check` for good."""
    part = member(sheet, SHEET).decode()
    part = re.sub(r'<dimension ref="[^"]+"/>', '<dimension ref="A1:XFD1048576"/>', part)
    part = re.sub(r'<c r="B8"[^>]*>.*?</c>', '<c r="B8" t="n"><v>5</v></c>', part, count=1)
    part = part.replace(
        "</sheetData>", '<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row></sheetData>'
    )
    path = tmp_path / "grid.xlsx"
    path.write_bytes(rezip(sheet, {SHEET: part.encode()}))
    with deadline(60):
        document = load_answers(path, Q)
    assert document.respondent["担当部署名"] == "5"


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
@pytest.mark.parametrize("suffix", [".xlsx", ".json"])
def test_a_fifo_or_device_named_like_an_answer_is_refused(
    tmp_path: Path, kind: str, suffix: str
) -> None:
    path = tmp_path / f"answer{suffix}"
    special_file(path, kind)
    refused(invoke(["survey", "check", str(path)], seconds=20), "通常のファイルではない")


# --- JSON -------------------------------------------------------------------------------------


def test_a_5000_digit_number_is_a_wrong_choice_not_a_crash(tmp_path: Path) -> None:
    data = example_data("municipality-complete.json")
    text = json.dumps(data, ensure_ascii=False).replace('"2": "③"', '"2": ' + "7" * 5000)
    result = _check(_json(tmp_path, text))
    no_exception(result)
    assert result.exit_code == 1
    assert "選択肢にありません" in result.output and "7" * 100 not in result.output


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("[" * 100_000 + "]" * 100_000, "入れ子が深すぎます"),
        ('{"respondent": 0}', "オブジェクト"),
        ('{"answers": 0}', "オブジェクト"),
        ('{"respondent": {"組織名": "a\\u001b[2Jb"}}', "制御文字"),
        ('{"answers": {"3": "\\u202e①"}}', "制御文字"),
        ("NaN", "JSON として読めません"),
    ],
    ids=["deep", "respondent-0", "answers-0", "escape-sequence", "bidi-override", "nan"],
)
def test_malformed_json_is_refused_with_a_message(tmp_path: Path, text: str, word: str) -> None:
    output = refused(_check(_json(tmp_path, text)), word)
    assert "\x1b" not in output


def test_a_json_bigger_than_the_sheet_cap_is_refused(tmp_path: Path) -> None:
    """Sheets are capped at 10 MB; a 60 MB JSON was accepted."""
    data = example_data("municipality-complete.json")
    data["respondent"]["担当部署名"] = "課" * (11 * 1024 * 1024 // 3)
    refused(_check(_json(tmp_path, data)), "大きすぎ")


def test_json_errors_under_json_print_the_error_shape(tmp_path: Path) -> None:
    result = _check(_json(tmp_path, "{not json"), "--json")
    assert result.exit_code == 2
    error = json.loads(result.stdout)["error"]
    assert error["code"] == "E-JSON-SYNTAX"
    assert error["location"]["file"].endswith("answers.json") and error["location"]["row"] == 1
    assert error["message"].startswith("JSON として読めません")


# --- My Numbers in messages and reports -------------------------------------------------------


def test_a_my_number_typed_as_an_answer_is_masked_in_check_output(tmp_path: Path) -> None:
    number = valid_number()
    data = example_data("municipality-complete.json")
    data["answers"]["3"] = number
    for extra in ((), ("--json",)):
        result = _check(_json(tmp_path, data), *extra)
        no_exception(result)
        assert result.exit_code == 1
        assert number not in result.output and number[-4:] in result.output


def test_a_my_number_as_an_unknown_key_is_masked(tmp_path: Path) -> None:
    number = valid_number()
    output = refused(_check(_json(tmp_path, {"answers": {number: "①"}})), "未知の項目")
    assert number not in output and number[-4:] in output


def test_a_long_bad_value_is_shortened_in_the_message(tmp_path: Path) -> None:
    data = example_data("municipality-complete.json")
    data["answers"]["3"] = "あ" * 100_000
    for extra in ((), ("--json",)):
        result = _check(_json(tmp_path, data), *extra)
        no_exception(result)
        assert result.exit_code == 1 and len(result.output) < 5000


def test_report_outputs_mask_a_my_number(tmp_path: Path) -> None:
    """An organisation name holding a My Number, and a wrong choice, reach no report file."""
    number = valid_number()
    answers = tmp_path / "answers"
    answers.mkdir()
    data = example_data("municipality-complete.json")
    data["respondent"]["組織名"] = f"番号{number}"
    data["answers"]["3"] = number
    _json(answers, data, "a.json")
    out = tmp_path / "report"
    args = ["survey", "report", "--answers", str(answers), "--out", str(out), "--json"]
    result = invoke(args, seconds=120)
    no_exception(result)
    assert number not in result.output
    files = [p for p in out.rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {"organisations.csv", "report.html", "report.json"}
    for path in files:
        if path.suffix == ".xlsx":
            import zipfile

            with zipfile.ZipFile(path) as archive:
                text = b"".join(archive.read(n) for n in archive.namelist())
        else:
            text = path.read_bytes()
        assert number.encode() not in text, path.name


def test_a_roster_with_mixed_encodings_names_the_line(tmp_path: Path) -> None:
    """One decoding helper for every CSV: the line of the first bad byte, as mixed encodings."""
    from tenken.survey.roster import read_roster

    lines = ["組織名,組織区分", *(f"13東京都{i},都道府県" for i in range(300))]
    data = "\n".join(lines).encode("utf-8") + "\n14神奈川県,都道府県\n".encode("cp932")
    path = tmp_path / "roster.csv"
    path.write_bytes(data)
    with pytest.raises(InputError) as caught:
        read_roster(path, Q)
    assert caught.value.code == "E-INPUT-ENCODING"
    assert caught.value.location is not None and caught.value.location.row == 302
    assert "混在" in caught.value.message


def test_messages_are_not_wrapped_when_piped(tmp_path: Path) -> None:
    """Messages used to be wrapped at 80 columns when piped, splitting words and paths."""
    deep = tmp_path / ("とても長いフォルダ名" * 6)
    deep.mkdir()
    path = _json(deep, "{not json")
    result = _check(path)
    line = next(x for x in result.output.splitlines() if "JSON として読めません" in x)
    assert str(path) in line


@pytest.mark.parametrize("how", ["fast-path", "openpyxl"])
def test_a_control_character_in_a_sheet_cell_is_refused(sheet: bytes, how: str) -> None:
    """The same rule as for JSON, on both reading paths (U+0085 is valid XML, and a C1 control)."""
    part = member(sheet, SHEET).decode()
    cell = '<c r="B8" t="inlineStr"><is><t>総務課&#133;</t></is></c>'
    part = re.sub(r'<c r="B8"[^>]*>.*?</c>', cell, part, count=1)
    if how == "openpyxl":  # a number in another input cell sends the file to openpyxl
        part = re.sub(r'<c r="B9"[^>]*>.*?</c>', '<c r="B9" t="n"><v>5</v></c>', part, count=1)
    with pytest.raises(InputError, match="制御文字") as caught:
        read_sheet_bytes(rezip(sheet, {SHEET: part.encode()}), Q, "ctl.xlsx")
    assert caught.value.location is not None and caught.value.location.column == "回答シート!B8"


def test_rich_markup_in_a_value_or_path_is_printed_as_text(tmp_path: Path) -> None:
    """`[/x]` in an answer used to crash `survey check` with rich's MarkupError."""
    folder = tmp_path / "[bold]回答"
    folder.mkdir()
    data = example_data("municipality-complete.json")
    data["answers"]["3"] = "[/x] [red]赤"
    path = _json(folder, data, "[red]y.json")
    result = _check(path)
    no_exception(result)
    assert result.exit_code == 1
    flat = "".join(result.output.split())
    assert "[/x][red]赤" in flat and "[bold]回答/[red]y.json" in flat
