"""Reports: the figures agree across renderings, outputs are safe and written atomically."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tenken.survey.document import AnswerDocument, parse_document
from tenken.survey.local_governments import all_local_governments, lookup_org_name
from tenken.survey.model import Questionnaire
from tenken.survey.pack import load_bundled_pack
from tenken.survey.report import ReportData, build_pack_report, write_report
from tenken.survey.report import write as write_module
from tenken.survey.report.csv_out import safe_cell, to_csv
from tenken.survey.report.html import render_html
from tests.survey.test_aggregate import doc

EVIL = '=HYPERLINK("http://x")<script>alert(1)</script>'


def documents(q: Questionnaire) -> list[AnswerDocument]:
    risky = doc("市区町村", "14神奈川県相模原市", **{"1-1": "①", "2": "①", "3": "①", "4": "②",
                "5": "②", "6": ["①"], "7-1": "①", "7-2": "①", "7-3": "①", "7-4": ["②", "③"],
                "8-1": "②", "9": "④", "10": "①"})  # fmt: skip
    safe = doc("都道府県", "13東京都", **{"1-2": "②", "2": "①", "3": "①", "4": "③", "5": "①",
               "10": "①"})  # fmt: skip
    outsider = doc("都道府県", EVIL, **{"1-2": "①", "2": "②", "3": "②", "10": "①"})
    datas = [risky, safe, outsider, dict(safe)]  # 東京都 answers twice
    return [parse_document(d, q, f"d{i}.json") for i, d in enumerate(datas)]


@pytest.fixture(scope="module")
def report(questionnaire: Questionnaire) -> ReportData:
    names = ("14神奈川県相模原市", "13東京都", "01北海道札幌市")
    roster = [lg for name in names if (lg := lookup_org_name(name)) is not None]
    return build_pack_report(
        load_bundled_pack(), roster, documents(questionnaire), "2023-07-21 10:00"
    )


def test_roster_status_levels_and_rules(report: ReportData) -> None:
    """Sagamihara is 高 (R02, R03, R06, R07); Tokyo 低; Sapporo not submitted; EVIL outside."""
    by_name = {o.org_name: o for o in report.orgs}
    assert by_name["14神奈川県相模原市"].level == "高"
    assert by_name["14神奈川県相模原市"].rules == ("R02", "R03", "R06", "R07")
    assert by_name["13東京都"].level == "低"
    assert by_name["01北海道札幌市"].level == "未提出" and not by_name["01北海道札幌市"].submitted
    assert not by_name[EVIL].in_roster
    assert report.duplicates == ("13東京都",)
    assert report.orgs[0].level == "高"


def test_level_counts(report: ReportData) -> None:
    """高1 (市); 低1 (東京都); 中1: the outsider's 3=② leads to Q6, and 6–9 are unanswered (R09),
    which outranks its R11 (2=②, 低); 未提出1 (札幌市)."""
    counts = report.level_counts()
    assert counts["全体"] == {"高": 1, "中": 1, "低": 1, "未提出": 1}
    assert counts["都道府県"] == {"高": 0, "中": 1, "低": 1, "未提出": 0}
    assert report.rule_counts() == {"R01": 0, "R02": 1, "R03": 1, "R04": 0, "R05": 0, "R06": 1,
                                    "R07": 1, "R08": 0, "R09": 1, "R10": 0, "R11": 1}  # fmt: skip


def test_written_files_agree(report: ReportData, tmp_path: Path) -> None:
    """JSON, CSV and Excel carry the same figures; nothing is left in the staging folder."""
    written = write_report(report, tmp_path / "out", with_json=True)
    assert {p.name for p in written} == {"report.html", "report.xlsx", "report.json",
                                         "organisations.csv", "tallies.csv"}  # fmt: skip
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
    data: dict[str, Any] = json.loads((tmp_path / "out" / "report.json").read_text("utf-8"))
    item9 = next(i for i in data["items"] if i["item"] == "9")
    assert item9["groups"]["全体"]["counts"] == {"①": 0, "②": 0, "③": 0, "④": 1}
    assert data["summary"]["levels"]["全体"]["高"] == 1
    wb = openpyxl.load_workbook(tmp_path / "out" / "report.xlsx")
    assert {"概要", "項番9", "クロス集計", "リスク判定ルール", "団体別判定", "未提出・不備"} <= set(
        wb.sheetnames
    )
    ws = wb["項番9"]
    assert ws["A9"].value == "④" and ws["C9"].value == 1
    assert len(ws._charts) == 1
    rows = list(
        csv.reader(io.StringIO((tmp_path / "out" / "organisations.csv").read_text("utf-8-sig")))
    )
    assert rows[0][1] == "組織名" and len(rows) == 1 + len(report.orgs)


def test_the_excel_report_lists_the_free_text_answers(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    """Item 7: the typed-in answers 2 予定年月 and 8-1 概要 are listed, organisation by
    organisation, on the workbook's 記述・数値の回答 sheet."""
    later = doc("市区町村", "14神奈川県相模原市", **{"1-1": "①", "2": "③", "2-予定年月": "2024-04",
                "3": "①", "4": "②", "5": "②", "6": ["①"], "7-1": "①", "7-2": "①", "7-3": "①",
                "7-4": ["②"], "8-1": "①", "8-1-概要": "二人で照合し記録を残す", "8-2": "①",
                "9": "①", "10": "①"})  # fmt: skip
    answers = [parse_document(later, questionnaire, "a.json")]
    roster = [lg for lg in [lookup_org_name("14神奈川県相模原市")] if lg is not None]
    data = build_pack_report(load_bundled_pack(), roster, answers, "2023-07-21 10:00")
    write_report(data, tmp_path / "out")
    wb = openpyxl.load_workbook(tmp_path / "out" / "report.xlsx")
    cells = [
        [c for c in row if c is not None]
        for row in wb["記述・数値の回答"].iter_rows(values_only=True)
    ]
    headings = [row[0] for row in cells if row and str(row[0]).startswith("項番")]
    assert [h.split()[0] for h in headings] == ["項番2-予定年月", "項番8-1-概要"]
    assert ["14神奈川県相模原市", "2024-04"] in cells
    assert ["14神奈川県相模原市", "二人で照合し記録を残す"] in cells


