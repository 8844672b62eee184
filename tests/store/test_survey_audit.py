"""Survey changes write the audit trail: one entry per round change, upload and answer save."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from tenken.store import api
from tenken.store.audit import verify
from tenken.store.audit.models import AuditEntry
from tenken.store.ingest import ingest
from tenken.store.models import RosterEntry
from tenken.survey.document import parse_document
from tenken.survey.engine import evaluate
from tenken.survey.model import Questionnaire
from tests.sheets.conftest import example_data
from tests.store.conftest import Db, survey_round, write_answer

ORG = ("14神奈川県相模原市", "市区町村")


def _actions(db: Db) -> list[str]:
    return list(AuditEntry.objects.using(db.alias).order_by("seq").values_list("action", flat=True))


def test_each_survey_change_writes_exactly_one_entry(
    store_db: Db, questionnaire: Questionnaire, blank: bytes, tmp_path: Path, django_db_blocker: Any
) -> None:
    sheet = write_answer(tmp_path / "in", "a.xlsx", questionnaire, blank)
    with django_db_blocker.unblock():
        survey = survey_round(store_db, roster=[ORG])
        assert _actions(store_db) == ["round.create"]

        ingest([sheet], survey, questionnaire, store_db.alias, workers=1)
        assert _actions(store_db)[1:] == ["survey.upload"]
        ingest([sheet], survey, questionnaire, store_db.alias, workers=1)  # the same file again
        assert len(_actions(store_db)) == 2

        document = parse_document(example_data("municipality-complete.json"), questionnaire, "x")
        api.save_web(
            survey, api.Member(*ORG), questionnaire, document, evaluate(questionnaire, document),
            submit=False, username="r141500", alias=store_db.alias,
        )  # fmt: skip
        assert _actions(store_db)[2:] == ["survey.answer_save"]

        later = api.end_of_day(dt.date(2023, 8, 31))
        api.set_deadline(survey, later, ORG[0], alias=store_db.alias)
        entry = RosterEntry.objects.using(store_db.alias).get(round=survey, org_name=ORG[0])
        api.set_reopened(entry, True, "cli:test", alias=store_db.alias)
        assert _actions(store_db)[3:] == ["round.update", "round.reopen"]

        checked = verify(using=store_db.alias)
    assert checked.ok and checked.count == 5
    saved = AuditEntry.objects.using(store_db.alias).get(action="survey.answer_save")
    assert saved.actor == "web:r141500" and saved.organisation
