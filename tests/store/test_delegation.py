"""Delegated municipalities in the store (SQLite and PostgreSQL): three delegates' answers by web
and sheet, one consolidated submission with provenance, and the tallies (status, report, CLI)
counting the prefecture once."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tenken.cli import app
from tenken.errors import InputError
from tenken.store import api
from tenken.store import delegation as store_delegation
from tenken.store.models import Consolidation, DelegateAnswer, Response
from tenken.store.status import status
from tenken.survey.delegation import Change, consolidate
from tenken.survey.document import AnswerDocument
from tenken.survey.engine import evaluate
from tenken.survey.model import Questionnaire
from tenken.survey.pack import load_bundled_pack
from tenken.survey.prepare import Prepared, prepare
from tenken.survey.xlsx.fill import fill_sheet
from tests.store.conftest import Db, survey_round
from tests.survey.test_delegation import CHOFU, HACHIOJI, MACHIDA, municipality, prefecture

PREFECTURE = "13東京都"
ROSTER = [(PREFECTURE, "都道府県"), ("14神奈川県相模原市", "市区町村")]


def _own(db: Db, r: Any, q: Questionnaire) -> None:
    """The prefecture's own answer as a web draft."""
    own = prefecture().document
    member = api.Member(PREFECTURE, "都道府県")
    api.save_web(
        r, member, q, own, evaluate(q, own), submit=False, username="tokyo", alias=db.alias
    )


def _sheet(tmp_path: Path, q: Questionnaire, blank: bytes, org: str, **answers: str) -> Prepared:
    """A delegate's filled sheet, read back as ingest reads it."""
    source = municipality(org, **answers)
    path = tmp_path / f"{org}.xlsx"
    path.write_bytes(fill_sheet(blank, q, source.document))
    prepared = prepare((path, []), q)
    assert isinstance(prepared, Prepared), prepared
    return prepared


def collect(db: Db, q: Questionnaire, blank: bytes, tmp_path: Path) -> Any:
    r = survey_round(db, roster=ROSTER)
    _own(db, r, q)
    hachioji, machida, chofu = (
        store_delegation.add_delegate(r, PREFECTURE, name, actor="tokyo", alias=db.alias)[0]
        for name in (HACHIOJI, MACHIDA, CHOFU)
    )
    web = municipality(HACHIOJI).document
    store_delegation.save_delegate_answer(
        hachioji, web, evaluate(q, web), submit=True, actor="delegate", alias=db.alias
    )
    machida_sheet = _sheet(
        tmp_path, q, blank, MACHIDA, **{"2": "④", "7-3": "②", "7-4": None, "9": "④"}
    )
    store_delegation.ingest_delegate_sheet(machida, machida_sheet, actor="tokyo", alias=db.alias)
    again = store_delegation.ingest_delegate_sheet(
        machida, machida_sheet, actor="x", alias=db.alias
    )
    assert again is None  # the same sheet again is kept once
    chofu_sheet = _sheet(tmp_path, q, blank, CHOFU, **{"2": "①", "9": "②", "10": "②"})
    store_delegation.ingest_delegate_sheet(chofu, chofu_sheet, actor="tokyo", alias=db.alias)
    return r


def test_the_consolidated_answer_counts_once_with_provenance(
    store_db: Db, questionnaire: Questionnaire, blank: bytes, tmp_path: Path, django_db_blocker: Any
) -> None:
    q = questionnaire
    with django_db_blocker.unblock():
        r = collect(store_db, q, blank, tmp_path)
        assert DelegateAnswer.objects.using(store_db.alias).count() == 3
        found = store_delegation.sources(r, PREFECTURE, alias=store_db.alias)
        assert [s.org_name for s in found.answered] == [HACHIOJI, MACHIDA, CHOFU]
        assert found.own is not None and found.own.org_name == PREFECTURE
        pack = load_bundled_pack()
        changes = {"6": Change(["①", "②"], "3市とも両方")}
        result = consolidate(q, pack.caution, found.own, found.answered, changes)
        member = api.Member(PREFECTURE, "都道府県")
        response = store_delegation.submit_consolidated(
            r, member, q, result, username="tokyo", alias=store_db.alias
        )
        kept = store_delegation.consolidation_of(response)
        assert kept is not None and kept.provenance["9"]["source"] == MACHIDA
        assert kept.provenance["10"]["source"] == CHOFU
        counted = list(api.counted(r, store_db.alias).values_list("org_name", flat=True))
        assert counted == [PREFECTURE]
        orgs = {o.org_name: o.state for o in status(r, store_db.alias).organisations}
        report = api.round_report(r, "t", store_db.alias)
        # The prefecture's own answer stays its own (the next consolidation starts from it).
        again = store_delegation.own_answer(r, PREFECTURE, alias=store_db.alias)
        assert again is not None and again.pk != response.pk and again.answers["5"] == "①"
    assert orgs == {PREFECTURE: "提出済み（不備あり）", "14神奈川県相模原市": "未着手"}
    nine = next(t for t in report.tallies if t.item == "9").overall
    assert nine.respondents == 1 and nine.counts["④"] == 1  # 町田市's ④, counted once
    assert sum(1 for o in report.orgs if o.org_name == PREFECTURE) == 1
    assert not any(o.org_name in (HACHIOJI, MACHIDA, CHOFU) for o in report.orgs)


