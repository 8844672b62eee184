"""Progress of a round against its roster: one row per organisation, counts, filters."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from tenken.web.accounts.models import RosterEntry
from tenken.web.site.store import Stored

STATES = ("提出済み", "一時保存", "未着手")


@dataclass(frozen=True)
class Row:
    entry: RosterEntry
    state: str
    stored: Stored | None

    @property
    def flagged(self) -> bool:
        return self.stored is not None and (self.stored.missing_info or self.stored.unanswered)


@dataclass(frozen=True)
class Progress:
    rows: list[Row]
    counts: dict[str, int]
    flagged: int

    @property
    def total(self) -> int:
        return len(self.rows)

    def percent(self, state: str) -> int:
        return round(100 * self.counts.get(state, 0) / self.total) if self.total else 0


def state_of(stored: Stored | None) -> str:
    if stored is None:
        return "未着手"
    return "提出済み" if stored.submitted else "一時保存"


def progress(
    entries: Iterable[RosterEntry],
    stored: dict[int, Stored],
    prefecture: str = "",
    kind: str = "",
    state: str = "",
) -> Progress:
    """Rows for the roster entries that pass the filters, and the counts over those rows."""
    rows = []
    for entry in entries:
        org = entry.organisation
        if prefecture and org.prefecture != prefecture:
            continue
        if kind and org.kind != kind:
            continue
        found = stored.get(org.pk)
        row = Row(entry, state_of(found), found)
        if state and row.state != state:
            continue
        rows.append(row)
    counts = Counter(row.state for row in rows)
    return Progress(rows, {s: counts.get(s, 0) for s in STATES}, sum(r.flagged for r in rows))
