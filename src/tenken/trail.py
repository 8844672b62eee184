"""The audit trail's hash chain as pure functions (no Django): hashing, scrubbing and verifying.

Each entry's hash is SHA-256 over the previous entry's hash and the entry's canonical JSON
(keys sorted, no spaces, UTF-8), so changing, removing, reordering or inserting any entry breaks
the chain from that entry on. The sequence number orders entries but is not hashed: an entry
moved to another place is then recognised as moved (its predecessor's hash is elsewhere in the
chain), not merely as edited. A chain proves nothing about its own end: record the head hash
elsewhere (``tenken audit head``) and check it later with ``verify(..., expect=HEAD)``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tenken.errors import redact

GENESIS = "0" * 64
"""The ``prev_hash`` of the first entry."""

HASHED_FIELDS = ("at", "actor", "action", "organisation", "object_type", "object_id", "details")


def canonical(data: Any) -> str:
    """Canonical JSON: sorted keys, compact separators, non-ASCII kept (UTF-8 when hashed)."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def entry_hash(prev_hash: str, fields: Mapping[str, Any]) -> str:
    """The hash of an entry with ``fields`` (see :data:`HASHED_FIELDS`) after ``prev_hash``."""
    body = canonical({name: fields[name] for name in HASHED_FIELDS})
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def scrub(value: Any) -> Any:
    """``value`` with every 12-digit run in its strings masked, by :func:`tenken.errors.redact`.

    The trail must never hold a full My Number, whatever a caller passes in details. The text
    is otherwise kept as given (not width-folded), so the trail says what was said.
    """
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, Mapping):
        return {str(k): scrub(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [scrub(v) for v in value]
    return value


@dataclass(frozen=True)
class Entry:
    """An entry as stored: its place, its hashed fields and the two hashes."""

    seq: int
    at: str
    actor: str
    action: str
    organisation: str
    object_type: str
    object_id: str
    details: Any
    prev_hash: str
    hash: str

    def fields(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in HASHED_FIELDS}


KIND_LABELS = {
    "edited": "改ざん（内容が変更されています）",
    "deleted": "削除（この前のエントリが消えています）",
    "reordered": "順序の入れ替え",
    "inserted": "挿入（連鎖にないエントリです）",
    "head_missing": "記録した先頭ハッシュが連鎖にありません（末尾の削除または改ざん）",
}


@dataclass(frozen=True)
class Problem:
    """The first entry where the chain breaks, and how."""

    seq: int
    kind: str

    def __str__(self) -> str:
        return f"エントリ {self.seq}: {KIND_LABELS[self.kind]}"


@dataclass(frozen=True)
class Verified:
    count: int
    head: str
    problem: Problem | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def _broken_link(entries: Sequence[Entry], i: int, index: Mapping[str, int]) -> Problem:
    """Classify the entry at ``i`` whose ``prev_hash`` is not its predecessor's hash."""
    entry = entries[i]
    target = index.get(entry.prev_hash)
    if target is not None and target > i:
        return Problem(entry.seq, "reordered")  # it points at an entry placed after it
    if target is not None and target < i - 1:
        return Problem(entries[target + 1].seq, "inserted")  # entries in between are not linked
    before = entries[i - 1].hash if i else GENESIS
    after = entries[i + 1] if i + 1 < len(entries) else None
    if after is not None and after.prev_hash == before:
        return Problem(entry.seq, "inserted")  # the next entry links straight over this one
    return Problem(entry.seq, "deleted")


def verify(entries: Iterable[Entry], expect: str | None = None) -> Verified:
    """Walk the chain in ``seq`` order; name the first entry that was edited, deleted,
    reordered or inserted. With ``expect`` (a head recorded earlier), that hash must be in the
    chain too (entries after it are later appends)."""
    ordered = sorted(entries, key=lambda e: e.seq)
    index = {e.hash: i for i, e in enumerate(ordered)}
    prev = GENESIS
    for i, entry in enumerate(ordered):
        if entry_hash(entry.prev_hash, entry.fields()) != entry.hash:
            after = ordered[i + 1] if i + 1 < len(ordered) else None
            skipped = after is not None and after.prev_hash == prev  # the chain goes round it
            kind = "inserted" if skipped else "edited"
            return Verified(len(ordered), prev, Problem(entry.seq, kind))
        if entry.prev_hash != prev:
            return Verified(len(ordered), prev, _broken_link(ordered, i, index))
        prev = entry.hash
    if expect and expect not in index and not (expect == GENESIS and not ordered):
        last = ordered[-1].seq if ordered else 0
        return Verified(len(ordered), prev, Problem(last, "head_missing"))
    return Verified(len(ordered), prev)