def test_formula_injection_is_neutralised(report: ReportData, tmp_path: Path) -> None:
    """An answer that looks like a formula is text in Excel and quoted in CSV."""
    write_report(report, tmp_path)
    text = (tmp_path / "organisations.csv").read_text("utf-8-sig")
    assert "'" + EVIL.replace('"', '""') in text
    wb = openpyxl.load_workbook(tmp_path / "report.xlsx")
    cells = [c for row in wb["団体別判定"].iter_rows() for c in row if c.value == EVIL]
    assert cells and all(c.data_type == "s" for c in cells)


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_safe_cell_prefixes(prefix: str) -> None:
    """Every dangerous first character gets a leading apostrophe; numbers pass unchanged."""
    assert safe_cell(prefix + "1+1") == "'" + prefix + "1+1"
    assert safe_cell("相模原市") == "相模原市"
    assert safe_cell(-5) == -5
    assert to_csv(["a"], [["-1"]]).splitlines()[1] == "'-1"


def test_html_escapes_answers(report: ReportData) -> None:
    """Text from answers never becomes markup, and the page forbids every network request."""
    page = render_html(report)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "default-src 'none'" in page
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "").replace("http://x", "")


def test_failed_write_leaves_previous_report(
    report: ReportData, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If rendering fails half-way, the old files stay as they were and no temp dir remains."""
    write_report(report, tmp_path / "out")
    before = (tmp_path / "out" / "report.html").read_bytes()

    def broken(*_args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(write_module, "write_workbook", broken)
    with pytest.raises(RuntimeError):
        write_report(report, tmp_path / "out")
    assert (tmp_path / "out" / "report.html").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_full_roster_size(questionnaire: Questionnaire) -> None:
    """With no answers at all, every one of the 1,788 organisations is listed as 未提出."""
    data = build_pack_report(load_bundled_pack(), all_local_governments(), [], "now")
    assert data.level_counts()["全体"]["未提出"] == 1788
