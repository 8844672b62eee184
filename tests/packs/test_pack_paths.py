"""The test pack runs every path: sheet, LibreOffice, read-back, check, ingest, status, report.

It differs from the bundled questionnaire in organisation types, item names, skip chains, item
kinds (an integer and a date) and has no risk rules, so a path that still assumes the bundled
questionnaire fails here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tenken.cli import app
from tenken.survey.engine import evaluate
from tenken.survey.xlsx.fill import fill_sheet
from tenken.survey.xlsx.reader import read_sheet
from tenken.survey.xlsx.writer import form_bytes
from tests.packs.kikan import (
    AGENCY,
    COMPANY,
    MINISTRY,
    PACK_DIR,
    ROSTER,
    RULES,
    answers,
    document,
    pack,
)
from tests.sheets.libreoffice import recalculate, soffice

runner = CliRunner()
KINDS = {MINISTRY: "府省庁", AGENCY: "独立行政法人", COMPANY: "特殊法人"}


def sheet(name: str) -> bytes:
    p = pack()
    prefill = {"組織名": name, "組織区分": KINDS[name]}
    return fill_sheet(form_bytes(p.questionnaire, prefill), p.questionnaire, document(name, p))


def test_sheets_read_back_as_the_answers(tmp_path: Path) -> None:
    """Each answer typed into the pack's sheet reads back with the same problems and flags."""
    p = pack()
    for name in answers():
        path = tmp_path / f"{name}.xlsx"
        path.write_bytes(sheet(name))
        back = read_sheet(path, p.questionnaire)
        assert {k: v for k, v in back.answers.items() if v} == document(name, p).answers
        expected = evaluate(p.questionnaire, document(name, p))
        assert evaluate(p.questionnaire, back).to_json() == expected.to_json()


@pytest.mark.libreoffice
@pytest.mark.slow
def test_libreoffice_flags_agree_with_the_engine(tmp_path: Path) -> None:
    """LibreOffice recalculates the pack's flag formulas to the engine's flags, and its saved
    files read back with the engine's problems."""
    soffice()
    p = pack()
    q = p.questionnaire
    sheets = {f"s{i}": sheet(name) for i, name in enumerate(answers())}
    sheets["blank"] = form_bytes(q)
    shown = recalculate(q, sheets, tmp_path)
    for i, name in enumerate(answers()):
        expected = evaluate(q, document(name, p))
        assert shown[f"s{i}"] == expected.flags, name
        back = read_sheet(tmp_path / "out" / f"s{i}.xlsx", q)
        assert evaluate(q, back).to_json() == expected.to_json(), name
    assert shown["blank"] == {"情報未入力あり": True, "未回答あり": True}
    assert shown["s2"]["未回答あり"] and not shown["s0"]["未回答あり"]


def write_answers(folder: Path) -> None:
    """The three answers as filled sheets, as a ministry receives them."""
    folder.mkdir()
    for name, file in ((MINISTRY, "ministry"), (AGENCY, "agency"), (COMPANY, "company")):
        (folder / f"{file}.xlsx").write_bytes(sheet(name))


