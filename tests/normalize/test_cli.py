"""``tenken normalize ...``: one JSON object per value, JSON Lines for files, errors in-line."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tenken.cli import app
from tenken.normalize._reference import load_bundled
from tenken.normalize.address import use_reference
from tests.hostile import refused

runner = CliRunner()


def test_address_prints_structured_parts_and_key() -> None:
    """A single address prints one JSON object with its key."""
    result = runner.invoke(app, ["normalize", "address", "東京都千代田区霞が関5の4の3"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["key"] == "13101/霞ケ関/5-4-3"
    assert data["town"] == "霞が関"


def test_date_and_sex_keys() -> None:
    """Dates print their ISO date as key, sex its code."""
    date = runner.invoke(app, ["normalize", "date", "S45.1.23"])
    sex = runner.invoke(app, ["normalize", "sex", "女性"])
    assert json.loads(date.stdout)["key"] == "1970-01-23"
    assert json.loads(sex.stdout)["key"] == "2"


def test_a_bad_single_value_prints_an_error_field_and_exits_1() -> None:
    """An impossible date is a result with an error, not a traceback."""
    result = runner.invoke(app, ["normalize", "date", "平成31年5月1日"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["key"] is None
    assert "平成は2019年4月30日まで" in data["error"]


def test_input_file_gives_json_lines_in_order(tmp_path: Path) -> None:
    """Every line gets its output line, in order, errors included."""
    source = tmp_path / "dates.txt"
    source.write_text("1970-01-23\nだめ\n\nR5.7.21\n", encoding="utf-8")
    result = runner.invoke(app, ["normalize", "date", "--input", str(source)])
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["key"] for line in lines] == ["1970-01-23", None, None, "2023-07-21"]
    assert "error" in lines[1] and "error" in lines[2]


def test_cp932_file_needs_the_encoding_option(tmp_path: Path) -> None:
    """A Shift_JIS file is refused with a hint, and read with --encoding cp932."""
    source = tmp_path / "names.txt"
    source.write_bytes("髙橋 一郎\n".encode("cp932"))
    refused = runner.invoke(app, ["normalize", "name", "--input", str(source)])
    assert refused.exit_code == 2
    assert "cp932" in refused.output
    read = runner.invoke(app, ["normalize", "name", "-i", str(source), "--encoding", "cp932"])
    assert json.loads(read.stdout)["key"] == "高橋一郎"


def test_address_with_registry_towns() -> None:
    """--abr adds Address Base Registry towns to the lookup."""
    sample = str(Path(__file__).parent / "cases/mt_town_sample.csv")
    args = ["normalize", "address", "静岡県浜松市中央区みらい台1-2-3"]
    try:
        with_registry = runner.invoke(app, [*args, "--abr", sample])
    finally:
        use_reference(load_bundled())
    assert json.loads(with_registry.stdout)["level"] == "town"
    assert json.loads(runner.invoke(app, args).stdout)["level"] == "municipality"


def test_missing_value_and_missing_file_are_clear_errors(tmp_path: Path) -> None:
    """No value, or a file that does not exist, exits 2 with a message."""
    assert runner.invoke(app, ["normalize", "sex"]).exit_code == 2
    missing = runner.invoke(app, ["normalize", "sex", "-i", str(tmp_path / "none.txt")])
    refused(missing, "none.txt", "ありません")


def test_bad_lines_in_a_file_each_get_their_line(tmp_path: Path) -> None:
    """A 10 MB line, control characters, emoji and mixed scripts never stop the run."""
    source = tmp_path / "bad.txt"
    lines = [
        "x" * 10_000_000,
        "\x00\x1b[31m東京都",
        "😀",
        "Tokyo 千代田区 ｶｽﾐｶﾞｾｷ 1-1",
        "東京都港区三田2-15-45",
    ]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["normalize", "address", "--input", str(source)])
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == len(lines)
    assert len(out[0]["input"]) <= 200
    assert out[-1]["key"] == "13103/3田/2-15-45"
