"""Two rounds of one questionnaire in one database are independent; what counts is one rule."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tenken.cli import app
from tenken.store import api
from tenken.store.ingest import ingest
from tenken.store.status import status
from tenken.survey.document import parse_document
from tenken.survey.engine import evaluate
from tenken.survey.model import Questionnaire
from tests.sheets.conftest import example_data
from tests.store.conftest import Db, survey_round, write_answer

ROSTER = [("14神奈川県相模原市", "市区町村"), ("13東京都", "都道府県")]
runner = CliRunner()


def _cli(db: Db, *args: str) -> Any:
    result = runner.invoke(app, [*args, *db.cli_args()])
    return result


def _sqlite_only(db: Db) -> None:
    if db.options:
        pytest.skip("the CLI's --db cannot select the per-test PostgreSQL schema")


def test_two_rounds_through_the_cli_are_independent(
    store_db: Db, questionnaire: Questionnaire, blank: bytes, tmp_path: Path, django_db_blocker: Any
) -> None:
    """Answers, status and report of round 2023 and round 2024 do not see each other."""
    _sqlite_only(store_db)
    roster = tmp_path / "roster.csv"
    roster.write_text("組織名,組織区分\n14神奈川県相模原市,市区町村\n13東京都,都道府県\n", "utf-8")
    first = write_answer(tmp_path / "r1", "a.xlsx", questionnaire, blank)
    second = write_answer(
        tmp_path / "r2", "b.xlsx", questionnaire, blank, example="problem-unanswered.json",
        組織名="13東京都", 組織区分="都道府県",
    )  # fmt: skip
    with django_db_blocker.unblock():
        for code, day in (("2023", "2023-07-21"), ("2024", "2024-07-19")):
            made = _cli(store_db, "survey", "round", "create", code, "--title", f"調査{code}",
                        "--deadline", day, "--roster", str(roster))  # fmt: skip
            assert made.exit_code == 0, made.output
        assert _cli(store_db, "survey", "ingest", str(first), "--round", "2023").exit_code == 0
        assert _cli(store_db, "survey", "ingest", str(second), "--round", "2024").exit_code == 0
        # The same file again in the other round is a new answer there, not a duplicate.
        again = _cli(store_db, "survey", "ingest", str(first), "--round", "2024")
        assert "最新 1 件" in again.output
        one = json.loads(_cli(store_db, "survey", "status", "--round", "2023", "--json").stdout)
        two = json.loads(_cli(store_db, "survey", "status", "--round", "2024", "--json").stdout)
        for code in ("2023", "2024"):
            out = tmp_path / f"report{code}"
            made = _cli(store_db, "survey", "report", "--round", code, "--out", str(out), "--json")
            assert made.exit_code == 0, made.output
    states = {o["組織名"]: o["状況"] for o in one["organisations"]}
    assert states == {"13東京都": "未着手", "14神奈川県相模原市": "提出済み"}
    states = {o["組織名"]: o["状況"] for o in two["organisations"]}
    assert states == {"13東京都": "提出済み（不備あり）", "14神奈川県相模原市": "提出済み"}
    r1 = json.loads((tmp_path / "report2023" / "report.json").read_text("utf-8"))
    r2 = json.loads((tmp_path / "report2024" / "report.json").read_text("utf-8"))
    assert (r1["summary"]["organisations"], r1["summary"]["submitted"]) == (2, 1)
    assert (r2["summary"]["organisations"], r2["summary"]["submitted"]) == (2, 2)
    assert r1["summary"]["levels"] != r2["summary"]["levels"]
    states = {o["org_name"]: o["state"] for o in r2["organisations"]}
    assert states == {"13東京都": "提出済み（不備あり）", "14神奈川県相模原市": "提出済み"}
    assert "提出済み（不備あり）" in (tmp_path / "report2024" / "organisations.csv").read_text(
        "utf-8-sig"
    )


def test_a_closed_round_refuses_ingest_and_another_questionnaire_is_refused(
    store_db: Db, questionnaire: Questionnaire, blank: bytes, tmp_path: Path, django_db_blocker: Any
) -> None:
    """Closing a round stops ingest with a clear message (exit 2); reopening allows it again."""
    _sqlite_only(store_db)
    sheet = write_answer(tmp_path, "a.xlsx", questionnaire, blank)
    with django_db_blocker.unblock():
        survey_round(store_db, roster=ROSTER)
        assert _cli(store_db, "survey", "round", "close", "2023").exit_code == 0
        refused = _cli(store_db, "survey", "ingest", str(sheet))
        assert refused.exit_code == 2 and "締切済み" in refused.output
        assert _cli(store_db, "survey", "round", "open", "2023").exit_code == 0
        assert _cli(store_db, "survey", "ingest", str(sheet)).exit_code == 0


def _document(q: Questionnaire, example: str = "municipality-complete.json") -> Any:
    return parse_document(example_data(example), q, "<web>")


def _save(db: Db, q: Questionnaire, code: str, submit: bool, example: str = "") -> None:
    document = _document(q, example or "municipality-complete.json")
    r = survey_round(db, code, roster=ROSTER)
    member = api.Member("14神奈川県相模原市", "市区町村")
    api.save_web(r, member, q, document, evaluate(q, document), submit=submit, username="t",
                 alias=db.alias)  # fmt: skip


def test_a_web_draft_is_not_counted_by_status(
    store_db: Db, questionnaire: Questionnaire, django_db_blocker: Any
) -> None:
    """`survey status` (store.status over api.counted): a draft is 一時保存, not submitted."""
    with django_db_blocker.unblock():
        _save(store_db, questionnaire, "2023", submit=False)
        report = status(survey_round(store_db), store_db.alias)
        assert report.summary()["提出済み"] == 0 and report.summary()["一時保存"] == 1
        assert api.counted(survey_round(store_db), store_db.alias).count() == 0
        _save(store_db, questionnaire, "2023", submit=True)
        _save(store_db, questionnaire, "2023", submit=False, example="problem-unanswered.json")
        report = status(survey_round(store_db), store_db.alias)
    found = {o.org_name: o for o in report.organisations}["14神奈川県相模原市"]
    # The later draft with problems does not withdraw the clean submission.
    assert found.state == "提出済み" and not found.unanswered


def test_a_web_draft_is_not_counted_by_the_report(
    store_db: Db, questionnaire: Questionnaire, tmp_path: Path, django_db_blocker: Any
) -> None:
    """`survey report --round` counts submissions only (api.counted)."""
    _sqlite_only(store_db)
    with django_db_blocker.unblock():
        _save(store_db, questionnaire, "2023", submit=False)
        result = _cli(store_db, "survey", "report", "--out", str(tmp_path / "o"), "--json")
        assert result.exit_code == 0, result.output
        data = json.loads((tmp_path / "o" / "report.json").read_text("utf-8"))
        assert data["summary"]["submitted"] == 0
        _save(store_db, questionnaire, "2023", submit=True)
        result = _cli(store_db, "survey", "report", "--out", str(tmp_path / "p"), "--json")
    data = json.loads((tmp_path / "p" / "report.json").read_text("utf-8"))
    assert data["summary"]["submitted"] == 1


def test_an_older_file_never_replaces_the_counted_one_and_rounds_do_not_share(
    store_db: Db, questionnaire: Questionnaire, blank: bytes, tmp_path: Path, django_db_blocker: Any
) -> None:
    """Ingest into round 2024 leaves round 2023's counted response as it was."""
    sheet = write_answer(tmp_path, "a.xlsx", questionnaire, blank)
    with django_db_blocker.unblock():
        one = survey_round(store_db, "2023", roster=ROSTER)
        two = survey_round(store_db, "2024", roster=ROSTER)
        ingest([sheet], one, questionnaire, store_db.alias, workers=1)
        before = list(api.counted(one, store_db.alias).values_list("pk", "sha256"))
        _save(store_db, questionnaire, "2024", submit=True, example="problem-unanswered.json")
        ingest([sheet], two, questionnaire, store_db.alias, workers=1)
        assert list(api.counted(one, store_db.alias).values_list("pk", "sha256")) == before
        assert api.counted(two, store_db.alias).count() == 1


