"""A prefecture answering for the municipalities it delegated work to: the proposal per item
follows the pack's order of caution, follow-ups travel with their item, the prefecture may
change an item with a reason, and a pack without the order proposes the prefecture's answer."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tenken.errors import SpecError
from tenken.survey.delegation import (
    BY_CAUTION,
    BY_CHANGE,
    BY_FOLLOWUP,
    BY_OWN,
    CautionOrder,
    Change,
    Source,
    consolidate,
    delegate_problem,
    missing_reasons,
)
from tenken.survey.document import AnswerDocument
from tenken.survey.pack import load_bundled_pack, resolve_pack
from tests.packs.kikan import PACK_DIR

EXAMPLES = Path(__file__).resolve().parents[2] / "src" / "tenken" / "survey" / "examples"
SEED = Path("/work/shared/seed/000_17207c2b3683526b.txt")
PREFECTURE = "13東京都"
HACHIOJI, MACHIDA, CHOFU = "13東京都八王子市", "13東京都町田市", "13東京都調布市"


def example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    return data


def municipality(org: str, **answers: Any) -> Source:
    """The bundled complete municipality answer, as ``org``, with ``answers`` changed."""
    data = example("municipality-complete.json")
    respondent = {**data["respondent"], "組織名": org}
    merged = {k: v for k, v in {**data["answers"], **answers}.items() if v is not None}
    return Source(org, AnswerDocument(respondent, merged))


def prefecture() -> Source:
    data = example("prefecture-complete.json")  # 5=①: Q6–9 do not apply to the prefecture
    return Source(PREFECTURE, AnswerDocument(data["respondent"], data["answers"]))


def three_delegates() -> list[Source]:
    return [
        municipality(HACHIOJI),  # 2=③ with 予定年月 2023-09, 5=②, 9=①
        municipality(MACHIDA, **{"2": "④", "7-3": "②", "7-4": None, "9": "④"}),
        municipality(CHOFU, **{"2": "①", "9": "②", "10": "②"}),
    ]


def test_the_proposal_takes_the_least_safe_answer_by_the_packs_order() -> None:
    pack = load_bundled_pack()
    result = consolidate(pack.questionnaire, pack.caution, prefecture(), three_delegates())
    got = {i.item: (i.value, i.source, i.rule) for i in result.items}
    # Q9: ④ (特に記録を残したり、別の職員が確認したりしていない) is the least safe practice.
    assert got["9"] == ("④", MACHIDA, BY_CAUTION)
    # Q2: ② would be least safe but nobody gave it; ③ 定める予定 comes before ④ and ①.
    assert got["2"] == ("③", HACHIOJI, BY_CAUTION)
    # Its follow-up comes from the same municipality.
    assert got["2-予定年月"] == ("2023-09", HACHIOJI, BY_FOLLOWUP)
    # Q5: the prefecture's ① (確認書類のみ) is safer than the delegates' ②; ties go in order.
    assert got["5"] == ("②", HACHIOJI, BY_CAUTION)
    assert got["7-3"] == ("②", MACHIDA, BY_CAUTION)
    assert got["10"] == ("②", CHOFU, BY_CAUTION)
    # Q1-2 is the prefecture's own item; Q1-1 (市町村問) does not apply to a prefecture.
    assert got["1-2"] == ("②", PREFECTURE, BY_CAUTION)
    assert "1-1" not in got
    # 7-3=② skips 7-4 for the consolidated answer even though others answered it.
    assert "7-4" not in got and "7-4" not in result.document.answers
    assert result.document.respondent["組織名"] == PREFECTURE


def test_every_ordered_item_is_the_minimum_of_its_candidates() -> None:
    """The rule, checked item by item against the candidates the result lists."""
    pack = load_bundled_pack()
    result = consolidate(pack.questionnaire, pack.caution, prefecture(), three_delegates())
    ordered = [i for i in result.items if i.item in pack.caution.items]
    assert len(ordered) >= 9
    for item in ordered:
        order = pack.caution.items[item.item]
        assert item.candidates, item.item
        least = min(order.index(str(v)) for _org, v in item.candidates)
        assert item.value == order[least], item.item
        assert (item.source, item.value) in item.candidates


def test_an_item_without_an_order_is_the_prefectures_own_or_needs_its_choice() -> None:
    """Q6 (select_multiple, no order): the prefecture did not answer it (5=① skips it), so the
    proposal is empty and the prefecture must choose; the delegates' answers are candidates."""
    pack = load_bundled_pack()
    result = consolidate(pack.questionnaire, pack.caution, prefecture(), three_delegates())
    q6 = result.item("6")
    assert q6 is not None and q6.needs_choice and q6.rule == BY_OWN
    assert [org for org, _v in q6.candidates] == [HACHIOJI, MACHIDA, CHOFU]
    assert result.evaluation.unanswered  # the consolidated answer is not complete yet
    chosen = consolidate(
        pack.questionnaire,
        pack.caution,
        prefecture(),
        three_delegates(),
        {"6": Change(["①", "②"], "3団体とも両方を使っている")},
    ).item("6")
    assert chosen is not None and chosen.value == ["①", "②"] and chosen.source == HACHIOJI


