"""A pack is one validated unit: questionnaire, report settings and rules load together."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

from tenken.errors import SpecError
from tenken.survey.engine import evaluate
from tenken.survey.loader import DEFAULT_QUESTIONNAIRE
from tenken.survey.pack import load_bundled_pack, pack_text, parse_pack_text, resolve_pack
from tests.packs.kikan import COMPANY, MINISTRY, PACK_DIR, document, pack

SRC = Path(__file__).resolve().parents[2] / "src" / "tenken"


def test_test_pack_loads_with_its_settings_and_no_rules() -> None:
    """The folder's report settings are read; without risk.yaml nobody is judged by a rule."""
    p = pack()
    assert p.id == "test-kikan-renkei" and not p.has_rules and p.rules.rules == ()
    assert p.report.crosstabs == (("A1", "B3"),)
    assert p.report.free_text == ("A2", "A3", "C2")
    assert [f.kind for f in p.questionnaire.items][:3] == ["select_one", "integer", "date"]


def test_bundled_pack_has_rules_and_its_crosstabs() -> None:
    p = load_bundled_pack()
    assert p.has_rules and len(p.rules.rules) == 11 and len(p.report.crosstabs) == 5


def copy_pack(tmp_path: Path) -> Path:
    folder = tmp_path / "pack"
    shutil.copytree(PACK_DIR, folder)
    return folder


def test_every_problem_of_every_file_at_once_with_file_and_line(tmp_path: Path) -> None:
    """A broken report.yaml and a broken risk.yaml: one error lists both, each with its line."""
    folder = copy_pack(tmp_path)
    (folder / "report.yaml").write_text(
        "crosstabs:\n  - [A1, B3]\n  - [A1, Z9]\ncharts: [A2]\n", encoding="utf-8"
    )
    (folder / "risk.yaml").write_text(
        "rules:\n  - id: X1\n    title: t\n    level: 高\n    rationale: r\n    quote: q\n"
        "    condition: ${Q9} = '④'\n  - id: X2\n    title: t\n    level: 超\n"
        "    rationale: r\n    quote: q\n    condition: ${A1} = 'たぶん'\n",
        encoding="utf-8",
    )
    with pytest.raises(SpecError) as info:
        resolve_pack(str(folder))
    message = str(info.value)
    assert f"{folder / 'report.yaml'}" in message and f"{folder / 'risk.yaml'}" in message
    assert "3行目 crosstabs[1]" in message and "'Z9'" in message
    assert "4行目 charts[0]" in message and "選択式ではありません" in message
    assert "2行目 ルール X1" in message and "${Q9}" in message
    assert "8行目 ルール X2" in message and "超" in message and "'たぶん'" in message


def test_broken_questionnaire_names_its_line_and_still_checks_yaml_of_the_rest(
    tmp_path: Path,
) -> None:
    folder = copy_pack(tmp_path)
    text = (folder / "questionnaire.yaml").read_text("utf-8")
    (folder / "questionnaire.yaml").write_text(text.replace("${A1} = 'あり'", "${A9} = 'あり'"))
    (folder / "report.yaml").write_text("crosstabs: [A1, \n", encoding="utf-8")
    with pytest.raises(SpecError) as info:
        resolve_pack(str(folder))
    message = str(info.value)
    line = text.splitlines().index("  - name: A2") + 1
    assert f"{line}行目 項目 A2 relevant" in message and "${A9}" in message
    assert "report.yaml" in message and "YAML として読めません" in message


