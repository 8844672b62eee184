"""The seed's rules: which items apply, the two flags and each problem kind."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tenken.survey.document import parse_document
from tenken.survey.engine import Evaluation, evaluate
from tenken.survey.model import Questionnaire
from tests.survey import oracle
from tests.survey.conftest import example


def run(q: Questionnaire, data: dict[str, Any]) -> Evaluation:
    return evaluate(q, parse_document(data, q, "<test>"))


def kinds(e: Evaluation) -> set[tuple[str, str]]:
    return {(p.item, p.kind) for p in e.problems}


def applies(e: Evaluation) -> set[str]:
    return {n for n, s in e.statuses.items() if s.applies and n in oracle.ITEMS}


def test_item_1_1_only_for_municipalities(questionnaire: Questionnaire) -> None:
    """A prefecture answering 1-1 gets not_applicable; a municipality must answer it."""
    pref = example("prefecture-complete.json")
    pref["answers"]["1-1"] = "①"
    assert ("1-1", "not_applicable") in kinds(run(questionnaire, pref))
    muni = example("municipality-complete.json")
    del muni["answers"]["1-1"]
    e = run(questionnaire, muni)
    assert ("1-1", "unanswered") in kinds(e) and e.unanswered


def test_item_1_2_only_for_prefectures(questionnaire: Questionnaire) -> None:
    """A municipality answering 1-2 gets not_applicable; a prefecture must answer it."""
    muni = example("municipality-complete.json")
    muni["answers"]["1-2"] = "②"
    assert ("1-2", "not_applicable") in kinds(run(questionnaire, muni))
    pref = example("prefecture-complete.json")
    del pref["answers"]["1-2"]
    assert ("1-2", "unanswered") in kinds(run(questionnaire, pref))


@pytest.mark.parametrize(
    ("item", "code", "skipped"),
    [
        ("3", "②", {"4", "5"}),
        ("5", "①", {"6", "7-1", "7-2", "7-3", "7-4", "8-1", "8-1-概要", "8-2", "9"}),
        ("7-2", "②", {"7-3", "7-4", "8-1", "8-1-概要", "8-2"}),
        ("8-1", "②", {"8-1-概要", "8-2"}),
        ("8-1", "③", {"8-1-概要", "8-2"}),
        ("7-3", "②", {"7-4"}),
    ],
)
def test_skip_rules(questionnaire: Questionnaire, item: str, code: str, skipped: set[str]) -> None:
    """Answering ``code`` to ``item`` skips exactly the items the seed says, and no others."""
    doc = example("municipality-complete.json")
    doc["answers"][item] = code
    for name in skipped:
        doc["answers"].pop(name, None)
    e = run(questionnaire, doc)
    assert applies(e).isdisjoint(skipped)
    assert not e.unanswered and not e.problems
    # Answering a skipped item is kept but flagged as not applicable, never counted.
    doc["answers"][sorted(skipped)[0]] = example("municipality-complete.json")["answers"][
        sorted(skipped)[0]
    ]
    e = run(questionnaire, doc)
    assert (sorted(skipped)[0], "not_applicable") in kinds(e)
    assert sorted(skipped)[0] not in e.counted()


def test_skip_to_q6_keeps_6_applicable(questionnaire: Questionnaire) -> None:
    """3=② jumps to 6: 6, 7-1, 7-2, 9 and 10 still apply."""
    doc = example("municipality-complete.json")
    doc["answers"]["3"] = "②"
    del doc["answers"]["4"], doc["answers"]["5"]
    assert {"6", "7-1", "7-2", "9", "10"} <= applies(run(questionnaire, doc))


def test_followups_required_when_triggered(questionnaire: Questionnaire) -> None:
    """2=③ needs 予定年月 and 8-1=① needs the 概要, as missing_followup."""
    doc = example("municipality-complete.json")
    doc["answers"]["2-予定年月"] = ""
    doc["answers"]["8-1-概要"] = " "
    e = run(questionnaire, doc)
    assert {("2-予定年月", "missing_followup"), ("8-1-概要", "missing_followup")} <= kinds(e)
    assert e.unanswered and not e.missing_info


def test_followup_without_trigger_is_not_applicable(questionnaire: Questionnaire) -> None:
    """A 予定年月 written although 2 is not ③ is kept but reported."""
    doc = example("municipality-complete.json")
    doc["answers"]["2"] = "①"
    e = run(questionnaire, doc)
    assert kinds(e) == {("2-予定年月", "not_applicable")}


@pytest.mark.parametrize(
    "value", ["2023-09", "2023年9月", "令和5年9月", "R5.9", "２０２３年１２月"]
)
def test_planned_month_formats_accepted(questionnaire: Questionnaire, value: str) -> None:
    """予定年月 accepts the usual ways of writing a month."""
    doc = example("municipality-complete.json")
    doc["answers"]["2-予定年月"] = value
    assert run(questionnaire, doc).complete


@pytest.mark.parametrize("value", ["来年", "2023-13", "9月"])
def test_planned_month_nonsense_is_invalid_format(questionnaire: Questionnaire, value: str) -> None:
    """Something that is not a year and month is invalid_format."""
    doc = example("municipality-complete.json")
    doc["answers"]["2-予定年月"] = value
    assert kinds(run(questionnaire, doc)) == {("2-予定年月", "invalid_format")}


@pytest.mark.parametrize(
    ("kubun", "name", "ok"),
    [
        ("市区町村", "14神奈川県相模原市", True),
        ("都道府県", "13東京都", True),
        ("市区町村", "13東京都千代田区", True),
        ("市区町村", "22静岡県浜松市", True),
        ("市区町村", "01北海道当別町", True),  # 石狩郡当別町: 郡 omitted
        ("市区町村", "01北海道石狩郡当別町", False),  # 郡 must be omitted
        ("市区町村", "14神奈川県 相模原市", False),  # no spaces
        ("市区町村", "神奈川県相模原市", False),  # code missing
        ("市区町村", "13神奈川県相模原市", False),  # wrong code
        ("市区町村", "22静岡県浜松市中央区", False),  # a ward is not a local government
        ("都道府県", "14神奈川県相模原市", False),  # kind does not match
        ("市区町村", "13東京都", False),
    ],
)
def test_org_name_validated_against_local_government_list(
    questionnaire: Questionnaire, kubun: str, name: str, ok: bool
) -> None:
    """組織名 is the 2-digit code + prefecture + municipality, checked against JIS X 0402."""
    doc = example("municipality-complete.json")
    doc["respondent"].update({"組織区分": kubun, "組織名": name})
    problems = kinds(run(questionnaire, doc))
    assert (("組織名", "invalid_format") not in problems) is ok


@pytest.mark.parametrize(
    ("phone", "ok"),
    [
        ("03-5253-1111", True),
        ("0352531111", True),
        ("090-1234-5678", True),
        ("03-5253-1111（内線5785）", True),
        ("０３－５２５３－１１１１", True),
        ("5253-1111", False),
        ("03-5253", False),
        ("tel", False),
    ],
)
def test_phone_format(questionnaire: Questionnaire, phone: str, ok: bool) -> None:
    """電話番号: 10 or 11 digits from 0, optional hyphens and 内線."""
    doc = example("municipality-complete.json")
    doc["respondent"]["電話番号"] = phone
    assert (("電話番号", "invalid_format") not in kinds(run(questionnaire, doc))) is ok


@pytest.mark.parametrize(
    ("mail", "ok"),
    [("a.b@city.example.lg.jp", True), ("a@b", False), ("a b@c.jp", False), ("a@@c.jp", False)],
)
def test_email_format(questionnaire: Questionnaire, mail: str, ok: bool) -> None:
    """メールアドレス must look like an address."""
    doc = example("municipality-complete.json")
    doc["respondent"]["メールアドレス"] = mail
    assert (("メールアドレス", "invalid_format") not in kinds(run(questionnaire, doc))) is ok


def test_missing_info_flag_ignores_ministry_fields(questionnaire: Questionnaire) -> None:
    """Empty 制度等/属性 (厚労省で入力) do not raise 情報未入力あり; an empty 連絡先氏名 does."""
    doc = example("municipality-complete.json")
    doc["respondent"]["制度等"] = ""
    doc["respondent"]["属性"] = ""
    assert not run(questionnaire, doc).missing_info
    doc["respondent"]["連絡先氏名"] = ""
    e = run(questionnaire, doc)
    assert e.missing_info and not e.unanswered


@pytest.mark.parametrize(
    ("given_value", "suggested"),
    [("1", "①"), ("① ", "①"), ("①定めている", "①"), ("定めていない。", "②"), (3, "③")],
)
def test_invalid_choice_suggests_the_code(
    questionnaire: Questionnaire, given_value: Any, suggested: str
) -> None:
    """Values that are not codes get invalid_choice with the code that was meant."""
    doc = example("municipality-complete.json")
    doc["answers"]["2"] = given_value
    doc["answers"].pop("2-予定年月")
    e = run(questionnaire, doc)
    (problem,) = [p for p in e.problems if p.item == "2"]
    assert problem.kind == "invalid_choice" and problem.suggestion == suggested
    assert e.unanswered  # no valid answer to an item that applies


def test_multi_select_with_unknown_option(questionnaire: Questionnaire) -> None:
    """An unknown option in 7-4 is reported; the valid ones still count."""
    doc = example("municipality-complete.json")
    doc["answers"]["7-4"] = ["①", "⑥"]
    e = run(questionnaire, doc)
    assert kinds(e) == {("7-4", "invalid_choice")}
    assert e.counted()["7-4"] == ["①"] and not e.unanswered


def test_empty_multi_select_is_unanswered(questionnaire: Questionnaire) -> None:
    """No ○ at all in 6 means 6 is unanswered."""
    doc = example("municipality-complete.json")
    doc["answers"]["6"] = []
    assert ("6", "unanswered") in kinds(run(questionnaire, doc))


# ---------------------------------------------------------------- properties

_JUNK = st.sampled_from(["", "1", "①定めている", "x", "⑨"])


@st.composite
def random_documents(draw: st.DrawFn) -> dict[str, Any]:
    """Any mix of valid codes, junk and gaps, for either kind of organisation."""
    kubun = draw(st.sampled_from(["市区町村", "都道府県"]))
    base = example(
        "municipality-complete.json" if kubun == "市区町村" else "prefecture-complete.json"
    )
    answers: dict[str, Any] = {}
    for item in oracle.ITEMS:
        if item in oracle.FOLLOWUPS:
            value: Any = draw(st.sampled_from(["", "2024-04", "概要を記載"]))
        elif item in oracle.MULTI:
            value = draw(st.lists(st.sampled_from(oracle.CODES[item]), unique=True))
        else:
            value = draw(st.one_of(st.sampled_from(oracle.CODES[item]), _JUNK))
        if draw(st.booleans()):
            answers[item] = value
    return {"respondent": base["respondent"], "answers": answers}


@st.composite
def complete_documents(draw: st.DrawFn) -> dict[str, Any]:
    """Valid answers to exactly the items that apply, walking the seed's rules."""
    kubun = draw(st.sampled_from(["市区町村", "都道府県"]))
    base = example(
        "municipality-complete.json" if kubun == "市区町村" else "prefecture-complete.json"
    )
    answers: dict[str, Any] = {}
    for item in oracle.ITEMS:
        if item not in oracle.applicable(kubun, answers):
            continue
        if item == "2-予定年月":
            answers[item] = "2024-04"
        elif item == "8-1-概要":
            answers[item] = "複数職員で住民票と照合"
        elif item in oracle.MULTI:
            answers[item] = draw(
                st.lists(st.sampled_from(oracle.CODES[item]), min_size=1, unique=True)
            )
        else:
            answers[item] = draw(st.sampled_from(oracle.CODES[item]))
    return {"respondent": base["respondent"], "answers": answers}


