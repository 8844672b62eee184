"""Key rotation over the store: a new key first, every token re-encrypted, the old key gone."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from tenken import vault
from tenken.store.audit import record
from tenken.store.casework.models import Case, EvidenceState


def rotate_all(actor: Any) -> int:
    """Re-encrypt every stored number under a new key; returns how many tokens changed.

    The key file gains the new key first (old tokens stay readable meanwhile); after the
    database commit the old keys are dropped from the file.
    """
    from tenken.store.casework import services

    path = vault.default_path()
    fresh = vault.rotate_file(path)
    services._vault.cache_clear()
    count = 0
    with transaction.atomic():
        for case in Case.objects.only("claimed_enc", "proposed_enc", "number_enc").iterator():
            case.claimed_enc = fresh.rotate(case.claimed_enc)
            case.proposed_enc = fresh.rotate(case.proposed_enc)
            case.number_enc = fresh.rotate(case.number_enc)
            case.save(update_fields=["claimed_enc", "proposed_enc", "number_enc"])
            count += 1
        for state in EvidenceState.objects.only("number_enc").iterator():
            state.number_enc = fresh.rotate(state.number_enc)
            state.save(update_fields=["number_enc"])
            count += 1
        record(actor, "keys.rotate", None, {"records": count})
    vault.rotate_file(path, drop_old=True)
    services._vault.cache_clear()
    return count