def test_a_change_keeps_the_proposal_and_its_reason_and_a_missing_reason_is_named() -> None:
    pack = load_bundled_pack()
    changes = {"9": Change("②", "町田市は7月から記録を残す運用に改めた"), "10": Change("①", " ")}
    result = consolidate(pack.questionnaire, pack.caution, prefecture(), three_delegates(), changes)
    q9 = result.item("9")
    assert q9 is not None
    assert (q9.value, q9.rule, q9.source) == ("②", BY_CHANGE, CHOFU)
    assert (q9.proposed, q9.proposed_source) == ("④", MACHIDA)
    assert q9.to_json()["reason"] == "町田市は7月から記録を残す運用に改めた"
    assert missing_reasons(result) == ["10"]


def test_a_change_to_a_gate_item_changes_which_items_apply() -> None:
    """Choosing Q5=① (the prefecture's own) for the whole: Q6–9 no longer apply."""
    pack = load_bundled_pack()
    changes = {"5": Change("①", "委任事務では確認書類のみで取得している")}
    result = consolidate(pack.questionnaire, pack.caution, prefecture(), three_delegates(), changes)
    names = {i.item for i in result.items}
    assert "5" in names and not names & {"6", "7-1", "7-2", "8-1", "9"}
    assert result.evaluation.complete


def test_a_stray_answer_to_a_skipped_item_is_no_candidate() -> None:
    """八王子市 answers 9=④ although its own 5=① skips Q9: ④ is not proposed."""
    pack = load_bundled_pack()
    stray = municipality(HACHIOJI, **{"5": "①", "9": "④"})
    result = consolidate(
        pack.questionnaire, pack.caution, prefecture(), [stray, three_delegates()[2]]
    )
    q9 = result.item("9")
    assert q9 is not None and (q9.value, q9.source) == ("②", CHOFU)


def test_a_pack_without_caution_loads_and_proposes_the_prefectures_answers() -> None:
    pack = load_bundled_pack()
    result = consolidate(pack.questionnaire, CautionOrder(), prefecture(), three_delegates())
    own = prefecture().document.answers
    for item in result.items:
        if item.item in own:
            assert (item.value, item.source, item.rule) == (own[item.item], PREFECTURE, BY_OWN)
        else:
            assert item.needs_choice, item.item
    assert resolve_pack(str(PACK_DIR)).caution == CautionOrder()


def test_the_bundled_order_covers_the_select_one_items_and_quotes_the_seed() -> None:
    pack = load_bundled_pack()
    q = pack.questionnaire
    single = {f.name for f in q.items if f.kind == "select_one"}
    assert set(pack.caution.items) == single
    assert pack.caution.items["9"][0] == "④"
    assert pack.caution.quote and pack.caution.quote in SEED.read_text(encoding="utf-8")


def test_a_broken_caution_file_lists_every_problem_with_its_line(tmp_path: Path) -> None:
    folder = tmp_path / "pack"
    shutil.copytree(PACK_DIR, folder)
    q = resolve_pack(str(folder)).questionnaire
    single = next(f for f in q.items if f.kind == "select_one")
    codes = list(q.choices_of(single).codes())
    free = next(f for f in q.items if not f.is_select)
    (folder / "caution.yaml").write_text(
        f"items:\n  {single.name}: [{codes[0]}]\n  {free.name}: [a]\n  Z9: [①]\nextra: 1\n",
        encoding="utf-8",
    )
    with pytest.raises(SpecError) as info:
        resolve_pack(str(folder))
    message = str(info.value)
    assert str(folder / "caution.yaml") in message
    assert f"2行目 items.{single.name}" in message and "1回ずつ" in message
    assert f"3行目 items.{free.name}" in message and "4行目 items.Z9" in message
    assert "'extra'" in message
    (folder / "caution.yaml").write_text(
        f"items:\n  {single.name}: [{', '.join(reversed(codes))}]\n", encoding="utf-8"
    )
    assert resolve_pack(str(folder)).caution.items[single.name] == tuple(reversed(codes))


@pytest.mark.parametrize(
    ("municipality_name", "expected"),
    [
        (HACHIOJI, ""),
        ("14神奈川県相模原市", "管内の市区町村ではありません"),
        ("13東京都", "市区町村の組織名ではありません"),
        ("八王子市", "市区町村の組織名ではありません"),
    ],
)
def test_a_delegate_is_a_municipality_of_the_prefecture(
    municipality_name: str, expected: str
) -> None:
    problem = delegate_problem(PREFECTURE, municipality_name)
    assert (expected in problem) if expected else problem == ""
