"""Where a number to set may come from (unit cases; properties: test_workflow_properties)."""

from __future__ import annotations

import pytest

from tenken.linkage.review.facts import Agreement, Facts, State, compare, per_fact
from tenken.linkage.review.model import NumberSource
from tenken.linkage.review.numbers import NumberRefused, check_number, proposed_number
from tests.linkage.fixtures import typo
from tests.review.cases import (
    CLAIMED,
    HOME,
    HOMONYM,
    KINDS,
    PARTIAL,
    RECORD,
    RIGHT,
    RIGHT_TOO,
    SAME,
    UNKNOWN,
)  # fmt: skip


def test_notation_variants_agree_and_homonym_differs_only_in_address() -> None:
    assert set(compare(RECORD, SAME).values()) == {Agreement.AGREE}
    homonym = compare(RECORD, HOMONYM)
    assert homonym["address"] == Agreement.DIFFERS
    assert [f for f, v in homonym.items() if v == Agreement.AGREE] == ["name", "birth", "sex"]


def test_per_fact_says_history_when_an_earlier_state_agrees() -> None:
    moved = Facts(RECORD.name, RECORD.birth, RECORD.sex, "大阪府大阪市北区梅田2丁目3番4号")
    states = [
        State(CLAIMED, RECORD, "2015-10-05", "2020-03-31"),
        State(CLAIMED, moved, "2020-04-01"),
    ]
    assert per_fact(RECORD, states)["address"] == Agreement.HISTORY
    assert per_fact(RECORD, states)["name"] == Agreement.AGREE


def test_unique_full_match_is_proposed() -> None:
    assert proposed_number(KINDS["unique"]) == RIGHT
    assert check_number(KINDS["unique"], "").source == NumberSource.FULL_MATCH


def test_no_proposal_when_several_agree_or_only_partly() -> None:
    assert proposed_number(KINDS["ambiguous"]) == ""
    assert proposed_number(KINDS["partial_only"]) == ""
    with pytest.raises(NumberRefused, match="一意"):
        check_number(KINDS["ambiguous"], "")


def test_typed_number_is_checked_against_the_four_facts() -> None:
    checked = check_number(KINDS["ambiguous"], RIGHT_TOO)
    assert (checked.number, checked.source) == (RIGHT_TOO, NumberSource.TYPED_CHECKED)
    with pytest.raises(NumberRefused, match="部分一致"):
        check_number(KINDS["unique"], PARTIAL)
    with pytest.raises(NumberRefused, match="抜粋にありません"):
        check_number(KINDS["unique"], UNKNOWN)
    with pytest.raises(NumberRefused, match="正しくありません"):
        check_number(KINDS["unique"], typo(RIGHT))
    with pytest.raises(NumberRefused, match="同じ"):
        check_number(KINDS["unique"], CLAIMED)


def test_refusals_never_echo_the_full_number() -> None:
    for typed in (PARTIAL, UNKNOWN, typo(RIGHT)):
        with pytest.raises(NumberRefused) as info:
            check_number(KINDS["unique"], typed)
        assert typed not in str(info.value)


def test_full_width_typed_digits_are_accepted() -> None:
    wide = RIGHT_TOO.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert check_number(KINDS["ambiguous"], wide).number == RIGHT_TOO


def test_record_home_is_the_fixture_address() -> None:
    assert RECORD.address == HOME
