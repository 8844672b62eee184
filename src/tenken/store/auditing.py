"""The store's calls into the audit trail (``tenken.store.audit.record``, issue 12).

Every change the store API makes (an answer saved, a file ingested or uploaded, an attachment
added, a round created or changed) calls :func:`audit` inside the change's own transaction.
"""

from __future__ import annotations

from typing import Any


def audit(actor: Any, action: str, obj: Any, details: dict[str, Any], alias: str) -> None:
    """Record one entry; a response's entry names its organisation, so that organisation's
    監査 sees it on the audit page."""
    from tenken.store.audit import record

    organisation = str(getattr(obj, "org_name", "") or details.get("org", "") or "")
    record(actor, action, obj=obj, details=details, organisation=organisation, using=alias)