def test_a_required_attachment_missing_from_the_folder_is_a_problem(
    store_db: Db, questionnaire: Questionnaire, blank: bytes, tmp_path: Path, django_db_blocker: Any
) -> None:
    """Q10 ② asks for the 概要: missing beside the sheet → missing_attachment, 不備あり."""
    data = example_data("municipality-complete.json")
    data["answers"]["10"] = "②"
    from tenken.survey.xlsx.fill import fill_sheet

    sheet = fill_sheet(blank, questionnaire, parse_document(data, questionnaire, "<json>"))
    alone = tmp_path / "a" / "相模原市.xlsx"
    given = tmp_path / "b" / "東京都.xlsx"
    for path in (alone, given):
        path.parent.mkdir()
    alone.write_bytes(sheet)
    data["respondent"].update(組織名="13東京都", 組織区分="都道府県")
    given.write_bytes(fill_sheet(blank, questionnaire, parse_document(data, questionnaire, "x")))
    (tmp_path / "b" / "紐付け誤り事例の概要.pdf").write_bytes(b"%PDF-1.7")
    with django_db_blocker.unblock():
        r = survey_round(store_db, roster=ROSTER)
        ingest([alone, given], r, questionnaire, store_db.alias, workers=1)
        found = {o.org_name: o for o in status(r, store_db.alias).organisations}
    tokyo, sagamihara = found["13東京都"], found["14神奈川県相模原市"]
    assert (sagamihara.state, sagamihara.missing_attachments) == ("提出済み（不備あり）", 1)
    assert not sagamihara.flagged  # not a flag of the sheet: a problem of its own kind
    assert tokyo.missing_attachments == 0  # the 概要 beside its sheet counts


