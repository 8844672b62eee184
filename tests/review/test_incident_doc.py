"""The Q10 概要: which choice the register points to; the HTML needs nothing from outside."""

from __future__ import annotations

import datetime as dt

from tenken.linkage.review.incident_doc import IncidentLine, html_bytes, q10_answer, xlsx_bytes

DAY = dt.date(2026, 11, 1)


def line(fixed: dt.date | None = None, reported: dt.date | None = None,
         unknown: bool = False) -> IncidentLine:  # fmt: skip
    return IncidentLine("誤紐付け", DAY, "同姓同名の別人", 1, "R05", reported, None, fixed,
                        "=cmd", unknown)  # fmt: skip


def test_q10_choice_follows_the_register() -> None:
    assert q10_answer([]).startswith("①")
    assert q10_answer([line(fixed=DAY)]).startswith("②")
    assert q10_answer([line()]).startswith("③")
    assert q10_answer([line(unknown=True), line(fixed=DAY)]).startswith("④")
    assert q10_answer([line(reported=DAY)]).startswith("（すべて")


def test_documents_are_self_contained_and_escape_formulas() -> None:
    html = html_bytes("14神奈川県相模原市", [line()], DAY).decode("utf-8")
    assert "<link" not in html and "<script" not in html and "src=" not in html
    assert "14神奈川県相模原市" in html and "=cmd" in html
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(xlsx_bytes("X", [line()], DAY))).active
    assert sheet is not None and sheet["I5"].value == "'=cmd"
