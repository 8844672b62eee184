"""`tenken survey check` and `tenken survey spec` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from tenken.cli import app
from tests.hostile import refused
from tests.survey.conftest import EXAMPLES, example

runner = CliRunner()
MANIFEST = yaml.safe_load((EXAMPLES / "examples.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", MANIFEST, ids=[c["file"] for c in MANIFEST])
def test_bundled_examples_give_the_documented_result(case: dict[str, Any]) -> None:
    """Each example's exit code, flags and problems are the ones examples.yaml documents."""
    result = runner.invoke(app, ["survey", "check", str(EXAMPLES / case["file"]), "--json"])
    assert result.exit_code == case["exit_code"], result.output
    out = json.loads(result.stdout)
    assert out["flags"] == case["flags"]
    got = [{k: p[k] for k in ("item", "kind", "suggestion") if k in p} for p in out["problems"]]
    assert got == case["problems"]


def test_human_report_is_japanese_and_lists_problems() -> None:
    """Without --json the report names the flags and each problem in Japanese."""
    result = runner.invoke(app, ["survey", "check", str(EXAMPLES / "problem-unanswered.json")])
    assert result.exit_code == 1
    assert "情報未入力あり" in result.stdout and "担当部署名が未入力です" in result.stdout


def write(tmp_path: Path, content: str | bytes, name: str = "answers.json") -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def assert_clear_failure(result: Any, *needles: str) -> None:
    """Exit 2, each needle in the message, and no exception escaped (typer's runner catches
    exceptions, so looking for "Traceback" in the output could never fail)."""
    refused(result, *needles)


@pytest.mark.parametrize(
    ("content", "needles"),
    [
        ("{not json", ("JSON として読めません", "1行目")),
        ("[1, 2]", ("最上位はオブジェクト",)),
        ('{"answers": {"1-1": {"a": 1}}}', ("answers.1-1", "文字列")),
        ('{"answers": {"6": "①"}}', ("複数選択", '["①", "②"]')),
        ('{"answers": {"11": "①"}}', ("未知の項目 '11'",)),
        ('{"answers": {"7_2": "①"}}', ("未知の項目 '7_2'", "もしかして '7-2'")),
        ('{"respondent": {"組織": "x"}}', ("未知の項目 '組織'",)),
        ('{"answer": {}}', ("未知のキー",)),
        ('{"questionnaire": "other-survey", "answers": {}}', ("別の調査票",)),
        (b"\x82\xa0\x82\xa2", ("UTF-8",)),
    ],
)
def test_malformed_files_get_a_clear_error(
    tmp_path: Path, content: str | bytes, needles: tuple[str, ...]
) -> None:
    """Broken JSON, wrong types, unknown ids: exit 2 with a message saying what is wrong."""
    result = runner.invoke(app, ["survey", "check", str(write(tmp_path, content))])
    assert_clear_failure(result, *needles)


def test_missing_file_and_unknown_format(tmp_path: Path) -> None:
    """A missing file or an unreadable format says so, exit 2."""
    assert_clear_failure(
        runner.invoke(app, ["survey", "check", str(tmp_path / "nope.json")]), "ファイルがありません"
    )
    assert_clear_failure(
        runner.invoke(app, ["survey", "check", str(write(tmp_path, "x", "a.pdf"))]), "読める形式"
    )


def test_choice_like_1_gets_invalid_choice_with_suggestion(tmp_path: Path) -> None:
    """`1` and `① ` are not codes: invalid_choice suggesting ①, exit 1."""
    doc = example("prefecture-complete.json")
    doc["answers"]["2"] = 1
    doc["answers"]["3"] = "① "
    result = runner.invoke(
        app,
        ["survey", "check", str(write(tmp_path, json.dumps(doc, ensure_ascii=False))), "--json"],
    )
    assert result.exit_code == 1
    problems = json.loads(result.stdout)["problems"]
    assert [(p["item"], p["kind"], p["suggestion"]) for p in problems] == [
        ("2", "invalid_choice", "①"),
        ("3", "invalid_choice", "①"),
    ]


def test_spec_json_lists_every_item_with_choices() -> None:
    """`survey spec --json` gives the items, their types, conditions and choices."""
    result = runner.invoke(app, ["survey", "spec", "--json"])
    assert result.exit_code == 0
    spec = json.loads(result.stdout)
    fields = {f["name"]: f for f in spec["fields"]}
    assert fields["7-4"]["type"] == "select_multiple q7_4"
    assert fields["7-4"]["relevant"] == "${7-3} = '①'"
    assert [c["name"] for c in fields["10"]["choices"]] == ["①", "②", "③", "④"]


def test_spec_human_output_shows_questions() -> None:
    """The readable spec shows the 別添1 questions and choices."""
    result = runner.invoke(app, ["survey", "spec"])
    assert result.exit_code == 0 and "Q7-3" in result.stdout and "漢字氏名" in result.stdout


def test_spec_with_broken_questionnaire_file(tmp_path: Path) -> None:
    """--questionnaire pointing at a broken file is exit 2 with the reasons."""
    path = write(tmp_path, "id: x\nversion: 1\ntitle: t\nfields: []\n", "q.yaml")
    assert_clear_failure(runner.invoke(app, ["survey", "spec", "-q", str(path)]), "choices")
