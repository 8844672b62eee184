"""Hypothesis strategies: answer documents as a respondent could type them into the sheet.

Whitespace is limited to what the sheet's formulas trim like Python does (space, full-width
space, tab, line breaks); multi-select answers are sets of codes plus, sometimes, a stray mark.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from tenken.survey.model import Questionnaire

_TEXT = st.sampled_from(["", " ", "　", "\t", "記載あり", "2023-09", " 概要\n"])
_JUNK = st.sampled_from(["", "1", "① 定めている", "x", "⑨", " ①", "①\n", "②　"])
_KUBUN = st.sampled_from(["市区町村", "都道府県", "", "市区町村 ", "町"])


@st.composite
def sheet_documents(draw: st.DrawFn, q: Questionnaire) -> dict[str, Any]:
    """A JSON answer document whose values can all be typed into the answer sheet.

    ``noise`` (per field, in tenths) ranges from none to all, so that complete answers,
    nearly complete ones and junk all occur and both flags take both values.
    """
    noise = draw(st.sampled_from([0, 0, 1, 3, 10]))
    respondent: dict[str, Any] = {}
    answers: dict[str, Any] = {}
    for f in q.fields:
        junk = draw(st.integers(0, 9)) < noise
        if f.name == "組織区分":
            value: Any = draw(_KUBUN if junk else st.sampled_from(["市区町村", "都道府県"]))
        elif f.kind == "select_multiple":
            codes = list(q.choices_of(f).codes())
            value = draw(st.lists(st.sampled_from(codes), unique=True, min_size=0 if junk else 1))
            if junk and len(value) < len(codes):
                value.append(draw(st.sampled_from(["x", "レ"])))
        elif f.kind == "select_one":
            codes = list(q.choices_of(f).codes())
            value = draw(_JUNK if junk else st.sampled_from(codes))
        else:
            value = draw(_TEXT if junk else st.sampled_from(["記載あり", "2023-09"]))
        (respondent if f.section == "respondent" else answers)[f.name] = value
    return {"respondent": respondent, "answers": answers}
