"""Logins in the audit trail: every success and every failure (Django's auth signals)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed


def _address(request: Any) -> str:
    return str(getattr(request, "META", {}).get("REMOTE_ADDR", "")) if request else ""


def _logged_in(sender: Any, request: Any = None, user: Any = None, **_: Any) -> None:
    from tenken.store.audit import record

    record(user, "login.success", user, {"address": _address(request)})


def _failed(sender: Any, credentials: Any = None, request: Any = None, **_: Any) -> None:
    from tenken.store.audit import record

    username = str((credentials or {}).get("username", ""))[:150]
    record(f"anonymous:{username}", "login.failure", ("user", username), {
        "address": _address(request)})  # fmt: skip


def _logged_out(sender: Any, request: Any = None, user: Any = None, **_: Any) -> None:
    from tenken.store.audit import record

    if user is not None:
        record(user, "logout", user, {})


def connect() -> None:
    user_logged_in.connect(_logged_in, dispatch_uid="tenken_audit_login")
    user_login_failed.connect(_failed, dispatch_uid="tenken_audit_login_failed")
    user_logged_out.connect(_logged_out, dispatch_uid="tenken_audit_logout")
