"""The web app's seam to the survey store (``tenken.store.api``: the same API as the CLI).

Every save from the form goes through ``api.save_web`` and every uploaded sheet through the
store's ``store()``, as a new version: the store keeps every version (history), marks the newest
current (what the form shows) and the newest *submitted* one counted (what the dashboard and
reports count). A draft saved after a submission never withdraws it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from django.apps import apps
from django.utils import timezone

from tenken.store import api
from tenken.store.models import Origin, Response
from tenken.survey.document import AnswerDocument
from tenken.survey.engine import Evaluation
from tenken.survey.model import Questionnaire
from tenken.web.site.entries import Entry

STORE_APP = "tenken.store"


@dataclass(frozen=True)
class Stored:
    """An organisation's current version in a round (a draft or a submission)."""

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
    counted: bool


def available() -> bool:
    """True when the survey store app is installed (it is, in the site's settings)."""
    return apps.is_installed(STORE_APP)


def member_of(entry: Entry) -> api.Member:
    org = entry.organisation
    return api.Member(org.name, org.kind, org.prefecture)


def _stored(response: Response) -> Stored:
    return Stored(
        document=AnswerDocument(dict(response.respondent), dict(response.answers)),
        submitted=response.submitted,
        updated_at=response.received_at,
        missing_info=response.missing_info,
        unanswered=response.unanswered,
        problem_count=len(response.problems),
    )


def load(entry: Entry) -> Stored | None:
    """The current version (what the form shows)."""
    current = api.current(entry.survey_round, entry.organisation.name, seido=entry.unit)
    return _stored(current) if current is not None else None


def state_label(entry: Entry) -> str:
    """提出済み / 提出済み（不備あり） / 一時保存 / 未着手, by the store's one rule (of the
    entry's 制度; an entry with several 制度 not yet picked: each 制度's, joined)."""
    if entry.seido is None:
        return "、".join(f"{s} {state_label(entry.picked(s))}" for s in entry.seidos)
    counted = api.counted_one(entry.survey_round, entry.organisation.name, seido=entry.unit)
    current = api.current(entry.survey_round, entry.organisation.name, seido=entry.unit)
    has_draft = current is not None and current.origin == Origin.WEB_DRAFT
    return api.submission_state(counted, has_draft)


def has_submission(entry: Entry) -> bool:
    found = api.counted_one(entry.survey_round, entry.organisation.name, seido=entry.unit)
    return found is not None


def history(entry: Entry) -> list[HistoryRow]:
    return [
        HistoryRow(
            r.received_at,
            r.source_name,
            r.missing_info,
            r.unanswered,
            r.is_current,
            r.is_counted,
        )
        for r in api.history(entry.survey_round, entry.organisation.name, seido=entry.unit)
    ]


def save(
    entry: Entry,
    q: Questionnaire,
    document: AnswerDocument,
    evaluation: Evaluation,
    submit: bool,
    username: str,
    actor: Any = None,
) -> str:
    """Store the form's document as a new version; returns the store's outcome."""
    outcome, _response = api.save_web(
        entry.survey_round,
        member_of(entry),
        q,
        document,
        evaluation,
        submit=submit,
        username=username,
        actor=actor,
        seido=entry.unit,
    )
    return outcome


def attachments(entry: Entry) -> list[StoredAttachment]:
    """Attachments of the organisation's current version."""
    current = api.current(entry.survey_round, entry.organisation.name, seido=entry.unit)
    if current is None:
        return []
    return [StoredAttachment(a.pk, a.name, a.size, a.sha256) for a in current.attachments.all()]


def add_attachment(entry: Entry, name: str, size: int, sha256: str, actor: Any) -> bool:
    """Attach a kept file to the current version; False when there is no answer yet."""
    current = api.current(entry.survey_round, entry.organisation.name, seido=entry.unit)
    if current is None:
        return False
    api.add_attachment(current, name, size, sha256, actor)
    return True


# Hints written for the command line, said the way the site says them.
_SITE_HINT = "この画面からダウンロードした回答シートに記入して、送信してください"


def site_message(rejected: Any, upload_name: str) -> str:
    """Why an upload was refused, naming the file as the user knows it: never a server path,
    never a command-line hint (``tenken …``, ``--option``)."""
    error = rejected.error
    if error is None:
        return f"{upload_name}: ファイルを読めませんでした"
    where = ""
    if error.location is not None:
        parts = [upload_name]
        if error.location.row is not None:
            parts.append(f"{error.location.row}行目")
        if error.location.column:
            parts.append(f"セル {error.location.column}")
        where = " ".join(parts) + ": "
    hint = error.hint or ""
    if "tenken " in hint or "--" in hint:
        hint = _SITE_HINT
    return f"{where}{error.message}" + (f"（{hint}）" if hint else "")


def ingest_upload(
    entry: Entry, q: Questionnaire, folder: Path, name: str, data: bytes, actor: Any = None
) -> str:
    """Ingest an uploaded sheet exactly as the CLI does; returns the outcome or raises ValueError.

    The file is kept under ``folder`` (the workspace) so that the store's SHA-256 and history
    refer to a real file; a sheet of another organisation is refused. The attachments already
    given stay with the new version.
    """
    from tenken.store.ingest import store
    from tenken.survey.prepare import Rejected, prepare

    stamp = timezone.now().strftime("%Y%m%dT%H%M%S%f")
    target = folder / f"round{entry.survey_round_id}" / f"org{entry.organisation_id}" / stamp
    target.mkdir(parents=True, exist_ok=True)
    path = target / Path(name).name
    path.write_bytes(data)
    given = tuple(a.name for a in attachments(entry))
    prepared = prepare((path, []), q, given)
    if isinstance(prepared, Rejected):
        raise ValueError(site_message(prepared, Path(name).name))
    from tenken.store.ingest import admit

    prepared, wrong = admit(prepared, entry.survey_round, entry.unit)
    if wrong:
        raise ValueError(f"{Path(name).name}: {wrong}")
    if prepared.org_name != entry.organisation.name:
        raise ValueError(
            f"この回答シートは {prepared.org_name} のものです（{entry.organisation.name} の"
            "シートをダウンロードして回答してください）"
        )
    # The upload's time is when it was received (the file's own time is the server's write).
    prepared = replace(prepared, received_at=timezone.now())
    return str(
        store(prepared, q, "default", entry.survey_round, keep_attachments=True, actor=actor)
    )
