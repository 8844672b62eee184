"""Expression → Excel translation: what is supported, and what is refused clearly."""

from __future__ import annotations

import pytest

from tenken.errors import SpecError
from tenken.survey.expr import parse
from tenken.survey.xlsx.formulas import FieldRefs, relevant_formula
from tenken.survey.xlsx.reader import normalize_formula


def resolve(name: str) -> FieldRefs:
    if name == "m":
        return FieldRefs("AP_M", "EF_M", True, {"①": "X1", "②": "X2"})
    return FieldRefs(f"AP_{name}", f"EF_{name}", False, {})


@pytest.mark.parametrize(
    ("source", "formula"),
    [
        ("${a} = '①'", 'EXACT(EF_a,"①")'),
        ("${a} != '②' and ${b} = 'x'", 'AND(NOT(EXACT(EF_a,"②")),EXACT(EF_b,"x"))'),
        ("${a} = 3", 'EXACT(EF_a,"3")'),
        ("not(${a})", "NOT(LEN(EF_a)>0)"),
        ("count-selected(${m}) >= 2", "EF_M>=2"),
        ("selected(${m}, '③')", "FALSE"),
        ("string-length(${a}) > 0", "LEN(EF_a)>0"),
    ],
)
def test_translation(source: str, formula: str) -> None:
    """Each supported construct becomes the Excel formula with the engine's meaning."""
    assert relevant_formula(parse(source), resolve) == formula


def test_selected_on_a_multi_select_reads_the_mark_cell() -> None:
    """selected(${m}, '①') is TRUE when m applies and its ① cell holds ○."""
    formula = relevant_formula(parse("selected(${m}, '①')"), resolve)
    assert formula.startswith("AND(AP_M,TRIM(") and 'X1,"　"' in formula and '="○"' in formula


@pytest.mark.parametrize(
    "source", ["regex(${a}, 'x')", "${a} < 'b'", "${m} = '①'", "count-selected(${a}) = 1"]
)
def test_unsupported_expressions_are_refused(source: str) -> None:
    """A rule the sheet cannot express fails at generation with a SpecError naming it."""
    with pytest.raises(SpecError, match="Excel"):
        relevant_formula(parse(source), resolve)


def test_formula_comparison_ignores_what_excel_rewrites() -> None:
    """Quotes around sheet names, spaces and case do not count as edits; content does."""
    ours = '=IF(OR(\'_tenken\'!$D$10),"未回答あり","")'
    assert normalize_formula(ours) == normalize_formula('if(or(_tenken!$D$10), "未回答あり", "")')
    assert normalize_formula(ours) != normalize_formula('IF(OR(_tenken!$D$10),"未回答",""))')
    assert normalize_formula("=TRUE") == normalize_formula("=TRUE()")  # LibreOffice's spelling
    assert normalize_formula('=EXACT(A1,"TRUE()")') != normalize_formula('=EXACT(A1,"TRUE")')
