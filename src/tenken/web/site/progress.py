"""Progress of a round against its roster: one row per organisation, counts, filters.

States come from the store's one rule (``store.api.overview`` over ``api.counted``), so the
dashboard, ``tenken survey status`` and the reports agree. The overview of a round is kept per
process until a response or the roster changes (``api.overview_version``): the ministry's
viewers reload the dashboard far more often than answers arrive.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from tenken.store import api
from tenken.store.models import Round
from tenken.survey.report.model import NOT_SUBMITTED
from tenken.survey.risk import LEVELS
from tenken.web.site.entries import seido_query

STATES = api.STATES
RISK_LEVELS = (*LEVELS, NOT_SUBMITTED)
_CACHE: dict[int, tuple[tuple[Any, ...], list[api.OrgLine]]] = {}
_PAGES: dict[tuple[Any, ...], Any] = {}
_LEVELS: dict[int, tuple[tuple[Any, ...], dict[tuple[str, str], str]]] = {}
_LOCK = threading.Lock()


def overview(survey_round: Round) -> tuple[tuple[Any, ...], list[api.OrgLine]]:
    """(version, the round's overview), recomputed only when the version changed."""
    version = api.overview_version(survey_round)
    with _LOCK:
        kept = _CACHE.get(survey_round.pk)
    if kept is not None and kept[0] == version:
        return kept
    lines = api.overview(survey_round)
    with _LOCK:
        _CACHE[survey_round.pk] = (version, lines)
        _PAGES.clear()  # pages of older versions are never asked for again
    return version, lines


def risk_levels(survey_round: Round, version: tuple[Any, ...]) -> dict[tuple[str, str], str]:
    """(組織名, 制度) → risk level of the counted answers (``api.unit_risk_levels``: the report's
    rule), kept per process like the overview; computed only when the risk filter is used."""
    with _LOCK:
        kept = _LEVELS.get(survey_round.pk)
    if kept is not None and kept[0] == version:
        return kept[1]
    levels = api.unit_risk_levels(survey_round)
    with _LOCK:
        _LEVELS[survey_round.pk] = (version, levels)
    return levels


@dataclass(frozen=True)
class Page:
    """What the dashboard shows for one round, set of filters and page."""

    progress: Progress
    rows_html: SafeString
    page: int
    pages: int
    prefectures: list[str]
    kinds: list[str]
    key: tuple[Any, ...] = ()


def dashboard_page(
    survey_round: Round,
    org_ids: tuple[Any, dict[str, int]],
    filters: dict[str, str],
    page_text: str,
    page_size: int,
    prefecture_order: Any,
) -> Page:
    """The dashboard's figures and rows, kept per process for the same version and query."""
    version, lines = overview(survey_round)
    key = (version, org_ids[0], tuple(sorted(filters.items())), page_text)
    with _LOCK:
        found = _PAGES.get(key)
    if found is not None:
        return found  # type: ignore[no-any-return]
    levels = risk_levels(survey_round, version) if filters.get("risk") else None
    shown = progress(lines, org_ids[1], levels=levels, **filters)
    pages = max(1, -(-shown.total // page_size))
    page = min(max(int(page_text), 1), pages) if page_text.isdigit() else 1
    result = Page(
        shown,
        rows_html(shown.rows[(page - 1) * page_size : page * page_size], survey_round),
        page,
        pages,
        sorted({e.prefecture for e in lines if e.prefecture}, key=prefecture_order),
        sorted({e.org_kind for e in lines}),
        key,
    )
    with _LOCK:
        if len(_PAGES) > 512:
            _PAGES.clear()
        _PAGES[key] = result
    return result


@dataclass(frozen=True)
class Row:
    line: api.OrgLine
    org_id: int | None  # the account-side organisation (the answer page's URL), if any

    @property
    def state(self) -> str:
        return self.line.state

    @property
    def flagged(self) -> bool:
        return self.line.flagged


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
    lines: Iterable[api.OrgLine],
    org_ids: dict[str, int],
    prefecture: str = "",
    kind: str = "",
    state: str = "",
    flag: str = "",
    risk: str = "",
    levels: dict[tuple[str, str], str] | None = None,
    seido: str = "",
) -> Progress:
    """Rows for the organisations (and 制度) that pass the filters, and the counts over those
    rows.

    ``risk`` (高 / 中 / 低 / 未提出) needs ``levels`` ((組織名, 制度) → level of a counted
    answer); ``seido`` keeps one 制度's rows (a round with several)."""
    rows = []
    for line in lines:
        if risk and (levels or {}).get((line.org_name, line.seido), NOT_SUBMITTED) != risk:
            continue
        if seido and line.seido != seido:
            continue
        if prefecture and line.prefecture != prefecture:
            continue
        if kind and line.org_kind != kind:
            continue
        if state and line.state != state:
            continue
        if flag == "flagged" and not line.flagged:
            continue
        if flag == "none" and line.flagged:
            continue
        rows.append(Row(line, org_ids.get(line.org_name)))
    counts = Counter(row.state for row in rows)
    return Progress(rows, {s: counts.get(s, 0) for s in STATES}, sum(r.flagged for r in rows))


def rows_html(rows: Iterable[Row], survey_round: Round) -> SafeString:
    """The organisations table's rows, formatted in Python: the page shows 100 rows of 8 cells,
    which Django's template engine renders about five times slower (escaped all the same)."""
    from django.utils import timezone

    parts = []
    for row in rows:
        line = row.line
        name = f"{line.org_name}（{line.seido}）" if line.seido else line.org_name
        if row.org_id is not None:
            query = seido_query(survey_round, line.seido)
            link = format_html(
                '<a href="/rounds/{}/answers/{}/{}">{}</a>',
                survey_round.pk,
                row.org_id,
                query,
                name,
            )
        else:
            link = conditional_escape(name)
        if line.received_at is not None:
            when = timezone.localtime(line.received_at)
            facts = format_html(
                "<td>{}</td><td>{}</td><td>{} 件</td><td>{}</td>",
                "あり" if line.missing_info else "なし",
                "あり" if line.unanswered else "なし",
                line.problem_count,
                f"{when.month}/{when.day} {when:%H:%M}",
            )
        else:
            facts = mark_safe("<td>—</td><td>—</td><td>—</td><td>—</td>")
        parts.append(
            format_html(
                '<tr><td>{}</td><td>{}</td><td>{}</td><td data-row-state="{}">{}</td>{}</tr>',
                link,
                line.org_kind,
                line.prefecture,
                line.state,
                line.state,
                facts,
            )
        )
    return mark_safe("\n".join(parts))
