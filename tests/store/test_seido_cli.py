"""Several 制度 through the command line: round create --seido A --seido B, one sheet per
organisation and 制度, ingest, status, report, export and reminders per 制度 and overall."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from tenken.cli import app
from tenken.survey.document import parse_document
from tenken.survey.pack import resolve_pack
from tenken.survey.xlsx.fill import fill_sheet
from tenken.survey.xlsx.layout import MAIN, build_layout
from tests.sheets.conftest import example_data
from tests.store.conftest import Db
from tests.store.seido import A, B, write_pack

runner = CliRunner()
ORGS = [
    ("14神奈川県相模原市", "市区町村"),
    ("13東京都", "都道府県"),
    ("27大阪府大阪市", "市区町村"),
]


def _cli(db: Db, *args: str) -> Any:
    return runner.invoke(app, [*args, *db.cli_args()])


@pytest.fixture
def two_seido_round(store_db: Db, tmp_path: Path, django_db_blocker: Any) -> Path:
    """Round 2023 over two 制度 and three organisations; its sheets in tmp_path/sheets."""
    if store_db.options:
        pytest.skip("the CLI's --db cannot select the per-test PostgreSQL schema")
    pack = write_pack(tmp_path / "pack")
    roster = tmp_path / "roster.csv"
    lines = "".join(f"{n},{k},t{i}@example.lg.jp\n" for i, (n, k) in enumerate(ORGS))
    roster.write_text("組織名,組織区分,メールアドレス\n" + lines, "utf-8")
    with django_db_blocker.unblock():
        made = _cli(store_db, "survey", "round", "create", "2023", "--title", "二制度",
                    "--deadline", "2099-07-21", "--roster", str(roster), "-q", str(pack),
                    "--seido", A, "--seido", B)  # fmt: skip
        assert made.exit_code == 0, made.output
        assert f"制度等: {A}、{B}" in made.output
        sheets = _cli(store_db, "survey", "form", "--round", "2023", "--out-dir",
                      str(tmp_path / "sheets"))  # fmt: skip
        assert sheets.exit_code == 0, sheets.output
    return tmp_path / "sheets"


def _fill(path: Path, example: str, out: Path, **respondent: str) -> Path:
    """Type a bundled example's answers into the sheet ``path`` (its 制度等 is left alone)."""
    q = resolve_pack(str(path.parents[1] / "pack")).questionnaire
    data = example_data(example)
    data["respondent"].update(respondent)
    data["respondent"].pop("制度等", None)
    sheet = path.read_bytes()
    document = parse_document(data, q, "<json>")
    seido = load_workbook(io.BytesIO(sheet))[MAIN][build_layout(q).fields["制度等"].input or ""]
    document.respondent["制度等"] = str(seido.value)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(fill_sheet(sheet, q, document))
    return out