@settings(max_examples=300, deadline=None)
@given(random_documents())
def test_applicability_matches_the_seed_rules(
    questionnaire: Questionnaire, doc: dict[str, Any]
) -> None:
    """For any answers, the engine applies exactly the items the hand-written seed rules do."""
    e = run(questionnaire, doc)
    valid = {k: v for k, v in doc["answers"].items() if not isinstance(v, list)}
    assert applies(e) == oracle.applicable(doc["respondent"]["組織区分"], valid)


@settings(max_examples=300, deadline=None)
@given(random_documents())
def test_skipped_items_are_never_unanswered_nor_counted(
    questionnaire: Questionnaire, doc: dict[str, Any]
) -> None:
    """No skipped item is reported unanswered, and skipped answers never count."""
    e = run(questionnaire, doc)
    for problem in e.problems:
        if problem.kind in ("unanswered", "missing_followup"):
            assert e.statuses[problem.item].applies
    assert all(e.statuses[name].applies for name in e.counted())


@settings(max_examples=300, deadline=None)
@given(random_documents())
def test_unanswered_flag_iff_an_applicable_item_lacks_a_valid_answer(
    questionnaire: Questionnaire, doc: dict[str, Any]
) -> None:
    """未回答あり is set exactly when an applicable item has no valid answer."""
    e = run(questionnaire, doc)
    kubun = doc["respondent"]["組織区分"]
    valid = {k: v for k, v in doc["answers"].items() if not isinstance(v, list)}
    missing = any(
        not _valid(item, doc["answers"].get(item)) for item in oracle.applicable(kubun, valid)
    )
    assert e.unanswered is missing


def _valid(item: str, value: Any) -> bool:
    if item in oracle.FOLLOWUPS:
        return bool(value and str(value).strip())
    if item in oracle.MULTI:
        return bool(value)
    return value in oracle.CODES[item]


@settings(max_examples=300, deadline=None)
@given(complete_documents())
def test_complete_valid_documents_have_no_problems(
    questionnaire: Questionnaire, doc: dict[str, Any]
) -> None:
    """A document answering exactly what applies, validly, is complete with both flags off."""
    e = run(questionnaire, doc)
    assert e.problems == ()
    assert e.flags == {"情報未入力あり": False, "未回答あり": False}
