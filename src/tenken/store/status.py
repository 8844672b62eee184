"""Where each organisation of a round's roster stands: submitted (with or without problems),
draft only, not started; late or on time against its own deadline (extensions included).

Built from :func:`tenken.store.api.counted`, so the CLI's ``survey status``, the dashboard and
the reports count the same responses.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count

from tenken.errors import redact
from tenken.store import api
from tenken.store.models import Response, Round
from tenken.survey.engine import flags_json

JST = ZoneInfo("Asia/Tokyo")


@dataclass(frozen=True)
class OrgStatus:
    org_name: str
    org_kind: str
    state: str  # one of api.STATES
    prefecture: str = ""
    late: bool = False
    received_at: dt.datetime | None = None
    missing_info: bool = False
    unanswered: bool = False
    problems: int = 0
    missing_attachments: int = 0
    source_name: str = ""
    versions: int = 0
    email: str = ""

    @property
    def flagged(self) -> bool:
        return self.missing_info or self.unanswered

    @property
    def submitted(self) -> bool:
        return self.state in (api.SUBMITTED, api.SUBMITTED_WITH_PROBLEMS)

    def to_json(self) -> dict[str, Any]:
        # names come from respondents' files: a My Number typed there is not printed whole
        return {
            "組織名": redact(self.org_name),
            "組織区分": self.org_kind,
            "都道府県": self.prefecture,
            "状況": self.state,
            "late": self.late,
            "received_at": self.received_at.astimezone(JST).isoformat()
            if self.received_at
            else None,
            "flags": flags_json(self.missing_info, self.unanswered),
            "problems": self.problems,
            "missing_attachments": self.missing_attachments,
            "file": redact(self.source_name),
            "files_received": self.versions,
        }


@dataclass(frozen=True)
class StatusReport:
    round_code: str
    deadline: dt.datetime
    organisations: list[OrgStatus]
    not_in_roster: list[OrgStatus]

    def count(self, state: str) -> int:
        return sum(1 for o in self.organisations if o.state == state)

    @property
    def flagged(self) -> list[OrgStatus]:
        return [o for o in self.organisations if o.flagged]

    @property
    def with_problems(self) -> list[OrgStatus]:
        return [o for o in self.organisations if o.state == api.SUBMITTED_WITH_PROBLEMS]

    def summary(self) -> dict[str, int]:
        return {
            "名簿": len(self.organisations),
            **{state: self.count(state) for state in api.STATES},
            "うち期限後": sum(1 for o in self.organisations if o.late),
            "フラグあり": len(self.flagged),
            "名簿にない回答": len(self.not_in_roster),
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "round": self.round_code,
            "deadline": self.deadline.astimezone(JST).isoformat(),
            "summary": self.summary(),
            "organisations": [o.to_json() for o in self.organisations],
            "not_in_roster": [o.to_json() for o in self.not_in_roster],
        }


def missing_attachments(problems: list[dict[str, str]]) -> int:
    return sum(1 for p in problems if p.get("kind") == "missing_attachment")


def status(survey_round: Round, alias: str = "default") -> StatusReport:
    """Each roster organisation's state in ``survey_round``."""
    responses = Response.objects.using(alias).filter(round=survey_round)
    versions = dict(
        responses.values("org_name").annotate(n=Count("pk")).values_list("org_name", "n")
    )
    fields = ("org_name", "org_kind", "received_at", "missing_info", "unanswered", "problems")
    counted = {r.org_name: r for r in api.counted(survey_round, alias).only(*fields, "source_name")}
    drafts = api.drafts_after_submission(survey_round, alias)
    roster = list(survey_round.roster.using(alias).all())
    organisations = [
        _org(e.org_name, e.org_kind, e.prefecture, e.email, e.deadline, counted, drafts, versions)
        for e in roster
    ]
    listed = {e.org_name for e in roster}
    others = [
        _org(name, r.org_kind, "", "", survey_round.deadline, counted, drafts, versions)
        for name, r in sorted(counted.items())
        if name not in listed
    ]
    return StatusReport(survey_round.code, survey_round.deadline, organisations, others)


def _org(
    name: str,
    kind: str,
    prefecture: str,
    email: str,
    deadline: dt.datetime,
    counted: dict[str, Response],
    drafts: set[str],
    versions: dict[str, int],
) -> OrgStatus:
    r = counted.get(name)
    state = api.submission_state(r, name in drafts)
    if r is None:
        return OrgStatus(name, kind, state, prefecture, versions=versions.get(name, 0), email=email)
    return OrgStatus(
        name,
        kind,
        state,
        prefecture,
        late=r.received_at > deadline,
        received_at=r.received_at,
        missing_info=r.missing_info,
        unanswered=r.unanswered,
        problems=len(r.problems),
        missing_attachments=missing_attachments(r.problems),
        source_name=r.source_name,
        versions=versions.get(name, 0),
        email=email,
    )
