"""The audit trail: one append-only, hash-chained table (database triggers refuse UPDATE and
DELETE; see migration 0002). Rows are written only by :func:`tenken.store.audit.record`."""

from __future__ import annotations

import json
from typing import Any

from django.db import models

from tenken import trail


class AuditEntry(models.Model):
    seq = models.BigIntegerField("番号", unique=True)
    at = models.DateTimeField("日時", db_index=True)
    actor = models.CharField("操作者", max_length=150, db_index=True)
    action = models.CharField("操作", max_length=60, db_index=True)
    organisation = models.CharField("組織名", max_length=200, blank=True, db_index=True)
    object_type = models.CharField("対象の種類", max_length=40, blank=True)
    object_id = models.CharField("対象", max_length=64, blank=True)
    details = models.TextField("内容（正規化 JSON）")
    prev_hash = models.CharField("直前のハッシュ", max_length=64, unique=True)
    hash = models.CharField("ハッシュ", max_length=64, unique=True)

    class Meta:
        db_table = "audit_entry"
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]

    def __str__(self) -> str:
        return f"{self.seq} {self.action}"

    @property
    def details_data(self) -> Any:
        return json.loads(self.details)

    def as_chain_entry(self) -> trail.Entry:
        return trail.Entry(
            self.seq, stamp(self.at), self.actor, self.action, self.organisation, self.object_type,
            self.object_id, self.details_data, self.prev_hash, self.hash,
        )  # fmt: skip


def stamp(at: Any) -> str:
    """The hashed form of a time: UTC ISO 8601 with microseconds (round-trips in SQLite and PG)."""
    from datetime import UTC

    return str(at.astimezone(UTC).isoformat(timespec="microseconds"))