def test_the_report_says_what_status_says_of_a_missing_attachment(
    store_db: Db, questionnaire: Questionnaire, blank: bytes, tmp_path: Path, django_db_blocker: Any
) -> None:
    """An answer whose only problem is the missing 概要 is 提出済み（不備あり） in status, on the
    dashboard and in the report (CLI and site): the report reads the problems the store kept."""
    from tenken.survey.report import build_pack_report
    from tenken.survey.report.model import ListedOrg
    from tenken.survey.xlsx.fill import fill_sheet

    data = example_data("municipality-complete.json")
    data["answers"]["10"] = "②"
    sheet = tmp_path / "a" / "相模原市.xlsx"
    sheet.parent.mkdir()
    sheet.write_bytes(fill_sheet(blank, questionnaire, parse_document(data, questionnaire, "x")))
    with django_db_blocker.unblock():
        r = survey_round(store_db, roster=ROSTER)
        ingest([sheet], r, questionnaire, store_db.alias, workers=1)
        states = {o.org_name: o.state for o in status(r, store_db.alias).organisations}
        dashboard = {o.org_name: o.state for o in api.overview(r, store_db.alias)}
        roster = [ListedOrg(name, kind) for name, kind in ROSTER]
        answers = api.counted_answers(r, store_db.alias)
        report = build_pack_report(api.pack_of(r), roster, answers, "2023-07-21 09:00")
    in_report = {o.org_name: o.state for o in report.orgs}
    name = "14神奈川県相模原市"
    assert states[name] == dashboard[name] == in_report[name] == "提出済み（不備あり）"
    assert [o.problems for o in report.orgs if o.org_name == name] == [1]
    if not store_db.options:  # the CLI's report reads the same answers
        out = tmp_path / "out"
        result = _cli(store_db, "survey", "report", "--out", str(out), "--json")
        assert result.exit_code == 0, result.output
        orgs = json.loads((out / "report.json").read_text("utf-8"))["organisations"]
        assert {o["org_name"]: o["state"] for o in orgs}[name] == "提出済み（不備あり）"


