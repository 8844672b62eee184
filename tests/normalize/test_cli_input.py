"""Input handling of `tenken normalize --input`: encodings, bad bytes, FIFOs."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.hostile import fifo, invoke, no_exception, refused, valid_number


def _lines(stdout: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]


def test_utf16_input_is_read_by_characters(tmp_path: Path) -> None:
    """Lines used to be split on the byte 0x0a, so UTF-16 could never work."""
    path = tmp_path / "sex.txt"
    path.write_text("男\n女\n1\n", encoding="utf-16")
    result = invoke(["normalize", "sex", "-i", str(path), "--encoding", "utf-16"])
    no_exception(result)
    assert result.exit_code == 0, result.output
    assert [r["key"] for r in _lines(result.stdout)] == ["1", "2", "1"]


def test_a_lone_surrogate_is_an_error_line_not_a_crash(tmp_path: Path) -> None:
    """raw_unicode_escape turns \\ud800 into a lone surrogate, which could not be printed."""
    path = tmp_path / "sex.txt"
    path.write_bytes(b"\\ud800\n2\n")
    result = invoke(["normalize", "sex", "-i", str(path), "--encoding", "raw_unicode_escape"])
    no_exception(result)
    assert result.exit_code == 1
    rows = _lines(result.stdout)
    assert "サロゲート" in str(rows[0]["error"]) and rows[1]["key"] == "2"


def test_a_bad_byte_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "sex.txt"
    path.write_bytes(b"1\n" * 5000 + b"\xff\xfe\n")
    refused(invoke(["normalize", "sex", "-i", str(path)]), "5001行目", "utf-8")


def test_unknown_and_non_text_encodings_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "sex.txt"
    path.write_text("1\n")
    refused(invoke(["normalize", "sex", "-i", str(path), "--encoding", "nope"]), "不明な文字コード")
    refused(invoke(["normalize", "sex", "-i", str(path), "--encoding", "base64"]), "テキスト")


def test_a_fifo_or_device_is_refused(tmp_path: Path) -> None:
    os.symlink("/dev/zero", tmp_path / "zero.txt")
    refused(invoke(["normalize", "sex", "-i", str(tmp_path / "zero.txt")], 20), "通常のファイル")
    path = fifo(tmp_path / "fifo.txt")
    refused(invoke(["normalize", "sex", "-i", str(path)], 20), "通常のファイル")


@pytest.mark.parametrize("typo", [False, True], ids=["valid", "mistyped"])
def test_an_echoed_my_number_is_masked(tmp_path: Path, typo: bool) -> None:
    number = valid_number()
    if typo:  # a wrong check digit: still 11 of a person's digits
        number = number[:-1] + str((int(number[-1]) + 1) % 10)
    path = tmp_path / "dates.txt"
    path.write_text(number + "\n")
    result = invoke(["normalize", "date", "-i", str(path)])
    no_exception(result)
    assert number not in result.output and number[-4:] in result.output
