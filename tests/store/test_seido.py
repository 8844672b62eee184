"""Several 制度 in one round: each organisation answers once per 制度, and status, tallies,
cross-tabs and risk are given per 制度 and overall, the overall figures being the sum of the
制度's (each (organisation, 制度) is one unit: tenken.survey.seido)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tenken.errors import InputError
from tenken.store import api
from tenken.store.status import status
from tenken.survey.document import AnswerDocument
from tenken.survey.engine import evaluate
from tenken.survey.local_governments import all_local_governments
from tenken.survey.pack import Pack, pack_text
from tenken.survey.report.model import ReportData
from tenken.survey.sample import generate
from tenken.survey.seido import SEIDO_FIELD
from tests.store.conftest import Db
from tests.store.seido import A, B, two_seido_pack

ROSTER = [g for g in all_local_governments() if g.org_name.startswith(("13", "14"))][:6]
ACTIONS = st.sampled_from(["none", "draft", "submit", "submit_then_draft"])
_codes = itertools.count()


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Pack:
    return two_seido_pack(tmp_path_factory.mktemp("pack"))


def make_round(db: Db, pack: Pack, seidos: list[str], code: str = "") -> Any:
    members = [api.Member(g.org_name, g.kind, g.prefecture) for g in ROSTER]
    return api.create_round(
        code or f"s{next(_codes)}",
        "二制度の調査",
        pack.questionnaire,
        api.end_of_day(dt.date(2099, 12, 31)),
        members,
        questionnaire_yaml=pack_text(pack),
        alias=db.alias,
        seidos=seidos,
    )


def answer(
    db: Db, survey_round: Any, pack: Pack, seido: str, doc: AnswerDocument, how: str
) -> None:
    """Save ``doc`` as the organisation's answer for ``seido`` the way ``how`` says."""
    q = pack.questionnaire
    document = AnswerDocument({**doc.respondent, SEIDO_FIELD: seido}, dict(doc.answers))
    name = document.respondent.get("組織名", "")
    member = api.Member(name, document.respondent.get("組織区分", ""))
    for submit in {
        "none": [],
        "draft": [False],
        "submit": [True],
        "submit_then_draft": [True, False],
    }[how]:
        api.save_web(
            survey_round, member, q, document, evaluate(q, document),
            submit=submit, username="t", alias=db.alias, seido=seido,
        )  # fmt: skip


def _sum(parts: list[dict[str, int]]) -> dict[str, int]:
    total: Counter[str] = Counter()
    for part in parts:
        total.update(part)
    return dict(total)


def tally_counts(data: ReportData) -> Counter[tuple[str, ...]]:
    """Every count of the report's tallies, cross-tabs and risk levels, by where it stands."""
    counts: Counter[tuple[str, ...]] = Counter()
    for t in data.tallies:
        for group, g in t.groups.items():
            counts[("tally", t.item, group, "respondents")] += g.respondents
            counts[("tally", t.item, group, "applicable")] += g.applicable
            counts[("tally", t.item, group, "answered")] += g.answered
            for code, n in g.counts.items():
                counts[("tally", t.item, group, code)] += n
    for tab in data.crosstabs:
        for (r, c), n in tab.cells.items():
            counts[("crosstab", tab.row, tab.col, r, c)] += n
        for r, n in tab.col_missing.items():
            counts[("crosstab", tab.row, tab.col, r, "not counted")] += n
    for group, levels in data.level_counts().items():
        for level, n in levels.items():
            counts[("level", group, level)] += n
    for rule, n in data.rule_counts().items():
        counts[("rule", rule)] += n
    counts[("submitted",)] += len(data.submitted)
    counts[("not submitted",)] += len(data.not_submitted)
    return +counts


