"""The store's calls into the audit trail (``tenken.store.audit.record``, issue 12).

Every change the store API makes (an answer saved, a file ingested or uploaded, an attachment
added, a round created or changed) calls :func:`audit` inside the change's own transaction.
Until the audit app is present on the branch (it lands with issue 12), the call records
nothing; once it is, these calls are live without any other change.
"""

from __future__ import annotations

from typing import Any


def audit(actor: Any, action: str, obj: Any, details: dict[str, Any], alias: str) -> None:
    try:
        from tenken.store.audit import record  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        return
    record(actor, action, obj=obj, details=details, using=alias)
