"""Security headers Django 5.2 does not set by itself (CSP, no-store), the session idle timeout,
and login throttling by address on top of django-axes' per-account lockout."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse


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


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every page the site renders.

    Every dynamic page shows answers or personal data (forms, dashboard, rosters, reports), so
    none may be kept by a browser or proxy cache. Static files are served by whitenoise before
    this middleware and keep their own caching headers.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers["Cache-Control"] = "no-store"
        return response


class AddressThrottleMiddleware:
    """Refuse login attempts from an address with too many recent failures, whatever username.

    django-axes locks one username at one address; this adds the address alone, counted over
    axes' own records of the cool-off window (TENKEN_LOGIN_IP_FAILURE_LIMIT).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.path == reverse("login") and self._blocked(request):
            from django.shortcuts import render

            return render(request, "tenken/locked_out.html", status=429)
        return self.get_response(request)

    def _blocked(self, request: HttpRequest) -> bool:
        from axes.helpers import get_client_ip_address
        from axes.models import AccessAttempt
        from django.db.models import Sum
        from django.utils import timezone

        address = get_client_ip_address(request)
        since = timezone.now() - settings.AXES_COOLOFF_TIME
        recent = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since)
        total = recent.aggregate(n=Sum("failures_since_start"))["n"] or 0
        return int(total) >= int(settings.TENKEN_LOGIN_IP_FAILURE_LIMIT)
