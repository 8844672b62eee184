"""`tenken survey form`: one sheet, or one per roster organisation; bad rosters are named."""

from __future__ import annotations

import csv
from pathlib import Path

from typer.testing import CliRunner

from tenken.cli import app
from tenken.survey.engine import evaluate
from tenken.survey.model import Questionnaire
from tenken.survey.roster import RosterEntry
from tenken.survey.xlsx.batch import SheetTemplate
from tenken.survey.xlsx.reader import read_sheet, read_sheet_bytes
from tenken.survey.xlsx.writer import form_bytes


def test_single_sheet_prefilled_from_org(questionnaire: Questionnaire, tmp_path: Path) -> None:
    """--org fills 組織名 and derives 組織区分 from the local government list."""
    out = tmp_path / "a.xlsx"
    result = CliRunner().invoke(
        app, ["survey", "form", "--out", str(out), "--org", "14神奈川県相模原市"]
    )
    assert result.exit_code == 0, result.output
    doc = read_sheet(out, questionnaire)
    assert doc.respondent["組織名"] == "14神奈川県相模原市"
    assert doc.respondent["組織区分"] == "市区町村"
    assert not list(tmp_path.glob(".*.tmp")), "no temporary file is left behind"


def test_roster_writes_one_sheet_per_org_and_a_mailing_list(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    """Roster mode: a sheet per organisation pre-filled with its values, and 送付一覧.csv."""
    roster = tmp_path / "r.csv"
    roster.write_text(
        "組織名,組織区分,属性,メールアドレス\n"
        "14神奈川県相模原市,市区町村,訓練手当,a@example.lg.jp\n13東京都,都道府県,,\n",
        encoding="cp932",
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["survey", "form", "--roster", str(roster), "--out-dir", str(out)]
    )
    assert result.exit_code == 0, result.output
    doc = read_sheet(out / "14神奈川県相模原市.xlsx", questionnaire)
    assert doc.respondent["属性"] == "訓練手当" and doc.respondent["組織区分"] == "市区町村"
    assert read_sheet(out / "13東京都.xlsx", questionnaire).respondent["組織区分"] == "都道府県"
    with (out / "送付一覧.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["メールアドレス"] for r in rows] == ["a@example.lg.jp", ""]


def test_bad_roster_names_file_row_and_column(tmp_path: Path) -> None:
    """Each bad line is reported with its row and column; exit 2; nothing is written."""
    roster = tmp_path / "bad.csv"
    roster.write_text(
        "組織名,組織区分\n,市区町村\n13東京都,県\n13東京都,都道府県\n13東京都,都道府県\n"
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["survey", "form", "--roster", str(roster), "--out-dir", str(out)]
    )
    assert result.exit_code == 2
    text = "".join(result.output.split())  # rich wraps long lines at any space
    assert "bad.csv2行目列組織名" in text and "bad.csv3行目列組織区分" in text
    assert "5行目列組織名" in text and "重複" in text
    assert not out.exists()


def test_missing_roster_column_and_bad_option_mix(tmp_path: Path) -> None:
    """A roster without 組織区分, or --roster without --out-dir, is a clear error."""
    roster = tmp_path / "r.csv"
    roster.write_text("組織名\n13東京都\n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["survey", "form", "--roster", str(roster), "--out-dir", "x"])
    assert result.exit_code == 2 and "組織区分" in result.output
    result = runner.invoke(app, ["survey", "form", "--roster", str(roster)])
    assert result.exit_code == 2 and "--out-dir" in result.output


def test_template_rendering_reads_like_a_directly_built_sheet(
    questionnaire: Questionnaire,
) -> None:
    """The fast roster path gives the same document and evaluation as building the sheet."""
    entry = RosterEntry("27大阪府", "都道府県", zokusei="A&B <属性>")
    fast = read_sheet_bytes(
        SheetTemplate(questionnaire).render(entry.prefill()), questionnaire, "x"
    )
    direct = read_sheet_bytes(form_bytes(questionnaire, entry.prefill()), questionnaire, "x")
    assert fast.respondent == direct.respondent and fast.answers == direct.answers
    assert evaluate(questionnaire, fast).to_json() == evaluate(questionnaire, direct).to_json()
