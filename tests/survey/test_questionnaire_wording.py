"""The bundled questionnaire matches the seed (別添1 and 別添2) word for word."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tenken.survey.model import Questionnaire

SEED = Path(__file__).resolve().parents[1] / "data" / "seed" / "mhlw-2023-shokugyo-tenkan.txt"
ITEM_IDS = ["1-1", "1-2", "2", "3", "4", "5", "6", "7-1", "7-2", "7-3", "7-4", "8-1", "8-2", "9",
            "10"]  # fmt: skip
RESPONDENT = ["制度等", "組織区分", "属性", "組織名", "担当部署名", "回答責任者役職",
              "回答責任者氏名", "連絡先氏名", "電話番号", "メールアドレス"]  # fmt: skip


@pytest.fixture(scope="module")
def seed() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def sheet_rows(seed: str) -> dict[str, str]:
    """別添2's table rows: first tab-separated cell → the next cell."""
    rows: dict[str, str] = {}
    for line in seed.splitlines():
        cells = line.split("\t")
        if len(cells) >= 2:
            rows.setdefault(cells[0], cells[1])
    return rows


def test_every_item_and_respondent_field_is_present_in_sheet_order(q: Questionnaire) -> None:
    """The respondent block and items 1-1 … 10 are all there, in 別添2's order."""
    assert [f.name for f in q.respondent_fields] == RESPONDENT
    assert [f.name for f in q.items if not f.is_followup] == ITEM_IDS


def test_sheet_labels_match_betten2_word_for_word(
    q: Questionnaire, sheet_rows: dict[str, str]
) -> None:
    """Each item's label is 別添2's 質問 cell; each respondent hint is its ◆ cell."""
    for f in q.fields:
        if f.is_followup:
            continue
        expected = sheet_rows[f.name] if f.section == "items" else sheet_rows[f.label]
        actual = f.label if f.section == "items" else f.hint
        assert actual == expected.strip(), f.name


def test_followup_labels_are_betten2_rows(q: Questionnaire, seed: str) -> None:
    """The follow-up rows under 2 and 8-1 carry 別添2's wording."""
    lines = [line.strip() for line in seed.splitlines()]
    for name in ("2-予定年月", "8-1-概要"):
        assert q.field(name).label.replace(" ", "") in [x.replace(" ", "") for x in lines]


def test_questions_match_betten1_word_for_word(q: Questionnaire, seed: str) -> None:
    """Each item's question is a line of 別添1, verbatim."""
    lines = {line.strip() for line in seed.splitlines()}
    for f in q.items:
        if not f.is_followup:
            assert f.question in lines, f.name


def test_choices_match_betten1_word_for_word(q: Questionnaire, seed: str) -> None:
    """Every choice of every item appears in 別添1 as「code label」."""
    lines = {re.sub(r"^- ", "", line.strip()) for line in seed.splitlines()}
    for f in q.items:
        if f.list_name is None:
            continue
        for c in q.choices_of(f).choices:
            assert f"{c.name} {c.label}" in lines, (f.name, c.name)


def test_notes_are_quoted_from_the_seed(q: Questionnaire, seed: str) -> None:
    """※ notes are verbatim lines of the seed."""
    lines = {line.strip() for line in seed.splitlines()}
    for f in q.items:
        for note in f.notes:
            assert note in lines, (f.name, note)


def test_multi_select_items_are_6_and_7_4(q: Questionnaire) -> None:
    """Only 6 and 7-4 are select_multiple, as 別添2's「○」columns say."""
    multi = [f.name for f in q.fields if f.kind == "select_multiple"]
    assert multi == ["6", "7-4"]


def test_ministry_fills_seido_and_zokusei(q: Questionnaire) -> None:
    """制度等 and 属性 say (厚労省で入力); everything else is the respondent's."""
    ministry = [f.name for f in q.respondent_fields if f.filled_by == "ministry"]
    assert ministry == ["制度等", "属性"]


def test_attachments_asked_for(q: Questionnaire) -> None:
    """事務取扱要領 is requested with the sheet, and Q10 ②③④ require an 概要."""
    assert [a.name for a in q.attachments] == ["事務取扱要領"]
    q10 = q.field("10").attachments
    assert [a.name for a in q10] == ["10-概要"] and q10[0].required


@pytest.fixture(scope="module")
def q(questionnaire: Questionnaire) -> Questionnaire:
    return questionnaire
