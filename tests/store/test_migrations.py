"""Databases made by the schema before rounds (store 0001, tenken_accounts 0001) migrate.

Each test builds such a database with Django's migration executor stopped at the old schema,
fills it the way the old code did (responses keyed by questionnaire id, drafts told apart by a
``source_name`` prefix, the site's own rounds), then migrates to the latest schema.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.db import connections
from django.db.migrations.executor import MigrationExecutor

from tenken.store.db import unmigrated_alias

QID = "mhlw-2023-shokugyo-tenkan"
OLD = [("store", "0001_initial"), ("tenken_accounts", "0001_initial")]
T0 = dt.datetime(2023, 7, 10, 9, 0, tzinfo=dt.UTC)


def _old_database(tmp_path: Path) -> tuple[str, Any]:
    alias = unmigrated_alias(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    executor = MigrationExecutor(connections[alias])
    executor.migrate(OLD)
    return alias, executor.loader.project_state(OLD).apps


def _migrate(alias: str) -> Any:
    executor = MigrationExecutor(connections[alias])
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    from tenken.store.models import Response, Round

    return Round.objects.using(alias), Response.objects.using(alias)


def _response(apps: Any, alias: str, org: str, source: str, minutes: int, sha: str) -> None:
    apps.get_model("store", "Response").objects.using(alias).create(
        questionnaire_id=QID, questionnaire_version="2023-07-07", org_name=org,
        org_kind="市区町村", respondent={"組織名": org}, answers={"3": "①"}, problems=[],
        missing_info=False, unanswered=False, sha256=sha, source_name=source,
        received_at=T0 + dt.timedelta(minutes=minutes), is_current=False,
    )  # fmt: skip


def test_a_command_line_database_migrates_into_one_round(
    tmp_path: Path, django_db_blocker: Any
) -> None:
    """Files ingested by the old CLI end up in one round of their questionnaire, all counted."""
    with django_db_blocker.unblock():
        alias, apps = _old_database(tmp_path)
        _response(apps, alias, "14神奈川県相模原市", "a.xlsx", 0, "a" * 64)
        _response(apps, alias, "14神奈川県相模原市", "b.xlsx", 5, "b" * 64)
        _response(apps, alias, "13東京都", "c.xlsx", 1, "c" * 64)
        rounds, responses = _migrate(alias)
        (only,) = rounds.all()
        assert only.code == QID and only.questionnaire_id == QID and only.is_open
        assert only.questionnaire_fingerprint  # the bundled edition's, kept with the round
        assert only.roster.count() == 1788
        assert only.deadline.date() == dt.date(2023, 7, 21)
        assert responses.filter(round=only).count() == 3
        counted = sorted(responses.filter(is_counted=True).values_list("source_name", flat=True))
        assert counted == ["b.xlsx", "c.xlsx"]
        assert set(responses.values_list("origin", flat=True)) == {"file"}
        # store 0006: an existing round is undivided (no 制度 list, every answer's 制度 "")
        assert only.seidos == [] and set(responses.values_list("seido", flat=True)) == {""}


def test_a_site_database_keeps_its_rounds_and_tells_drafts_from_submissions(
    tmp_path: Path, django_db_blocker: Any
) -> None:
    """Site rounds keep their ids and rosters; a later draft does not withdraw a submission."""
    from tenken.survey.loader import bundled_path

    with django_db_blocker.unblock():
        alias, apps = _old_database(tmp_path)
        user = apps.get_model("auth", "User").objects.using(alias).create(username="admin")
        org = (
            apps.get_model("tenken_accounts", "Organisation")
            .objects.using(alias)
            .create(name="14神奈川県相模原市", kind="市区町村", prefecture="神奈川県")
        )
        old_round = apps.get_model("tenken_accounts", "SurveyRound").objects.using(alias).create(
            title="令和5年度", questionnaire_id=QID, created_by=user,
            questionnaire_yaml=bundled_path(QID).read_text("utf-8"), deadline=T0,
        )  # fmt: skip
        apps.get_model("tenken_accounts", "RosterEntry").objects.using(alias).create(
            survey_round=old_round, organisation=org, contact_email="a@example.lg.jp",
            reopened=True,
        )  # fmt: skip
        _response(apps, alias, org.name, "Web提出（r141500）", 0, "a" * 64)
        _response(apps, alias, org.name, "Web一時保存（r141500）", 5, "b" * 64)
        rounds, responses = _migrate(alias)
        (kept,) = rounds.all()
        assert kept.pk == old_round.pk and kept.title == "令和5年度"
        assert kept.questionnaire_version and kept.questionnaire_fingerprint
        entry = kept.roster.get()
        assert (entry.org_name, entry.email, entry.reopened) == (org.name, "a@example.lg.jp", True)
        origins = dict(responses.values_list("sha256", "origin"))
        assert origins == {"a" * 64: "web_submission", "b" * 64: "web_draft"}
        assert responses.get(is_counted=True).sha256 == "a" * 64
