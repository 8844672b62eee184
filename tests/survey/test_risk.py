"""Risk rules: each rule against hand-built answers, the rule file's validation, its quotes."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tenken.errors import SpecError
from tenken.survey.document import parse_document
from tenken.survey.engine import evaluate
from tenken.survey.model import Questionnaire
from tenken.survey.risk import (
    Assessment,
    assess,
    build_rules,
    bundled_rules_path,
    load_bundled_rules,
)
from tests.survey.conftest import example

SEED = Path(__file__).resolve().parents[1] / "data" / "seed" / "mhlw-2023-shokugyo-tenkan.txt"
SAFE = {"1-1": "①", "2": "①", "3": "①", "4": "①", "5": "②", "6": ["①"], "7-1": "①",
        "7-2": "①", "7-3": "①", "7-4": ["①", "③", "⑤"], "8-1": "①", "8-1-概要": "複数職員で照合",
        "8-2": "①", "9": "①", "10": "①"}  # fmt: skip


def judge(q: Questionnaire, **changes: Any) -> Assessment:
    """Assess the safe municipality answers with ``changes`` applied (None removes an answer)."""
    answers = dict(SAFE)
    for key, value in changes.items():
        key = key.replace("_", "-")
        if value is None:
            answers.pop(key, None)
        else:
            answers[key] = value
    data = {"respondent": example("municipality-complete.json")["respondent"], "answers": answers}
    document = parse_document(data, q, "test")
    return assess(load_bundled_rules(), q, document, evaluate(q, document))


def test_safe_answers_fire_nothing(questionnaire: Questionnaire) -> None:
    """Careful practice everywhere: level 低 (the default) and no rule."""
    a = judge(questionnaire)
    assert (a.level, a.rule_ids) == ("低", ())


@pytest.mark.parametrize(
    ("changes", "level", "rules"),
    [
        ({"7_3": "②", "7_4": None}, "高", ("R01",)),
        ({"7_4": ["②", "③"]}, "高", ("R02",)),  # kana + date of birth: the 2023 cause
        ({"7_4": ["①", "②", "③", "④"]}, "高", ("R02",)),
        ({"8_1": "②", "8-1-概要": None, "8_2": None}, "高", ("R03",)),
        ({"8_2": "②"}, "高", ("R04",)),
        ({"10": "③"}, "高", ("R05",)),
        ({"10": "④"}, "高", ("R05",)),
        ({"4": "②"}, "中", ("R06",)),
        ({"9": "④"}, "中", ("R07",)),
        ({"9": "③"}, "中", ("R08",)),
        ({"9": None}, "中", ("R09",)),
        ({"10": "②"}, "低", ("R10",)),
        ({"2": "②"}, "低", ("R11",)),
        ({"4": "②", "10": "④", "2": "②"}, "高", ("R05", "R06", "R11")),
    ],
)
def test_each_rule(
    questionnaire: Questionnaire, changes: dict[str, Any], level: str, rules: tuple[str, ...]
) -> None:
    """The level is the most severe fired rule; fired rules are listed most severe first."""
    a = judge(questionnaire, **changes)
    assert a.level == level
    assert a.rule_ids == rules


def test_skipped_items_read_as_empty(questionnaire: Questionnaire) -> None:
    """Risky answers left in skipped items do not fire: 5=① skips 7-x, 8-x and 9."""
    a = judge(questionnaire, **{"5": "①", "7_3": "②", "8_2": "②", "9": "④", "6": None})
    assert a.rule_ids == ()


def test_7_4_skipped_when_7_3_is_2_does_not_fire_r02(questionnaire: Questionnaire) -> None:
    """7-3=② fires R01; a 7-4 without ⑤ left behind (skipped) does not also fire R02."""
    a = judge(questionnaire, **{"7_3": "②", "7_4": ["②", "③"]})
    assert a.rule_ids == ("R01",)


def test_empty_7_4_is_unanswered_not_r02(questionnaire: Questionnaire) -> None:
    """An unanswered 7-4 is not read as 'lacks ⑤' (answers are taken as given) but fires R09."""
    a = judge(questionnaire, **{"7_4": None})
    assert a.rule_ids == ("R09",)


def test_every_quote_is_in_the_seed() -> None:
    """Each rule's quote (and the reading note's) appears word for word in the seed."""
    seed = re.sub(r"\s+", "", SEED.read_text(encoding="utf-8"))
    rules = load_bundled_rules()
    for quote in [r.quote for r in rules.rules] + [rules.note_quote]:
        assert re.sub(r"\s+", "", quote) in seed, quote


def test_note_says_answers_are_taken_as_given() -> None:
    """The report's reading note states that answers are taken as given."""
    assert "記載どおりに扱います" in load_bundled_rules().note


def raw_rules() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(
        bundled_rules_path("mhlw-2023-shokugyo-tenkan").read_text("utf-8")
    )
    return data


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        ({"condition": "${7-9} = '①'"}, "項目 ${7-9} はありません"),
        ({"condition": "${8-1} = '⑨'"}, "8-1 の選択肢に '⑨' はありません"),
        ({"condition": "${7-4} = '⑤'"}, "7-4 は複数選択です"),
        ({"condition": "${8-1} = "}, "式"),
        ({"level": "最高"}, "level '最高'"),
        ({"flag": "未回答あり"}, "どちらか一方"),
        ({"colour": "red"}, "未知のキー 'colour'"),
        ({"quote": ""}, "quote が必要です"),
    ],
)
def test_rule_file_mistakes_are_spec_errors(
    questionnaire: Questionnaire, patch: dict[str, Any], message: str
) -> None:
    """A broken rule says which rule and what is wrong."""
    data = raw_rules()
    data["rules"][0].update(patch)
    with pytest.raises(SpecError) as caught:
        build_rules(data, questionnaire, "rules.yaml")
    assert "ルール R01" in str(caught.value) and message in str(caught.value)


def test_rule_file_errors_are_collected(questionnaire: Questionnaire) -> None:
    """Two broken rules give one error listing both."""
    data = raw_rules()
    data["rules"][0]["condition"] = "${x} = '①'"
    data["rules"][1]["level"] = "?"
    data["rules"].append(dict(data["rules"][2]))
    with pytest.raises(SpecError) as caught:
        build_rules(data, questionnaire, "rules.yaml")
    text = str(caught.value)
    assert "3 件の誤り" in text and "id が重複" in text


def test_rule_file_for_another_questionnaire(questionnaire: Questionnaire) -> None:
    """A rule file declaring another questionnaire is refused."""
    data = raw_rules()
    data["questionnaire"] = "other"
    with pytest.raises(SpecError, match="この調査票"):
        build_rules(data, questionnaire, "rules.yaml")
