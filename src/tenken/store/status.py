"""Where each organisation of a round's roster stands (per 制度 in a round with several):
submitted (with or without problems), draft only, not started; late or on time against its own
deadline (extensions included).

Built from :func:`tenken.store.api.counted`, so the CLI's ``survey status``, the dashboard and
the reports count the same responses.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count

from tenken.errors import redact
from tenken.store import api
from tenken.store.models import Response, Round
from tenken.survey.engine import flags_json
from tenken.survey.seido import divided

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
    seido: str = ""

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
            **({"制度等": self.seido} if self.seido else {}),
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
    organisations: list[OrgStatus]  # one per (roster organisation, 制度 it answers)
    not_in_roster: list[OrgStatus]
    seidos: list[str] = field(default_factory=list)  # the round's 制度 ([] undivided)
    seido: str | None = None  # the 制度 this report is restricted to (None: every 制度)

    def count(self, state: str) -> int:
        return sum(1 for o in self.organisations if o.state == state)

    def of_seido(self, seido: str) -> StatusReport:
        """The same report for one 制度 (the overall figures are the sum of these)."""
        return replace(
            self,
            organisations=[o for o in self.organisations if o.seido == seido],
            not_in_roster=[o for o in self.not_in_roster if o.seido == seido],
            seido=seido,
        )

    def by_seido(self) -> dict[str, dict[str, int]]:
        """制度 → its summary, in the round's order (empty for a round with one 制度 or none)."""
        if not divided(self.seidos) or self.seido is not None:
            return {}
        return {s: self.of_seido(s).summary() for s in self.seidos}

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
        by_seido = self.by_seido()
        return {
            "round": self.round_code,
            "deadline": self.deadline.astimezone(JST).isoformat(),
            **({"seidos": self.seidos} if self.seidos else {}),
            **({"seido": self.seido} if self.seido is not None else {}),
            "summary": self.summary(),
            **({"summary_by_seido": by_seido} if by_seido else {}),
            "organisations": [o.to_json() for o in self.organisations],
            "not_in_roster": [o.to_json() for o in self.not_in_roster],
        }


def missing_attachments(problems: list[dict[str, str]]) -> int:
    return sum(1 for p in problems if p.get("kind") == "missing_attachment")


Unit = tuple[str, str]  # (組織名, 制度)


def status(survey_round: Round, alias: str = "default", seido: str | None = None) -> StatusReport:
    """Each roster organisation's state in ``survey_round``, per 制度 it answers (``seido``
    given: that 制度 only)."""
    api.check_seido(survey_round, seido)
    responses = Response.objects.using(alias).filter(round=survey_round)
    per_unit = responses.values("org_name", "seido").annotate(n=Count("pk"))
    versions = {(r["org_name"], r["seido"]): r["n"] for r in per_unit}
    fields = ("org_name", "seido", "org_kind", "received_at", "missing_info", "unanswered")
    found = api.counted(survey_round, alias).only(*fields, "problems", "source_name")
    counted = {(r.org_name, r.seido): r for r in found}
    drafts = api.drafts_after_submission(survey_round, alias)
    organisations = []
    for e, unit in api.roster_units(survey_round, alias):
        where = (e.prefecture, e.email, e.deadline)
        key = (e.org_name, unit)
        organisations.append(_org(key, e.org_kind, *where, counted, drafts, versions))
    listed = {(o.org_name, o.seido) for o in organisations}
    others = [
        _org(key, r.org_kind, "", "", survey_round.deadline, counted, drafts, versions)
        for key, r in sorted(counted.items())
        if key not in listed
    ]
    report = StatusReport(
        survey_round.code, survey_round.deadline, organisations, others, list(survey_round.seidos)
    )
    return report if seido is None else report.of_seido(seido)


def _org(
    unit: Unit,
    kind: str,
    prefecture: str,
    email: str,
    deadline: dt.datetime,
    counted: dict[Unit, Response],
    drafts: set[Unit],
    versions: dict[Unit, int],
) -> OrgStatus:
    name, seido = unit
    r = counted.get(unit)
    state = api.submission_state(r, unit in drafts)
    if r is None:
        n = versions.get(unit, 0)
        return OrgStatus(name, kind, state, prefecture, versions=n, email=email, seido=seido)
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
        versions=versions.get(unit, 0),
        email=email,
        seido=seido,
    )