def test_a_sheet_of_another_municipality_or_round_is_refused(
    store_db: Db, questionnaire: Questionnaire, blank: bytes, tmp_path: Path, django_db_blocker: Any
) -> None:
    with django_db_blocker.unblock():
        r = survey_round(store_db, roster=ROSTER)
        d, _token = store_delegation.add_delegate(r, PREFECTURE, HACHIOJI, alias=store_db.alias)
        wrong = _sheet(tmp_path, questionnaire, blank, MACHIDA)
        with pytest.raises(InputError, match="13東京都町田市 のものです"):
            store_delegation.ingest_delegate_sheet(d, wrong, actor="x", alias=store_db.alias)
        with pytest.raises(InputError, match="登録済み"):
            store_delegation.add_delegate(r, PREFECTURE, HACHIOJI, alias=store_db.alias)
        assert not DelegateAnswer.objects.using(store_db.alias).exists()
        assert not Response.objects.using(store_db.alias).exists()


def test_a_change_without_a_reason_stores_nothing(
    store_db: Db, questionnaire: Questionnaire, blank: bytes, tmp_path: Path, django_db_blocker: Any
) -> None:
    with django_db_blocker.unblock():
        r = collect(store_db, questionnaire, blank, tmp_path)
        found = store_delegation.sources(r, PREFECTURE, alias=store_db.alias)
        assert found.own is not None
        pack = load_bundled_pack()
        result = consolidate(
            questionnaire, pack.caution, found.own, found.answered, {"9": Change("①", "")}
        )
        with pytest.raises(InputError, match="項番9"):
            store_delegation.submit_consolidated(
                r, api.Member(PREFECTURE, "都道府県"), questionnaire, result,
                username="tokyo", alias=store_db.alias,
            )  # fmt: skip
        assert not Consolidation.objects.using(store_db.alias).exists()
        assert not api.counted(r, store_db.alias).exists()


def test_status_cli_counts_the_prefecture_once(
    store_db: Db, questionnaire: Questionnaire, blank: bytes, tmp_path: Path, django_db_blocker: Any
) -> None:
    if store_db.options:
        pytest.skip("the CLI's --db cannot select the per-test PostgreSQL schema")
    with django_db_blocker.unblock():
        r = collect(store_db, questionnaire, blank, tmp_path)
        found = store_delegation.sources(r, PREFECTURE, alias=store_db.alias)
        assert found.own is not None
        result = consolidate(
            questionnaire, load_bundled_pack().caution, found.own, found.answered,
            {"6": Change(["①"], "J-LIS のみ")},
        )  # fmt: skip
        store_delegation.submit_consolidated(
            r, api.Member(PREFECTURE, "都道府県"), questionnaire, result,
            username="tokyo", alias=store_db.alias,
        )  # fmt: skip
        out = CliRunner().invoke(app, ["survey", "status", "--json", *store_db.cli_args()])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["summary"]["名簿"] == 2
    assert data["summary"]["提出済み"] + data["summary"]["提出済み（不備あり）"] == 1
    assert HACHIOJI not in out.stdout and MACHIDA not in out.stdout


