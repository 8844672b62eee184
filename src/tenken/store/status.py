"""Who has answered, who has flags set, who has not answered yet: against a roster and deadline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal
from zoneinfo import ZoneInfo

from tenken.store.models import Response
from tenken.survey.engine import flags_json
from tenken.survey.roster import RosterEntry

JST = ZoneInfo("Asia/Tokyo")
State = Literal["answered", "late", "not_answered"]
STATE_LABELS: dict[str, str] = {
    "answered": "回答済み",
    "late": "期限後に回答",
    "not_answered": "未回答",
}


@dataclass(frozen=True)
class OrgStatus:
    org_name: str
    org_kind: str
    state: State
    received_at: dt.datetime | None = None
    missing_info: bool = False
    unanswered: bool = False
    problems: int = 0
    source_name: str = ""
    versions: int = 0

    @property
    def flagged(self) -> bool:
        return self.missing_info or self.unanswered

    def to_json(self) -> dict[str, Any]:
        return {
            "組織名": self.org_name,
            "組織区分": self.org_kind,
            "状況": STATE_LABELS[self.state],
            "state": self.state,
            "received_at": self.received_at.astimezone(JST).isoformat()
            if self.received_at
            else None,
            "flags": flags_json(self.missing_info, self.unanswered),
            "problems": self.problems,
            "file": self.source_name,
            "files_received": self.versions,
        }


@dataclass(frozen=True)
class StatusReport:
    deadline: dt.date
    organisations: list[OrgStatus]
    not_in_roster: list[OrgStatus]

    def count(self, state: State) -> int:
        return sum(1 for o in self.organisations if o.state == state)

    @property
    def flagged(self) -> list[OrgStatus]:
        return [o for o in self.organisations if o.flagged]

    def summary(self) -> dict[str, int]:
        return {
            "名簿": len(self.organisations),
            "回答済み": self.count("answered"),
            "期限後に回答": self.count("late"),
            "未回答": self.count("not_answered"),
            "フラグあり": len(self.flagged),
            "名簿にない回答": len(self.not_in_roster),
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "deadline": self.deadline.isoformat(),
            "summary": self.summary(),
            "organisations": [o.to_json() for o in self.organisations],
            "not_in_roster": [o.to_json() for o in self.not_in_roster],
        }


def end_of_day(day: dt.date) -> dt.datetime:
    """The deadline is inclusive: until 23:59:59 Japan time on that day."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=JST)


def status(
    questionnaire_id: str, roster: list[RosterEntry], deadline: dt.date, alias: str
) -> StatusReport:
    """Each roster organisation's state, from the current responses in the store."""
    responses = Response.objects.using(alias).filter(questionnaire_id=questionnaire_id)
    counts: dict[str, int] = {}
    for name in responses.values_list("org_name", flat=True):
        counts[name] = counts.get(name, 0) + 1
    current = {r.org_name: r for r in responses.filter(is_current=True).defer("answers")}
    limit = end_of_day(deadline)
    listed = {entry.org_name for entry in roster}
    organisations = [
        _org(entry.org_name, entry.org_kind, current.get(entry.org_name), counts, limit)
        for entry in roster
    ]
    others = [
        _org(name, r.org_kind, r, counts, limit)
        for name, r in sorted(current.items())
        if name not in listed
    ]
    return StatusReport(deadline, organisations, others)


def _org(
    name: str, kind: str, r: Response | None, counts: dict[str, int], limit: dt.datetime
) -> OrgStatus:
    if r is None:
        return OrgStatus(name, kind, "not_answered")
    return OrgStatus(
        name,
        kind,
        "answered" if r.received_at < limit else "late",
        r.received_at,
        r.missing_info,
        r.unanswered,
        len(r.problems),
        r.source_name,
        counts.get(name, 0),
    )
