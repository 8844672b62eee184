"""Progress of a round against its roster: one row per organisation, counts, filters.

States come from the store's one rule (``store.api.submission_state`` over ``api.counted``),
so the dashboard, ``tenken survey status`` and the reports agree.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from tenken.store import api
from tenken.store.models import RosterEntry
from tenken.web.site.store import Counted

STATES = api.STATES


@dataclass(frozen=True)
class Row:
    entry: RosterEntry
    org_id: int | None  # the account-side organisation (the answer page's URL), if any
    state: str
    stored: Counted | None

    @property
    def flagged(self) -> bool:
        return self.stored is not None and (self.stored.missing_info or self.stored.unanswered)

    @property
    def updated_at(self) -> dt.datetime | None:
        return self.stored.updated_at if self.stored else None


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


def progress(
    entries: Iterable[RosterEntry],
    stored: dict[str, Counted],
    org_ids: dict[str, int],
    prefecture: str = "",
    kind: str = "",
    state: str = "",
    flag: str = "",
) -> Progress:
    """Rows for the roster entries that pass the filters, and the counts over those rows."""
    rows = []
    for entry in entries:
        if prefecture and entry.prefecture != prefecture:
            continue
        if kind and entry.org_kind != kind:
            continue
        found = stored.get(entry.org_name)
        label = found.state if found else api.NOT_STARTED
        row = Row(entry, org_ids.get(entry.org_name), label, found)
        if state and row.state != state:
            continue
        if flag == "flagged" and not row.flagged:
            continue
        if flag == "none" and row.flagged:
            continue
        rows.append(row)
    counts = Counter(row.state for row in rows)
    return Progress(rows, {s: counts.get(s, 0) for s in STATES}, sum(r.flagged for r in rows))
