"""Tallies and cross-tabs: hand-computed expectations on small fixtures, and properties."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tenken.survey.aggregate import OVERALL, Response, crosstab, make_response, tally_item
from tenken.survey.document import parse_document
from tenken.survey.model import Questionnaire
from tests.survey import oracle
from tests.survey.conftest import example
from tests.survey.test_rules import random_documents


def doc(kind: str, name: str, **answers: Any) -> dict[str, Any]:
    """A document with a valid respondent block of ``kind`` and the given answers."""
    base = example(
        "municipality-complete.json" if kind == "市区町村" else "prefecture-complete.json"
    )
    respondent = dict(base["respondent"], 組織名=name)
    return {
        "respondent": respondent,
        "answers": {k.replace("_", "-"): v for k, v in answers.items()},
    }


def responses(q: Questionnaire, *docs: dict[str, Any]) -> list[Response]:
    return [make_response(q, parse_document(d, q, f"doc{i}")) for i, d in enumerate(docs)]


# Four organisations, counted by hand:
#   A 市: 5=② 7-2=① 7-3=① 7-4=[②,③]   9=④
#   B 市: 5=② 7-2=① 7-3=② 7-4=[⑤] (skipped: 7-3=②, so it never counts)  9=①
#   C 県: 5=① (6–9 skipped) but 9=③ written anyway (never counts)
#   D 市: 3=② so 4 and 5 are skipped (its 5=② never counts); 7-2=② (7-3, 7-4, 8-1 skipped);
#         9 left empty (unanswered)
def fixture(q: Questionnaire) -> list[Response]:
    return responses(
        q,
        doc("市区町村", "14神奈川県相模原市", **{"1-1": "①", "2": "①", "3": "①", "4": "①", "5": "②",
            "6": ["①"], "7-1": "①", "7-2": "①", "7-3": "①", "7-4": ["②", "③"], "8-1": "②",
            "9": "④", "10": "①"}),
        doc("市区町村", "13東京都千代田区", **{"1-1": "②", "2": "②", "3": "①", "4": "②", "5": "②",
            "6": ["①", "②"], "7-1": "①", "7-2": "①", "7-3": "②", "7-4": ["⑤"], "8-1": "③",
            "9": "①", "10": "③"}),
        doc("都道府県", "13東京都", **{"1-2": "②", "2": "①", "3": "①", "4": "③", "5": "①",
            "9": "③", "10": "①"}),
        doc("市区町村", "01北海道札幌市", **{"1-1": "①", "2": "④", "3": "②", "5": "②",
            "6": ["②"], "7-1": "②", "7-2": "②", "10": "②"}),
    )  # fmt: skip


def test_single_select_counts_by_hand(questionnaire: Questionnaire) -> None:
    """Item 9: A=④, B=①, C skipped (its ③ never counts), D applicable but unanswered."""
    t = tally_item(questionnaire, "9", fixture(questionnaire))
    overall = t.groups[OVERALL]
    assert overall.counts == {"①": 1, "②": 0, "③": 0, "④": 1}
    assert (overall.respondents, overall.applicable, overall.answered) == (4, 3, 2)
    assert overall.no_answer == 1
    assert overall.share("④") == 0.5
    pref = t.groups["都道府県"]
    assert (pref.respondents, pref.applicable, pref.answered) == (1, 0, 0)
    assert pref.counts["③"] == 0 and pref.share("③") == 0.0
    city = t.groups["市区町村"]
    assert city.counts == {"①": 1, "②": 0, "③": 0, "④": 1}


def test_multi_select_counted_per_option_over_respondents(questionnaire: Questionnaire) -> None:
    """Item 6: A=[①], B=[①,②], D=[②]; C skipped. Shares over the 3 respondents, not 4 picks."""
    t = tally_item(questionnaire, "6", fixture(questionnaire))
    overall = t.groups[OVERALL]
    assert overall.counts == {"①": 2, "②": 2}
    assert overall.answered == 3
    assert overall.share("①") == 2 / 3


def test_skipped_multi_select_never_counts(questionnaire: Questionnaire) -> None:
    """Item 7-4: only A counts; B's ⑤ is in a skipped item (7-3=②)."""
    t = tally_item(questionnaire, "7-4", fixture(questionnaire))
    assert t.overall.counts == {"①": 0, "②": 1, "③": 1, "④": 0, "⑤": 0}
    assert (t.overall.applicable, t.overall.answered) == (1, 1)


