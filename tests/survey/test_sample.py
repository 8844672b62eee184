"""The sample answer generator: seeded, coherent, varied."""

from __future__ import annotations

from collections import Counter

import pytest

from tenken.survey.engine import evaluate
from tenken.survey.local_governments import all_local_governments
from tenken.survey.model import Questionnaire
from tenken.survey.pack import load_bundled_pack
from tenken.survey.risk import assess, load_bundled_rules
from tenken.survey.sample import SampleSet, generate


@pytest.fixture(scope="module")
def sample(questionnaire: Questionnaire) -> SampleSet:
    return generate(load_bundled_pack(), all_local_governments()[:400], seed=7)


def test_same_seed_same_answers(questionnaire: Questionnaire, sample: SampleSet) -> None:
    """A seed reproduces the documents exactly; another seed does not."""
    roster = all_local_governments()[:400]
    assert generate(load_bundled_pack(), roster, seed=7) == sample
    assert generate(load_bundled_pack(), roster, seed=8) != sample


def test_every_organisation_answers_or_is_missing(sample: SampleSet) -> None:
    """Responders and non-responders together are the roster, each once."""
    names = [d.respondent["組織名"] for d in sample.documents]
    names += [lg.org_name for lg in sample.non_responders]
    assert sorted(names) == sorted(lg.org_name for lg in all_local_governments()[:400])
    assert sample.non_responders


def test_most_documents_are_coherent_and_some_are_not(
    questionnaire: Questionnaire, sample: SampleSet
) -> None:
    """Most documents are complete; a few carry flags or problems, as real returns do."""
    evaluations = [evaluate(questionnaire, d) for d in sample.documents]
    complete = sum(e.complete for e in evaluations)
    assert complete / len(evaluations) > 0.85
    assert any(e.missing_info for e in evaluations)
    assert any(e.unanswered for e in evaluations)
    kinds = Counter(p.kind for e in evaluations for p in e.problems)
    assert kinds["not_applicable"] and kinds["invalid_choice"]


def test_risky_practices_and_all_levels_occur(
    questionnaire: Questionnaire, sample: SampleSet
) -> None:
    """The sample exercises every level and the main rules (the 2023 cause among them)."""
    rules = load_bundled_rules()
    fired: Counter[str] = Counter()
    levels: Counter[str] = Counter()
    for d in sample.documents:
        a = assess(rules, questionnaire, d, evaluate(questionnaire, d))
        fired.update(a.rule_ids)
        levels[a.level] += 1
    assert set(levels) == {"高", "中", "低"}
    assert {"R01", "R02", "R03", "R06", "R07"} <= set(fired)
    assert levels["低"] > levels["高"]