def test_a_prefecture_in_a_round_with_two_seido_consolidates_each_seido_separately(
    store_db: Db, tmp_path: Path, django_db_blocker: Any
) -> None:
    """Delegation is per (prefecture, 制度): each 制度 has its own delegates, proposal and one
    consolidated answer, and the tallies of each 制度 count the prefecture once."""
    from tenken.survey.pack import pack_text
    from tenken.survey.seido import SEIDO_FIELD
    from tenken.survey.xlsx.layout import ROUND_KEY, SEIDO_KEY
    from tenken.survey.xlsx.writer import form_bytes
    from tests.store.seido import A, B, two_seido_pack

    pack = two_seido_pack(tmp_path / "pack")
    q = pack.questionnaire
    alias = store_db.alias
    member = api.Member(PREFECTURE, "都道府県")

    def of(seido: str, source: Any) -> AnswerDocument:
        """The answer as the site's form of ``seido`` gives it (its 制度等 filled)."""
        document = source.document
        return AnswerDocument({**document.respondent, SEIDO_FIELD: seido}, dict(document.answers))

    with django_db_blocker.unblock():
        r = api.create_round(
            "2seido", "二制度の調査", q, api.end_of_day(dt.date(2099, 12, 31)),
            [member, api.Member("14神奈川県相模原市", "市区町村")],
            questionnaire_yaml=pack_text(pack), alias=alias, seidos=[A, B],
        )  # fmt: skip
        delegates = {A: [(HACHIOJI, {}), (MACHIDA, {"9": "④"})], B: [(CHOFU, {"9": "②"})]}
        for seido, names in delegates.items():
            own = of(seido, prefecture())
            api.save_web(
                r, member, q, own, evaluate(q, own), submit=False, username="tokyo",
                alias=alias, seido=seido,
            )  # fmt: skip
            for name, answers in names:
                d, _token = store_delegation.add_delegate(
                    r, PREFECTURE, name, seido=seido, actor="tokyo", alias=alias
                )
                web = of(seido, municipality(name, **answers))
                store_delegation.save_delegate_answer(
                    d, web, evaluate(q, web), submit=True, actor="delegate", alias=alias
                )
        # A sheet issued for 制度 A is refused as the 制度 B delegate's answer.
        (chofu_b,) = store_delegation.delegations(r, PREFECTURE, seido=B, alias=alias)
        sheet_a = form_bytes(q, {ROUND_KEY: r.code, SEIDO_KEY: A})
        with pytest.raises(InputError, match=f"制度「{A}」のもの"):
            store_delegation.ingest_delegate_sheet(
                chofu_b, _sheet(tmp_path, q, sheet_a, CHOFU), actor="tokyo", alias=alias
            )
        assert store_delegation.current_answer(chofu_b, alias).answers.get("9") == "②"
        kept = {}
        for seido in (A, B):
            found = store_delegation.sources(r, PREFECTURE, seido=seido, alias=alias)
            assert [s.org_name for s in found.answered] == [n for n, _a in delegates[seido]]
            assert found.own is not None
            result = consolidate(q, pack.caution, found.own, found.answered, {})
            response = store_delegation.submit_consolidated(
                r, member, q, result, username="tokyo", seido=seido, alias=alias
            )
            assert response.seido == seido
            kept[seido] = store_delegation.consolidation_of(response)
            own_again = store_delegation.own_answer(r, PREFECTURE, seido=seido, alias=alias)
            assert own_again is not None and own_again.seido == seido
        units = sorted(api.counted(r, alias).values_list("org_name", "seido"))
        report = api.round_report(r, "t", alias)
        by_seido = dict(report.by_seido)
        states = [(o.org_name, o.seido) for o in status(r, alias).organisations]
    assert units == sorted([(PREFECTURE, A), (PREFECTURE, B)])
    assert {s: (k.seido, k.provenance["9"]["source"]) for s, k in kept.items() if k} == {
        A: (A, MACHIDA),  # 町田市's ④ is the most cautious of 制度 A's answers
        B: (B, CHOFU),
    }
    assert kept[B] is not None and kept[B].delegates == [CHOFU]
    nine = {s: next(t for t in by_seido[s].tallies if t.item == "9").overall for s in (A, B)}
    assert (nine[A].respondents, nine[A].counts["④"]) == (1, 1)
    assert (nine[B].respondents, nine[B].counts["②"], nine[B].counts["④"]) == (1, 1, 0)
    overall = next(t for t in report.tallies if t.item == "9").overall
    assert overall.respondents == 2  # the prefecture once per 制度, no delegate
    for data in (report, by_seido[A], by_seido[B]):
        assert not any(o.org_name in (HACHIOJI, MACHIDA, CHOFU) for o in data.orgs)
    assert states.count((PREFECTURE, A)) == 1 and states.count((PREFECTURE, B)) == 1