def test_groups_follow_kind(questionnaire: Questionnaire) -> None:
    """Item 10 by 組織区分: 市区町村 A①, B③, D②; 都道府県 C①."""
    t = tally_item(questionnaire, "10", fixture(questionnaire))
    assert t.groups["市区町村"].counts == {"①": 1, "②": 1, "③": 1, "④": 0}
    assert t.groups["都道府県"].counts == {"①": 1, "②": 0, "③": 0, "④": 0}
    assert list(t.groups) == [OVERALL, "都道府県", "市区町村"]


def test_crosstab_5_by_9_by_hand(questionnaire: Questionnaire) -> None:
    """5=② row: A→④, B→①; 5=① row: C, whose 9 is skipped; D's 5 is skipped (3=②)."""
    tab = crosstab(questionnaire, fixture(questionnaire), "5", "9")
    assert tab.row_totals == {"①": 1, "②": 2}
    assert tab.cell("②", "④") == 1 and tab.cell("②", "①") == 1
    assert tab.cell("①", "③") == 0
    assert tab.col_missing == {"①": 1, "②": 0}


def test_crosstab_with_multi_select_column(questionnaire: Questionnaire) -> None:
    """7-2 × 7-4: A (7-2=①) chose ② and ③; B (7-2=①) has no counted 7-4; D is 7-2=②."""
    tab = crosstab(questionnaire, fixture(questionnaire), "7-2", "7-4")
    assert tab.row_totals == {"①": 2, "②": 1}
    assert [tab.cell("①", c) for c in tab.col_codes] == [0, 1, 1, 0, 0]
    assert tab.col_missing == {"①": 1, "②": 1}


def test_unknown_kind_gets_its_own_group(questionnaire: Questionnaire) -> None:
    """A document whose 組織区分 is not a valid choice is tallied under 不明 and in 全体."""
    bad = doc("市区町村", "14神奈川県相模原市", **{"2": "①"})
    bad["respondent"]["組織区分"] = "町"
    t = tally_item(questionnaire, "2", responses(questionnaire, bad))
    assert list(t.groups) == [OVERALL, "都道府県", "市区町村", "不明"]
    assert t.groups["不明"].counts["①"] == 1 and t.overall.counts["①"] == 1


# ---------------------------------------------------------------- properties

SELECT_ITEMS = [i for i in oracle.ITEMS if i not in oracle.FOLLOWUPS]


@settings(max_examples=60, deadline=None)
@given(st.lists(random_documents(), min_size=1, max_size=12))
def test_totals_add_up(questionnaire: Questionnaire, docs: list[dict[str, Any]]) -> None:
    """Groups partition 全体; single-select counts sum to the answered; answered ≤ applicable."""
    rs = responses(questionnaire, *docs)
    for item in SELECT_ITEMS:
        t = tally_item(questionnaire, item, rs)
        parts = [g for name, g in t.groups.items() if name != OVERALL]
        assert sum(g.respondents for g in parts) == t.overall.respondents == len(rs)
        for code in t.codes:
            assert sum(g.counts[code] for g in parts) == t.overall.counts[code]
        for g in t.groups.values():
            assert 0 <= g.answered <= g.applicable <= g.respondents
            if item in oracle.MULTI:
                assert all(n <= g.answered for n in g.counts.values())
            else:
                assert sum(g.counts.values()) == g.answered


@settings(max_examples=60, deadline=None)
@given(st.lists(random_documents(), min_size=1, max_size=12))
def test_skipped_answers_never_count(
    questionnaire: Questionnaire, docs: list[dict[str, Any]]
) -> None:
    """Each count equals the hand-written seed rules' count of valid answers in applicable items."""
    rs = responses(questionnaire, *docs)
    for item in SELECT_ITEMS:
        t = tally_item(questionnaire, item, rs)
        for code in t.codes:
            expected = 0
            for d in docs:
                valid = {k: v for k, v in d["answers"].items() if not isinstance(v, list)}
                if item not in oracle.applicable(d["respondent"]["組織区分"], valid):
                    continue
                value = d["answers"].get(item)
                expected += code in value if isinstance(value, list) else value == code
            assert t.overall.counts[code] == expected, (item, code)


@settings(max_examples=40, deadline=None)
@given(st.lists(random_documents(), min_size=1, max_size=10))
def test_crosstab_rows_match_tallies(
    questionnaire: Questionnaire, docs: list[dict[str, Any]]
) -> None:
    """Row totals equal the row item's counts; each row splits into columns and 'not counted'."""
    rs = responses(questionnaire, *docs)
    tab = crosstab(questionnaire, rs, "5", "9")
    t5 = tally_item(questionnaire, "5", rs)
    assert tab.row_totals == t5.overall.counts
    for r in tab.row_codes:
        assert sum(tab.cell(r, c) for c in tab.col_codes) + tab.col_missing[r] == tab.row_totals[r]
