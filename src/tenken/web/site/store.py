"""The web app's seam to the survey store (``tenken.store``: the same models as ingest).

Every save from the form is written through the store's own ``store()`` function, the one
``tenken survey ingest`` uses, as a new response: the store keeps every version (history) and
marks the newest current. A web save is a JSON record of the document plus who saved it and
when, so its SHA-256 is unique per save. Its ``source_name`` tells drafts from submissions:
a current response saved as a draft is 一時保存; anything else (a submission from the form,
an uploaded sheet, a file ingested by the CLI) counts as 提出済み.

Responses are keyed by questionnaire id and 組織名 in the store; a round reads the responses
of its questionnaire for the organisations of its roster.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.utils import timezone

from tenken.survey.document import AnswerDocument
from tenken.survey.engine import Evaluation
from tenken.survey.model import Questionnaire
from tenken.web.accounts.models import RosterEntry

DRAFT_PREFIX = "Web一時保存"
SUBMIT_PREFIX = "Web提出"
STORE_APP = "tenken.store"


@dataclass(frozen=True)
class Stored:
    """An organisation's current answer in a round."""

    document: AnswerDocument
    submitted: bool
    updated_at: dt.datetime
    missing_info: bool = False
    unanswered: bool = False
    problem_count: int = 0


@dataclass(frozen=True)
class StoredAttachment:
    id: int
    name: str  # "<requested attachment>: <file name>"
    size: int
    sha256: str


@dataclass(frozen=True)
class HistoryRow:
    at: dt.datetime
    action: str
    missing_info: bool
    unanswered: bool
    current: bool


def available() -> bool:
    """True when the survey store app is installed (it is, in the site's settings)."""
    return apps.is_installed(STORE_APP)


def _responses(entry: RosterEntry) -> Any:
    from tenken.store.models import Response

    return Response.objects.filter(
        questionnaire_id=entry.survey_round.questionnaire_id, org_name=entry.organisation.name
    )


def _stored(response: Any) -> Stored:
    return Stored(
        document=AnswerDocument(dict(response.respondent), dict(response.answers)),
        submitted=not response.source_name.startswith(DRAFT_PREFIX),
        updated_at=response.received_at,
        missing_info=response.missing_info,
        unanswered=response.unanswered,
        problem_count=len(response.problems),
    )


def load(entry: RosterEntry) -> Stored | None:
    if not available():
        return None
    current = _responses(entry).filter(is_current=True).first()
    return _stored(current) if current is not None else None


def load_round(entries: list[RosterEntry]) -> dict[int, Stored]:
    """Current answers of the roster's organisations, keyed by organisation id."""
    if not available() or not entries:
        return {}
    from tenken.store.models import Response

    by_name = {e.organisation.name: e.organisation_id for e in entries}
    found = Response.objects.filter(
        questionnaire_id=entries[0].survey_round.questionnaire_id,
        org_name__in=list(by_name),
        is_current=True,
    )
    return {by_name[r.org_name]: _stored(r) for r in found}


def history(entry: RosterEntry) -> list[HistoryRow]:
    if not available():
        return []
    rows = _responses(entry).order_by("-received_at", "-pk")
    return [
        HistoryRow(r.received_at, r.source_name, r.missing_info, r.unanswered, r.is_current)
        for r in rows
    ]


def save(
    entry: RosterEntry,
    q: Questionnaire,
    document: AnswerDocument,
    evaluation: Evaluation,
    submit: bool,
    username: str,
) -> str:
    """Store the form's document as a new current response; returns the store's outcome."""
    from tenken.store.ingest import store
    from tenken.survey.prepare import Prepared

    now = timezone.now()
    action = SUBMIT_PREFIX if submit else DRAFT_PREFIX
    record = {**document.to_json(), "saved_at": now.isoformat(), "by": username, "action": action}
    data = json.dumps(record, ensure_ascii=False, sort_keys=True).encode("utf-8")
    org = entry.organisation
    prepared = Prepared.of(
        document,
        evaluation,
        path=f"{action}（{username}）",
        sha256=hashlib.sha256(data).hexdigest(),
        org_name=org.name,
        org_kind=org.kind,
        received_at=now,
    )
    outcome = str(store(prepared, q, "default"))
    _carry_attachments(entry, prepared.sha256)
    return outcome


def _carry_attachments(entry: RosterEntry, sha256: str) -> None:
    """Give the new version the attachments of the version it replaces (none are lost)."""
    from tenken.store.models import ResponseAttachment

    versions = list(_responses(entry).order_by("-received_at", "-pk")[:2])
    if len(versions) < 2 or versions[0].sha256 != sha256:
        return
    new, previous = versions
    ResponseAttachment.objects.bulk_create(
        ResponseAttachment(response=new, name=a.name, size=a.size, sha256=a.sha256)
        for a in previous.attachments.all()
    )


def attachments(entry: RosterEntry) -> list[StoredAttachment]:
    """Attachments of the organisation's current response."""
    if not available():
        return []
    current = _responses(entry).filter(is_current=True).first()
    if current is None:
        return []
    return [StoredAttachment(a.pk, a.name, a.size, a.sha256) for a in current.attachments.all()]


def add_attachment(entry: RosterEntry, name: str, size: int, sha256: str) -> bool:
    """Attach a kept file to the current response; False when there is no answer yet."""
    from tenken.store.models import ResponseAttachment

    current = _responses(entry).filter(is_current=True).first()
    if current is None:
        return False
    ResponseAttachment.objects.create(response=current, name=name, size=size, sha256=sha256)
    return True


def ingest_upload(
    entry: RosterEntry, q: Questionnaire, folder: Path, name: str, data: bytes
) -> str:
    """Ingest an uploaded sheet exactly as the CLI does; returns the outcome or raises ValueError.

    The file is kept under ``folder`` (the workspace) so that the store's SHA-256 and history
    refer to a real file; a sheet of another organisation is refused.
    """
    from tenken.store.ingest import store
    from tenken.survey.prepare import Rejected, prepare

    stamp = timezone.now().strftime("%Y%m%dT%H%M%S%f")
    target = folder / f"round{entry.survey_round_id}" / f"org{entry.organisation_id}" / stamp
    target.mkdir(parents=True, exist_ok=True)
    path = target / Path(name).name
    path.write_bytes(data)
    prepared = prepare(path, q)
    if isinstance(prepared, Rejected):
        raise ValueError(prepared.message)
    if prepared.org_name != entry.organisation.name:
        raise ValueError(
            f"この回答シートは {prepared.org_name} のものです（{entry.organisation.name} の"
            "シートをダウンロードして回答してください）"
        )
    return str(store(prepared, q, "default"))
