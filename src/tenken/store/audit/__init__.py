"""The audit trail (Django app ``audit``): who did what, append-only and hash-chained.

API for every part of the product (survey saves, uploads, round changes, reviews, logins)::

    from tenken.store.audit import record
    record(actor, action, obj=None, details=None, organisation="", using=None)

* ``actor``: a user, or a string such as ``"cli:tanaka"``;
* ``action``: a dotted name, e.g. ``case.decide``, ``survey.answer_save``, ``round.update``;
* ``obj``: a model instance, or a ``(type, id)`` pair, or None;
* ``details``: a JSON-able dict; never a full My Number (12-digit runs are masked anyway);
* ``organisation``: the 組織名 the entry concerns, if any (an organisation's 監査 sees these).

Call it inside the transaction of the change it records, so that both commit or neither does.
The hash chain is in :mod:`tenken.trail` (pure); verification: :func:`verify`.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tenken.store.audit.models import AuditEntry
    from tenken.trail import Verified

_RETRIES = 8


def actor_name(actor: Any) -> str:
    if actor is None:
        return "system"
    if isinstance(actor, str):
        return actor
    getter = getattr(actor, "get_username", None)
    return str(getter()) if getter else str(actor)


def _object(obj: Any) -> tuple[str, str]:
    if obj is None:
        return "", ""
    if isinstance(obj, tuple):
        return str(obj[0]), str(obj[1])
    return str(obj._meta.model_name), str(obj.pk)


def record(
    actor: Any, action: str, obj: Any = None, details: dict[str, Any] | None = None,
    organisation: str = "", *, using: str | None = None,
) -> AuditEntry:  # fmt: skip
    """Append one entry after the current head (retried when another writer got there first)."""
    from django.db import DEFAULT_DB_ALIAS, IntegrityError, OperationalError, transaction
    from django.utils import timezone

    from tenken import trail
    from tenken.store.audit.models import AuditEntry, stamp

    alias = using or DEFAULT_DB_ALIAS
    object_type, object_id = _object(obj)
    fields: dict[str, Any] = {
        "actor": trail.scrub(actor_name(actor))[:150], "action": action,
        "organisation": organisation[:200],
        "object_type": object_type[:40], "object_id": trail.scrub(object_id)[:64],
        "details": trail.scrub(details or {}),
    }  # fmt: skip
    for attempt in range(_RETRIES):
        try:
            with transaction.atomic(using=alias):
                _lock(alias)
                head = AuditEntry.objects.using(alias).order_by("-seq").first()
                prev = head.hash if head else trail.GENESIS
                at = timezone.now()
                digest = trail.entry_hash(prev, {**fields, "at": stamp(at)})
                return AuditEntry.objects.using(alias).create(
                    seq=(head.seq + 1) if head else 1, at=at, prev_hash=prev, hash=digest,
                    **{**fields, "details": trail.canonical(fields["details"])},
                )  # fmt: skip
        except (IntegrityError, OperationalError):
            if attempt == _RETRIES - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _lock(alias: str) -> None:
    """Serialise writers on PostgreSQL (SQLite serialises writes itself)."""
    from django.db import connections

    connection = connections[alias]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(7263001)")


def verify(*, using: str | None = None, expect: str | None = None) -> Verified:
    """Check the whole chain (and that ``expect``, a head recorded earlier, is in it)."""
    from tenken import trail
    from tenken.store.audit.models import AuditEntry

    rows = AuditEntry.objects.using(using or "default").order_by("seq").iterator(chunk_size=5000)
    return trail.verify((row.as_chain_entry() for row in rows), expect=expect)


def head(*, using: str | None = None) -> tuple[int, str]:
    """The count of entries and the hash of the last (GENESIS for an empty trail)."""
    from tenken import trail
    from tenken.store.audit.models import AuditEntry

    last = AuditEntry.objects.using(using or "default").order_by("-seq").first()
    return (last.seq, last.hash) if last else (0, trail.GENESIS)


EXPORT_HEADERS = ("番号", "日時", "操作者", "操作", "組織名", "対象の種類", "対象", "内容",
                  "直前のハッシュ", "ハッシュ")  # fmt: skip


def rows_between(start: dt.date | None, end: dt.date | None, *, using: str | None = None
                 ) -> Iterator[AuditEntry]:  # fmt: skip
    """Entries from ``start`` to ``end`` inclusive (dates in the site's time zone)."""
    from django.utils import timezone

    from tenken.store.audit.models import AuditEntry

    query = AuditEntry.objects.using(using or "default").order_by("seq")
    zone = timezone.get_default_timezone()
    if start:
        query = query.filter(at__gte=dt.datetime.combine(start, dt.time(), zone))
    if end:
        query = query.filter(
            at__lt=dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), zone)
        )
    return query.iterator(chunk_size=5000)


def export_csv(path: Path, start: dt.date | None, end: dt.date | None, *,
               using: str | None = None) -> int:  # fmt: skip
    """Write the entries of the period to ``path`` (UTF-8 with BOM for Excel); their count."""
    from django.utils import timezone

    from tenken.fileio import escape_formula

    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(EXPORT_HEADERS)
        for e in rows_between(start, end, using=using):
            local = timezone.localtime(e.at).isoformat(timespec="seconds")
            values = [e.seq, local, e.actor, e.action, e.organisation, e.object_type, e.object_id,
                      json.dumps(e.details_data, ensure_ascii=False), e.prev_hash, e.hash]  # fmt: skip
            writer.writerow([escape_formula(v) if isinstance(v, str) else v for v in values])
            count += 1
    return count
