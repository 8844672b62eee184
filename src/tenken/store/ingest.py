"""``tenken survey ingest``: store answer files, one transaction per file.

* every response belongs to one round; a file whose SHA-256 is already stored in that round
  changes nothing (idempotent);
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
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any, Literal

from django.db import IntegrityError, connections, transaction

from tenken.errors import InputError
from tenken.store.auditing import audit
from tenken.store.models import SUBMITTED_ORIGINS, Origin, Response, ResponseAttachment, Round
from tenken.survey.model import Questionnaire
from tenken.survey.prepare import Prepared, Rejected, collect, prepare, with_attachments
from tenken.survey.seido import SEIDO_FIELD, key_of, other_seido
from tenken.workers import die_with_parent

Outcome = Literal["current", "history", "duplicate", "rejected"]


@dataclass
class IngestReport:
    """What happened to each file."""

    outcomes: list[tuple[str, Outcome, str]] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for _path, o, _note in self.outcomes if o == outcome)


def check_open(survey_round: Round) -> None:
    if not survey_round.is_open:
        raise InputError(
            f"調査回 {survey_round.code} は締切済みのため、回答を受け付けません",
            hint="受付を再開するには tenken survey round open で開き直してください",
        )


def check_questionnaire(survey_round: Round, q: Questionnaire) -> None:
    from tenken.store.api import check_questionnaire as check

    check(survey_round, q)


def admit(
    prepared: Prepared, survey_round: Round, wanted_seido: str | None = None
) -> tuple[Prepared, str]:
    """(the answer with its 制度 key, why it is refused or "") for ``survey_round``.

    The one admission rule of the CLI's ingest and the site's upload: the sheet's round, then
    its 制度 (:func:`tenken.survey.seido.key_of`), then, when only one 制度 is taken
    (``--seido``, or the site's form of one 制度), that it is that 制度's answer.
    """
    wrong = other_round(prepared, survey_round)
    if wrong:
        return prepared, wrong
    written = prepared.respondent.get(SEIDO_FIELD, "")
    key, wrong = key_of(written, prepared.issued_seido, survey_round.seidos)
    return replace(prepared, seido=key), wrong or other_seido(key, wanted_seido)


def other_round(prepared: Prepared, survey_round: Round) -> str:
    """Why a sheet generated for another round is refused ("" when it may go in)."""
    issued = prepared.issued_round
    if not issued or issued == survey_round.code:
        return ""
    return (
        f"この回答シートは調査回 {issued} 用です（取り込み先は調査回 {survey_round.code}）。"
        f"調査回 {survey_round.code} の回答シートに回答を写して送ってください"
    )


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


def answer_fields(prepared: Prepared) -> dict[str, Any]:
    """The fields every stored answer takes from a prepared document (a Response, and a
    delegated municipality's answer): who answered, what, its problems and its file."""
    return {
        "respondent": prepared.respondent,
        "answers": prepared.answers,
        "problems": prepared.problems,
        "missing_info": prepared.missing_info,
        "unanswered": prepared.unanswered,
        "sha256": prepared.sha256,
        "source_name": Path(prepared.path).name,
        "received_at": prepared.received_at,
    }


def store(
    prepared: Prepared,
    q: Questionnaire,
    alias: str,
    survey_round: Round,
    *,
    origin: Origin = Origin.FILE,
    keep_attachments: bool = False,
    actor: Any = "cli:ingest",
    action: str = "survey.upload",
) -> Outcome:
    """Write one response of ``survey_round`` and its attachments in one transaction.

    The one writer of ``is_current`` (latest version) and ``is_counted`` (latest submitted
    version): the rule of what counts is kept here and read by ``api.counted``.
    """
    responses = Response.objects.using(alias).filter(round=survey_round)
    submitted = origin in SUBMITTED_ORIGINS
    try:
        with transaction.atomic(using=alias):
            if responses.filter(sha256=prepared.sha256).exists():
                return "duplicate"
            mine = responses.select_for_update().filter(
                org_name=prepared.org_name, seido=prepared.seido
            )
            current = mine.filter(is_current=True).first()
            counted = mine.filter(is_counted=True).first()
            newest = current is None or prepared.received_at >= current.received_at
            counts = submitted and (counted is None or prepared.received_at >= counted.received_at)
            if newest and current is not None:
                mine.filter(pk=current.pk).update(is_current=False)
            if counts and counted is not None:
                mine.filter(pk=counted.pk).update(is_counted=False)
            response = Response.objects.using(alias).create(
                round=survey_round,
                questionnaire_id=q.id,
                questionnaire_version=q.version,
                org_name=prepared.org_name,
                org_kind=prepared.org_kind,
                seido=prepared.seido,
                origin=origin,
                **answer_fields(prepared),
                attachments_requested=prepared.attachments_requested,
                is_current=newest,
                is_counted=counts,
            )
            _save_attachments(response, prepared, alias)
            if keep_attachments and current is not None:
                _carry_attachments(response, current, alias)
            audit(actor, action, response, _details(response), alias)
    except IntegrityError:
        # Another ingest stored the same file at the same moment.
        return "duplicate"
    return "current" if newest else "history"


def _details(response: Response) -> dict[str, Any]:
    return {
        "round": response.round.code,
        "org": response.org_name,
        **({"seido": response.seido} if response.seido else {}),
        "origin": response.origin,
        "file": response.source_name,
        "counted": response.is_counted,
        "problems": len(response.problems),
    }


def _save_attachments(response: Response, prepared: Prepared, alias: str) -> None:
    ResponseAttachment.objects.using(alias).bulk_create(
        ResponseAttachment(response=response, name=a.name, size=a.size, sha256=a.sha256)
        for a in prepared.attachments
    )


def _carry_attachments(response: Response, previous: Response, alias: str) -> None:
    """Give the new version the attachments of the one it replaces (none are lost)."""
    attachments = ResponseAttachment.objects.using(alias)
    given = set(attachments.filter(response=response).values_list("name", flat=True))
    attachments.bulk_create(
        ResponseAttachment(response=response, name=a.name, size=a.size, sha256=a.sha256)
        for a in attachments.filter(response=previous)
        if a.name not in given
    )


def ingest(
    paths: Iterable[Path],
    survey_round: Round,
    q: Questionnaire,
    alias: str,
    *,
    workers: int = 2,
    progress: Callable[[str, Outcome, str], None] | None = None,
    seido: str | None = None,
) -> IngestReport:
    """Ingest every answer file under ``paths`` into ``survey_round`` of the database ``alias``
    (``seido`` given: only answers of that 制度 are taken, others are refused).

    A closed round or another questionnaire than the round's is refused before any file is read.
    """
    from tenken.store.api import check_seido

    check_open(survey_round)
    check_questionnaire(survey_round, q)
    check_seido(survey_round, seido)
    report = IngestReport()
    for item in _prepared(collect(paths), q, workers, alias):
        wrong = ""
        if not isinstance(item, Rejected):
            item, wrong = admit(item, survey_round, seido)
        if isinstance(item, Rejected):
            entry: tuple[str, Outcome, str] = (item.path, "rejected", item.message)
        elif wrong:
            entry = (item.path, "rejected", f"{item.path}: {wrong}")
        else:
            entry = (item.path, store(item, q, alias, survey_round), item.org_name)
        report.outcomes.append(entry)
        if progress is not None:
            progress(*entry)
    return report
