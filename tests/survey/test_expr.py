"""The expression subset: parsing, evaluation and error messages."""

from __future__ import annotations

import pytest

from tenken.errors import SpecError
from tenken.survey.expr import Value, parse

VALUES: dict[str, Value] = {"3": "②", "5": "", "6": ["①", "②"], "kubun": "市区町村"}


def ev(source: str, current: Value = "") -> Value:
    return parse(source).evaluate(lambda name: VALUES[name], current)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("${3} = '②'", True),
        ("${3} != '②'", False),
        ("${5} != '①'", True),  # an empty answer is not ①
        ("${3} = '②' and ${kubun} = '市区町村'", True),
        ("${3} = '①' or (${5} = '' and not(${3} = '①'))", True),
        ("selected(${6}, '②')", True),
        ("selected(${6}, '③')", False),
        ("count-selected(${6}) >= 2", True),
        ("string-length(.) = 4", True),
        ("regex(., '^[0-9]+$')", True),
    ],
)
def test_evaluation(source: str, expected: bool) -> None:
    """Each construct of the documented subset evaluates as XLSForm would."""
    assert ev(source, current="2023") is expected


def test_refs_are_collected() -> None:
    """The loader relies on the set of referenced fields."""
    assert parse("${a} = '1' and selected(${b}, 'x')").refs == {"a", "b"}


@pytest.mark.parametrize(
    ("source", "needle"),
    [
        ("${3} =", "途中で終わって"),
        ("${3} = '②' ${5}", "余分な"),
        ("unknown(${3})", "未知の関数"),
        ("selected(${6})", "引数は 2 個"),
        ("${3} = ★", "解釈できません"),
        ("${}", "項目名がありません"),
    ],
)
def test_syntax_errors_are_explained(source: str, needle: str) -> None:
    """A broken expression raises SpecError saying what is wrong."""
    with pytest.raises(SpecError, match=needle):
        parse(source)