def test_the_raw_export_has_every_answer_one_row_per_organisation(
    store_db: Db, questionnaire: Questionnaire, blank: bytes, tmp_path: Path, django_db_blocker: Any
) -> None:
    """`survey export`: xlsx and CSV (UTF-8 / CP932) with free text and contact fields."""
    import csv
    import io

    from openpyxl import load_workbook

    _sqlite_only(store_db)
    data = example_data("municipality-complete.json")
    data["respondent"]["担当部署名"] = "=福祉部"  # formula-like text stays text
    from tenken.survey.xlsx.fill import fill_sheet

    sheet = tmp_path / "in" / "a.xlsx"
    sheet.parent.mkdir()
    sheet.write_bytes(fill_sheet(blank, questionnaire, parse_document(data, questionnaire, "x")))
    with django_db_blocker.unblock():
        survey_round(store_db, roster=ROSTER)
        assert _cli(store_db, "survey", "ingest", str(sheet)).exit_code == 0
        for name, extra in (("a.xlsx", ()), ("a.csv", ()), ("b.csv", ("--encoding", "cp932"))):
            made = _cli(store_db, "survey", "export", "--out", str(tmp_path / name), *extra)
            assert made.exit_code == 0, made.output
    ws = load_workbook(tmp_path / "a.xlsx").active
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    head = rows[0]
    assert len(rows) == 3  # header + the two roster organisations
    sagamihara = dict(zip(head, rows[2], strict=True))
    assert sagamihara["組織名"] == "14神奈川県相模原市" and sagamihara["状況"] == "提出済み"
    assert (
        sagamihara["担当部署名"] == "=福祉部"
        and ws.cell(3, head.index("担当部署名") + 1).data_type == "s"
    )
    assert sagamihara["項番8-1-概要"] == data["answers"].get("8-1-概要")
    assert sagamihara["メールアドレス"] == data["respondent"]["メールアドレス"]
    text = (tmp_path / "a.csv").read_bytes().decode("utf-8-sig")
    assert "'=福祉部" in text
    cp932 = list(csv.reader(io.StringIO((tmp_path / "b.csv").read_bytes().decode("cp932"))))
    assert cp932[0] == head and cp932[1][0] == "13東京都"


def test_a_sheet_generated_for_round_a_is_refused_in_round_b(
    store_db: Db, questionnaire: Questionnaire, tmp_path: Path, django_db_blocker: Any
) -> None:
    """`survey form --round 2023` marks the sheets; ingesting one into 2024 is refused (exit 2)."""
    _sqlite_only(store_db)
    from tenken.survey.xlsx.fill import fill_sheet

    with django_db_blocker.unblock():
        survey_round(store_db, "2023", roster=ROSTER)
        survey_round(store_db, "2024", roster=ROSTER)
        made = _cli(store_db, "survey", "form", "--round", "2023", "--out-dir", str(tmp_path / "s"))
        assert made.exit_code == 0, made.output
        sheet = tmp_path / "s" / "14神奈川県相模原市.xlsx"
        document = _document(questionnaire)
        sheet.write_bytes(fill_sheet(sheet.read_bytes(), questionnaire, document))
        refused = _cli(store_db, "survey", "ingest", str(sheet), "--round", "2024")
        accepted = _cli(store_db, "survey", "ingest", str(sheet), "--round", "2023")
    assert refused.exit_code == 2
    assert "調査回2023用です（取り込み先は調査回2024）" in "".join(refused.output.split())
    assert accepted.exit_code == 0 and "最新 1 件" in accepted.output