def test_folder_without_questionnaire_is_refused(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(SpecError, match=r"questionnaire\.yaml がありません"):
        resolve_pack(str(tmp_path / "empty"))


@pytest.mark.parametrize("which", ["bundled", "test"])
def test_pack_text_round_trips(which: str) -> None:
    """What a round stores reads back as the same pack (questionnaire, rules, settings)."""
    p = load_bundled_pack() if which == "bundled" else pack()
    back = parse_pack_text(pack_text(p), "stored")
    assert back.questionnaire == p.questionnaire and back.rules == p.rules
    assert back.report == p.report and back.sample == p.sample and back.has_rules == p.has_rules


def test_numbers_and_dates_are_checked_and_compared_as_numbers() -> None:
    p = pack()
    good = evaluate(p.questionnaire, document(MINISTRY, p))
    assert good.complete
    bad = {(x.item, x.kind) for x in evaluate(p.questionnaire, document(COMPANY, p)).problems}
    assert {("A2", "invalid_format"), ("A3", "invalid_format"), ("B3", "unanswered")} <= bad
    data = document(MINISTRY, p)
    for value, ok in (("-1", False), ("0", True), ("１２", True), ("9", True), ("1.5", False)):
        data.answers["A2"] = value
        problems = evaluate(p.questionnaire, data).problems
        assert (not problems) is ok, value
    for value, ok in (("2024-02-29", True), ("2023-02-29", False), ("2024-2-1", False)):
        data.answers["A2"] = "1"
        data.answers["A3"] = value
        assert (not evaluate(p.questionnaire, data).problems) is ok, value


def _string_constants(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    found = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)}
    return {v for v in found if isinstance(v, str)}


def test_no_generic_module_names_an_item_of_the_bundled_questionnaire() -> None:
    """Item ids (調査項目 names) live in the pack's files, never in code.

    A string constant (docstrings included) in any module of the survey side (survey, store,
    web, cli) that equals an item name, or mentions one as ``${name}``, fails. Names that are
    plain digits ("2", "10") are only looked for as ``${2}``: a bare "5" is also a default
    count or a sex code. The respondent block's 組織名/組織区分 are the one shared convention;
    normalize/ and linkage/ hold no questionnaire code at all.
    """
    q = load_bundled_pack(DEFAULT_QUESTIONNAIRE).questionnaire
    names = {f.name for f in q.items}
    offenders = []
    paths = [p for part in ("survey", "store", "web", "cli") for p in (SRC / part).rglob("*.py")]
    assert len(paths) > 50
    for path in sorted(paths):
        if "migrations" in path.parts:
            continue
        for value in _string_constants(path):
            hits = {n for n in names if "${" + n + "}" in value or (value == n and not n.isdigit())}
            if hits:
                offenders.append(f"{path.relative_to(SRC)}: {sorted(hits)} in {value[:40]!r}")
    assert not offenders, "\n".join(offenders)


def test_a_skip_rule_the_sheet_cannot_compute_is_refused_at_load(tmp_path: Path) -> None:
    """``${A2} > 10`` holds in the engine but has no sheet formula: the pack fails at load,
    naming the field's line, instead of when a sheet is first generated."""
    folder = copy_pack(tmp_path)
    text = (folder / "questionnaire.yaml").read_text("utf-8")
    a3 = "    label: 直近に紐付けを点検した日\n    relevant: "
    assert a3 + "${A1} = 'あり'" in text
    text = text.replace(a3 + "${A1} = 'あり'", a3 + "${A2} > 10")
    (folder / "questionnaire.yaml").write_text(text, "utf-8")
    line = text.splitlines().index("  - name: A3") + 1
    with pytest.raises(SpecError) as info:
        resolve_pack(str(folder))
    assert f"{line}行目 項目 A3 relevant" in str(info.value) and "Excel" in str(info.value)


def test_cli_pack_writes_the_whole_pack_as_one_file(tmp_path: Path) -> None:
    """`tenken survey pack -q FOLDER --out F` writes what a round (or the site's form) keeps."""
    from typer.testing import CliRunner

    from tenken.cli import app

    out = tmp_path / "pack.yaml"
    result = CliRunner().invoke(app, ["survey", "pack", "-q", str(PACK_DIR), "--out", str(out)])
    assert result.exit_code == 0, result.output
    back = parse_pack_text(out.read_text("utf-8"), str(out))
    assert back.questionnaire == pack().questionnaire and back.report == pack().report
    broken = CliRunner().invoke(app, ["survey", "pack", "-q", str(tmp_path / "missing")])
    assert broken.exit_code == 2 and "missing" in broken.output