@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    seeds=st.tuples(st.integers(0, 10_000), st.integers(0, 10_000)),
    actions=st.lists(ACTIONS, min_size=2 * len(ROSTER), max_size=2 * len(ROSTER)),
)
def test_a_round_with_two_seido_gives_per_seido_figures_that_add_up_to_the_overall(
    store_db: Db, pack: Pack, django_db_blocker: Any, seeds: tuple[int, int], actions: list[str]
) -> None:
    """Status (every state, late, flags), tallies, cross-tabs, risk levels and rule counts of
    制度 A plus those of 制度 B, each read on its own (``seido=``), are the overall figures."""
    with django_db_blocker.unblock():
        survey_round = make_round(store_db, pack, [A, B])
        steps = iter(actions)
        for seido, seed in zip((A, B), seeds, strict=True):
            sample = generate(pack, ROSTER, seed=seed, response_rate=1.0, mistake_rate=0.3)
            for document in sample.documents:
                answer(store_db, survey_round, pack, seido, document, next(steps))
        overall = status(survey_round, store_db.alias)
        parts = [status(survey_round, store_db.alias, seido) for seido in (A, B)]
        assert overall.summary()["名簿"] == 2 * len(ROSTER)
        assert overall.summary() == _sum([p.summary() for p in parts])
        assert overall.by_seido() == {A: parts[0].summary(), B: parts[1].summary()}
        report = api.round_report(survey_round, "now", store_db.alias)
        alone = [api.round_report(survey_round, "now", store_db.alias, seido=s) for s in (A, B)]
        assert tally_counts(report) == tally_counts(alone[0]) + tally_counts(alone[1])
        assert [tally_counts(part) for _s, part in report.by_seido] == [
            tally_counts(a) for a in alone
        ]
        # status and report count the same submissions, per 制度 and overall
        for figures, data in ((overall, report), *zip(parts, alone, strict=True)):
            submitted = figures.count(api.SUBMITTED) + figures.count(api.SUBMITTED_WITH_PROBLEMS)
            assert submitted == len(data.submitted)


def test_each_organisation_answers_once_per_seido(
    store_db: Db, pack: Pack, django_db_blocker: Any
) -> None:
    """A submission for 制度 A neither counts for nor replaces the one for 制度 B; a later draft
    for A leaves A's submission counted (the one rule, per 制度)."""
    sample = generate(pack, ROSTER[:1], seed=1, response_rate=1.0, mistake_rate=0.0)
    document = sample.documents[0]
    name = document.respondent["組織名"]
    with django_db_blocker.unblock():
        survey_round = make_round(store_db, pack, [A, B])
        answer(store_db, survey_round, pack, A, document, "submit_then_draft")
        assert api.counted(survey_round, store_db.alias).count() == 1
        assert api.counted_one(survey_round, name, store_db.alias, seido=A) is not None
        assert api.counted_one(survey_round, name, store_db.alias, seido=B) is None
        current = api.current(survey_round, name, store_db.alias, seido=A)
        assert current is not None and not current.is_counted  # the draft is current
        answer(store_db, survey_round, pack, B, document, "submit")
        counted = api.counted(survey_round, store_db.alias)
        assert sorted(counted.values_list("seido", flat=True)) == sorted([A, B])
        lines = {(o.org_name, o.seido): o.state for o in api.overview(survey_round, store_db.alias)}
        assert lines[(name, A)] == api.SUBMITTED and lines[(name, B)] == api.SUBMITTED
        assert len(lines) == 2 * len(ROSTER)


def test_a_round_refuses_a_seido_its_questionnaire_does_not_list(
    store_db: Db, pack: Pack, django_db_blocker: Any
) -> None:
    with django_db_blocker.unblock():
        with pytest.raises(InputError) as info:
            make_round(store_db, pack, [A, "存在しない制度"])
        assert "「存在しない制度」は 制度等 の選択肢にありません" in str(info.value)
        assert B in (info.value.hint or "")
        with pytest.raises(InputError, match="2回"):
            make_round(store_db, pack, [A, A])
        made = make_round(store_db, pack, [A, B])
        with pytest.raises(InputError, match="対象ではありません"):
            status(made, store_db.alias, "存在しない制度")


def test_a_roster_entry_may_name_the_seido_it_answers(
    store_db: Db, pack: Pack, django_db_blocker: Any
) -> None:
    """名簿 制度等 blank: every 制度 of the round; naming one: only that one."""
    members = [
        api.Member(ROSTER[0].org_name, ROSTER[0].kind, seido=B),
        api.Member(ROSTER[1].org_name, ROSTER[1].kind),
    ]
    with django_db_blocker.unblock():
        made = api.create_round(
            "named", "t", pack.questionnaire, api.end_of_day(dt.date(2099, 1, 1)), members,
            questionnaire_yaml=pack_text(pack), alias=store_db.alias, seidos=[A, B],
        )  # fmt: skip
        units = [(o.org_name, o.seido) for o in status(made, store_db.alias).organisations]
        assert units == [(ROSTER[0].org_name, B), (ROSTER[1].org_name, A), (ROSTER[1].org_name, B)]
        wrong = [api.Member(ROSTER[0].org_name, ROSTER[0].kind, seido="ほかの制度")]
        with pytest.raises(InputError, match="ほかの制度"):
            api.create_round(
                "wrong", "t", pack.questionnaire, api.end_of_day(dt.date(2099, 1, 1)), wrong,
                questionnaire_yaml=pack_text(pack), alias=store_db.alias, seidos=[A, B],
            )  # fmt: skip
