"""``tenken survey ingest``: store answer files, one transaction per file.

* idempotent: a file whose SHA-256 is already stored (for this questionnaire) changes nothing;
* history: every file is kept; the one received last (file time) from an organisation is
  current, so a newer file takes over and an older one stays in history;
* atomic per file: a response and its attachments are written in one transaction, so a run
  killed mid-way leaves whole responses only, and running it again completes the rest.

Reading and checking (the slow part) runs in worker processes; writes stay in this process.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Literal

from django.db import IntegrityError, connections, transaction

from tenken.store.models import Response, ResponseAttachment
from tenken.survey.model import Questionnaire
from tenken.survey.prepare import Prepared, Rejected, collect, prepare, with_attachments
from tenken.workers import die_with_parent

Outcome = Literal["current", "history", "duplicate", "rejected"]


@dataclass
class IngestReport:
    """What happened to each file."""

    outcomes: list[tuple[str, Outcome, str]] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for _path, o, _note in self.outcomes if o == outcome)


def _prepared(
    paths: list[Path], q: Questionnaire, workers: int, alias: str
) -> Iterator[Prepared | Rejected]:
    work = partial(prepare, q=q)
    items = with_attachments(paths)
    if workers <= 1 or len(items) < 20:
        yield from map(work, items)
        return
    connections[alias].close()  # forked workers must not inherit an open database connection
    pool_args = {"initializer": die_with_parent, "initargs": (os.getpid(),)}
    with ProcessPoolExecutor(max_workers=workers, **pool_args) as pool:
        yield from pool.map(work, items, chunksize=16)


def store(prepared: Prepared, q: Questionnaire, alias: str) -> Outcome:
    """Write one response and its attachments in one transaction."""
    responses = Response.objects.using(alias)
    try:
        with transaction.atomic(using=alias):
            if responses.filter(questionnaire_id=q.id, sha256=prepared.sha256).exists():
                return "duplicate"
            current = (
                responses.select_for_update()
                .filter(questionnaire_id=q.id, org_name=prepared.org_name, is_current=True)
                .first()
            )
            newest = current is None or prepared.received_at >= current.received_at
            if newest and current is not None:
                current.is_current = False
                current.save(using=alias, update_fields=["is_current"])
            response = responses.create(
                questionnaire_id=q.id,
                questionnaire_version=q.version,
                org_name=prepared.org_name,
                org_kind=prepared.org_kind,
                respondent=prepared.respondent,
                answers=prepared.answers,
                problems=prepared.problems,
                missing_info=prepared.missing_info,
                unanswered=prepared.unanswered,
                attachments_requested=prepared.attachments_requested,
                sha256=prepared.sha256,
                source_name=Path(prepared.path).name,
                received_at=prepared.received_at,
                is_current=newest,
            )
            _save_attachments(response, prepared, alias)
    except IntegrityError:
        # Another ingest stored the same file at the same moment.
        return "duplicate"
    return "current" if newest else "history"


def _save_attachments(response: Response, prepared: Prepared, alias: str) -> None:
    ResponseAttachment.objects.using(alias).bulk_create(
        ResponseAttachment(response=response, name=a.name, size=a.size, sha256=a.sha256)
        for a in prepared.attachments
    )


def ingest(
    paths: Iterable[Path],
    q: Questionnaire,
    alias: str,
    *,
    workers: int = 2,
    progress: Callable[[str, Outcome, str], None] | None = None,
) -> IngestReport:
    """Ingest every answer file under ``paths`` into the database ``alias``."""
    report = IngestReport()
    for item in _prepared(collect(paths), q, workers, alias):
        if isinstance(item, Rejected):
            entry: tuple[str, Outcome, str] = (item.path, "rejected", item.message)
        else:
            entry = (item.path, store(item, q, alias), item.org_name)
        report.outcomes.append(entry)
        if progress is not None:
            progress(*entry)
    return report
