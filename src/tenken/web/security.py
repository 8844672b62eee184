"""Security headers Django 5.2 does not set by itself (CSP), and the session idle timeout."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class ContentSecurityPolicyMiddleware:
    """Add ``settings.CONTENT_SECURITY_POLICY`` to every response that has none yet.

    The policy allows scripts and styles from the site only: no inline script, no CDN.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy: str = settings.CONTENT_SECURITY_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response


class SessionIdleRefreshMiddleware:
    """Log out after SESSION_COOKIE_AGE without a request, renewing the expiry once a minute.

    The session is marked modified (so Django saves it with a new expiry and cookie) only when
    the last renewal is older than SESSION_REFRESH_SECONDS: an idle timeout without a database
    write on every request.
    """

    KEY = "_tenken_renewed"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.every: int = settings.SESSION_REFRESH_SECONDS

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.session_key is not None:
            now = int(time.time())
            if now - int(session.get(self.KEY, 0)) >= self.every:
                session[self.KEY] = now
        return self.get_response(request)