def test_one_sheet_per_organisation_and_seido_each_carrying_its_seido(
    two_seido_round: Path,
) -> None:
    names = sorted(p.name for p in two_seido_round.glob("*.xlsx"))
    assert names == sorted(f"{n}_{s}.xlsx" for n, _k in ORGS for s in (A, B))
    mailing = (two_seido_round / "送付一覧.csv").read_text("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(mailing)))
    assert {(r["組織名"], r["制度等"]) for r in rows} == {(n, s) for n, _k in ORGS for s in (A, B)}


def test_status_report_export_and_reminders_per_seido_and_overall(
    store_db: Db, two_seido_round: Path, tmp_path: Path, django_db_blocker: Any
) -> None:
    """相模原市 answers both 制度 (A complete, B with 未回答), 東京都 only A: status, report,
    export and reminders give each 制度's figures, and the overall ones are their sums."""
    sheets = two_seido_round
    inbox = tmp_path / "inbox"
    city, tokyo = ORGS[0][0], ORGS[1][0]
    _fill(sheets / f"{city}_{A}.xlsx", "municipality-complete.json", inbox / "1.xlsx",
          組織名=city, 組織区分="市区町村")  # fmt: skip
    _fill(sheets / f"{city}_{B}.xlsx", "problem-unanswered.json", inbox / "2.xlsx",
          組織名=city, 組織区分="市区町村")  # fmt: skip
    _fill(sheets / f"{tokyo}_{A}.xlsx", "prefecture-complete.json", inbox / "3.xlsx",
          組織名=tokyo, 組織区分="都道府県")  # fmt: skip
    with django_db_blocker.unblock():
        ingested = _cli(store_db, "survey", "ingest", str(inbox))
        assert ingested.exit_code == 0, ingested.output
        assert "最新 3 件" in ingested.output
        every = json.loads(_cli(store_db, "survey", "status", "--json").stdout)
        assert every["seidos"] == [A, B]
        by = every["summary_by_seido"]
        assert by[A]["名簿"] == by[B]["名簿"] == 3 and every["summary"]["名簿"] == 6
        assert (by[A]["提出済み"], by[B]["提出済み"], by[B]["提出済み（不備あり）"]) == (2, 0, 1)
        for key, n in every["summary"].items():
            assert n == by[A][key] + by[B][key], key
        only_b = json.loads(_cli(store_db, "survey", "status", "--seido", B, "--json").stdout)
        assert only_b["summary"] == by[B] and "summary_by_seido" not in only_b
        assert {(o["組織名"], o["状況"]) for o in only_b["organisations"]} == {
            (city, "提出済み（不備あり）"), (tokyo, "未着手"), (ORGS[2][0], "未着手"),
        }  # fmt: skip
        shown = _cli(store_db, "survey", "status")
        assert A in shown.output and "全体" in shown.output

        made = _cli(store_db, "survey", "report", "--out", str(tmp_path / "report"), "--json")
        assert made.exit_code == 0, made.output
        report = json.loads((tmp_path / "report" / "report.json").read_text("utf-8"))
        parts = report["by_seido"]
        assert list(parts) == [A, B]
        assert report["summary"]["submitted"] == 3
        assert [parts[s]["summary"]["submitted"] for s in (A, B)] == [2, 1]
        for level, n in report["summary"]["levels"]["全体"].items():
            assert n == sum(parts[s]["summary"]["levels"]["全体"][level] for s in (A, B)), level
        for item, part_a, part_b in zip(
            report["items"], parts[A]["items"], parts[B]["items"], strict=True
        ):
            overall = item["groups"]["全体"]["counts"]
            for code, n in overall.items():
                got = (
                    part_a["groups"]["全体"]["counts"][code]
                    + part_b["groups"]["全体"]["counts"][code]
                )
                assert n == got, (item["item"], code)
        html = (tmp_path / "report" / "report.html").read_text("utf-8")
        assert f"制度別: {A}" in html and f"制度別: {B}" in html
        one = _cli(store_db, "survey", "report", "--out", str(tmp_path / "rb"), "--json",
                   "--seido", B)  # fmt: skip
        assert one.exit_code == 0, one.output
        only = json.loads((tmp_path / "rb" / "report.json").read_text("utf-8"))
        assert only["summary"] == parts[B]["summary"] and "by_seido" not in only

        out = tmp_path / "answers.csv"
        assert _cli(store_db, "survey", "export", "--out", str(out)).exit_code == 0
        rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8-sig"))))
        assert len(rows) == 6
        assert {(r["組織名"], r["制度等"], r["状況"]) for r in rows if r["組織名"] == tokyo} == {
            (tokyo, A, "提出済み"), (tokyo, B, "未着手"),
        }  # fmt: skip

        remind = _cli(store_db, "survey", "remind", "--dry-run")
        assert remind.exit_code == 0, remind.output
        assert "督促の対象 4 件" in remind.output  # 相模原市 B (不備), 東京都 B, 大阪市 A and B
        only_a = _cli(store_db, "survey", "remind", "--dry-run", "--seido", A)
        assert "督促の対象 1 件" in only_a.output
        merge = tmp_path / "remind.csv"
        sent = _cli(store_db, "survey", "remind", "--out", str(merge))
        assert sent.exit_code == 0, sent.output
        letters = list(csv.DictReader(io.StringIO(merge.read_text("utf-8-sig"))))
        assert {(r["組織名"], r["制度等"]) for r in letters} == {
            (city, B), (tokyo, B), (ORGS[2][0], A), (ORGS[2][0], B),
        }  # fmt: skip
        assert all(f"（制度: {r['制度等']}）" in r["件名"] for r in letters)
        from tenken.store.models import Reminder

        kept = Reminder.objects.using(store_db.alias).values_list("org_name", "seido")
        assert sorted(kept) == sorted((r["組織名"], r["制度等"]) for r in letters)


def test_a_sheet_of_one_seido_is_never_taken_as_another(
    store_db: Db, two_seido_round: Path, tmp_path: Path, django_db_blocker: Any
) -> None:
    """Its 制度等 changed to the other 制度 (sheet protection removed), or ingested with
    --seido of the other 制度: refused, naming both, nothing stored."""
    city = ORGS[0][0]
    edited = _fill(two_seido_round / f"{city}_{A}.xlsx", "municipality-complete.json",
                   tmp_path / "edited" / "a.xlsx", 組織名=city, 組織区分="市区町村")  # fmt: skip
    q = resolve_pack(str(tmp_path / "pack")).questionnaire
    wb = load_workbook(edited)
    wb[MAIN][build_layout(q).fields["制度等"].input or ""] = B
    wb.save(edited)
    plain = _fill(two_seido_round / f"{city}_{A}.xlsx", "municipality-complete.json",
                  tmp_path / "plain" / "a.xlsx", 組織名=city, 組織区分="市区町村")  # fmt: skip
    with django_db_blocker.unblock():
        refused = _cli(store_db, "survey", "ingest", str(edited))
        assert refused.exit_code == 2
        assert f"制度「{A}」用" in refused.output and f"「{B}」に書き換え" in refused.output
        wrong = _cli(store_db, "survey", "ingest", str(plain), "--seido", B)
        assert wrong.exit_code == 2 and f"制度「{A}」のもの" in wrong.output
        status = json.loads(_cli(store_db, "survey", "status", "--json").stdout)
        assert status["summary"]["提出済み"] == 0
        right = _cli(store_db, "survey", "ingest", str(plain), "--seido", A)
        assert right.exit_code == 0 and "最新 1 件" in right.output


def test_round_create_refuses_a_seido_not_in_the_list(
    store_db: Db, tmp_path: Path, django_db_blocker: Any
) -> None:
    if store_db.options:
        pytest.skip("the CLI's --db cannot select the per-test PostgreSQL schema")
    with django_db_blocker.unblock():
        made = _cli(store_db, "survey", "round", "create", "x", "--title", "t", "--deadline",
                    "2099-01-01", "--seido", "年金")  # fmt: skip
    assert made.exit_code == 2
    assert "「年金」は 制度等 の選択肢にありません" in made.output and A in made.output