def invoke(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code in (0, 1), result.output
    return result.output


def test_cli_check_ingest_status_report_and_rules(tmp_path: Path, django_db_blocker: Any) -> None:
    """`-q PACK` everywhere: check, ingest, status, report; --rules judges by another file."""
    with django_db_blocker.unblock():
        _cli_flow(tmp_path)


def _cli_flow(tmp_path: Path) -> None:
    folder, out = tmp_path / "answers", tmp_path / "report"
    write_answers(folder)
    q, db = str(PACK_DIR), f"sqlite:///{tmp_path / 'store.sqlite3'}"
    checked = runner.invoke(app, ["survey", "check", str(folder / "company.xlsx"), "-q", q])
    assert checked.exit_code == 1 and "項番A2" in checked.stdout and "整数" in checked.stdout

    invoke("survey", "round", "create", "R1", "--title", "機関調査", "--deadline", "2030-03-31",
           "--roster", str(ROSTER), "-q", q, "--db", db)  # fmt: skip
    invoke("survey", "ingest", str(folder), "-q", q, "--db", db)
    status = json.loads(invoke("survey", "status", "--db", db, "--json"))
    states = {o["組織名"]: (o["状況"], o["flags"]["未回答あり"]) for o in status["organisations"]}
    assert states[MINISTRY][1] is False and states[COMPANY][1] is True
    assert {o["組織区分"] for o in status["organisations"]} == set(KINDS.values())

    invoke("survey", "export", "--db", db, "--out", str(tmp_path / "raw.csv"))
    raw = (tmp_path / "raw.csv").read_text("utf-8-sig")
    assert "A2" in raw and "120" in raw and "2025-12-01" in raw and "二人で確認" in raw

    invoke("survey", "report", "--db", db, "--out", str(out), "--json")
    report = json.loads((out / "report.json").read_text("utf-8"))
    levels = {o["org_name"]: o["level"] for o in report["organisations"]}
    assert set(levels) == set(KINDS) and set(levels.values()) == {"低"}  # no rules: no one flagged
    assert report["rules"] == []
    a1 = next(i for i in report["items"] if i["item"] == "A1")
    assert [i["item"] for i in report["items"]] == ["A1", "B1", "B3", "C1"]
    assert a1["groups"]["全体"]["answered"] == 3
    texts = {t["item"]: dict(map(tuple, t["answers"])) for t in report["texts"]}
    assert (
        texts["A2"] == {MINISTRY: "120", COMPANY: "十二"} and texts["A3"][MINISTRY] == "2025-12-01"
    )
    assert [(t["row"], t["col"]) for t in report["crosstabs"]] == [("A1", "B3")]
    html = (out / "report.html").read_text("utf-8")
    assert "リスク判定ルールがありません" in html and "二人で確認" in html

    invoke("survey", "report", "--db", db, "--out", str(out), "--json", "--rules", str(RULES))
    report = json.loads((out / "report.json").read_text("utf-8"))
    judged = {o["org_name"]: (o["level"], o["rules"]) for o in report["organisations"]}
    assert judged[AGENCY] == ("高", ["T1"]) and judged[MINISTRY] == ("中", ["T2"])
    assert judged[COMPANY] == ("低", [])


def test_report_rules_file_is_checked_against_the_pack(tmp_path: Path) -> None:
    """--rules with the bundled questionnaire's rules: refused, naming the unknown items."""
    from tenken.survey.risk import bundled_rules_path

    bundled = str(bundled_rules_path("mhlw-2023-shokugyo-tenkan"))
    args = ["survey", "report", "-q", str(PACK_DIR), "--answers", str(tmp_path),
            "--out", str(tmp_path / "o"), "--rules", bundled]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "この調査票" in result.output and not (tmp_path / "o").exists()


def test_a_round_reports_with_the_pack_it_was_created_with(
    tmp_path: Path, django_db_blocker: Any
) -> None:
    """The round keeps the whole pack: removing the folder's rules later changes nothing."""
    import shutil

    folder, answers_dir, out = tmp_path / "pack", tmp_path / "answers", tmp_path / "out"
    shutil.copytree(PACK_DIR, folder)
    shutil.copy(RULES, folder / "risk.yaml")
    write_answers(answers_dir)
    db = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    with django_db_blocker.unblock():
        invoke("survey", "round", "create", "R1", "--title", "t", "--deadline", "2030-03-31",
               "--roster", str(ROSTER), "-q", str(folder), "--db", db)  # fmt: skip
        shutil.rmtree(folder)
        invoke("survey", "ingest", str(answers_dir), "--db", db)
        invoke("survey", "report", "--db", db, "--out", str(out), "--json")
    report = json.loads((out / "report.json").read_text("utf-8"))
    judged = {o["org_name"]: o["level"] for o in report["organisations"]}
    assert judged[AGENCY] == "高" and [r["id"] for r in report["rules"]] == ["T1", "T2"]
