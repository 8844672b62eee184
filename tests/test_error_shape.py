"""The one error shape: a stable code, a message, a location and a hint, the same in text and
in JSON, and a list of problems kept as objects."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tenken.errors import ErrorList, InputError, Location, SpecError, echo, redact
from tests.hostile import invoke, valid_number

SHAPE = {"code", "message", "location", "hint"}


def test_error_shape() -> None:
    """as_dict is the contract of `--json` errors: pinned here."""
    error = InputError(
        "値が空です", location=Location("records.csv", 5, "制度固有番号"), hint="値を入れる",
        code="E-INPUT-BLANK",
    )  # fmt: skip
    assert error.as_dict() == {
        "code": "E-INPUT-BLANK",
        "message": "値が空です",
        "location": {"file": "records.csv", "row": 5, "column": "制度固有番号"},
        "hint": "値を入れる",
    }
    assert str(error) == "records.csv 5行目 列 制度固有番号: 値が空です（値を入れる）"
    assert InputError("x").code == "E-INPUT" and SpecError("x").code == "E-SPEC"


def test_json_commands_print_errors_in_that_shape(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(b"\xff\xfe{}")
    result = invoke(["survey", "check", str(path), "--json"])
    assert result.exit_code == 2
    error = json.loads(result.stdout)["error"]
    assert set(error) == SHAPE
    assert error["code"] == "E-INPUT-ENCODING"
    assert error["location"] == {"file": str(path), "row": 1, "column": None}


def test_error_list_keeps_the_problems_as_objects() -> None:
    errors = ErrorList("調査票ファイル", "q.yaml")
    errors.add("項目 1", "type がありません")
    errors.add("項目 2", "label がありません")
    assert [(p.where, p.message) for p in errors.items] == [
        ("項目 1", "type がありません"),
        ("項目 2", "label がありません"),
    ]
    with pytest.raises(SpecError) as caught:
        errors.raise_if_any()
    assert [p.where for p in caught.value.problems] == ["項目 1", "項目 2"]
    assert caught.value.as_dict()["problems"][1] == {
        "where": "項目 2",
        "message": "label がありません",
    }
    assert "2 件の誤り" in str(caught.value)


def test_every_message_masks_a_my_number() -> None:
    number = valid_number()
    spaced = f"{number[:4]} {number[4:8]} {number[8:]}"
    for text in (number, spaced, f"ID{number}です"):
        error = InputError(f"「{text}」が重複しています", hint=f"例 {text}")
        assert number[:8] not in str(error).replace(" ", ""), text
    assert redact("1234567890123") == "1234567890123"  # 13 digits (a 法人番号): not a number


def test_a_mistyped_my_number_is_masked_too() -> None:
    """A wrong check digit used to let a number through whole: one mistyped digit leaves 11 of
    a person's digits. Every run of 12 digits in a message or echoed value is masked."""
    number = valid_number()
    typo = number[:-1] + str((int(number[-1]) + 1) % 10)
    for text in (typo, f"{typo[:4]}-{typo[4:8]}-{typo[8:]}", f"番号{typo}です"):
        assert typo[:8] not in redact(text).replace("-", ""), text
        assert typo[:8] not in echo(text).replace("-", ""), text
        error = InputError(f"「{text}」は読めません")
        assert typo[:8] not in str(error).replace("-", "") and typo[-4:] in str(error)


def test_echo_shortens_and_shows_control_characters() -> None:
    assert echo("a\x1b[31mb") == "a\\x1b[31mb"
    long = echo("x" * 100_000)
    assert len(long) < 100 and "100,000" in long
