"""Login: throttling after repeated failures, and sessions that expire when idle."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.test import Client
from django.utils import timezone

from tests.web.conftest import PASSWORD, Site


def _login(client: Client, username: str, password: str) -> int:
    response = client.post("/login/", {"username": username, "password": password})
    return response.status_code


def test_correct_password_logs_in(site: Site) -> None:
    """The login form accepts the right password and redirects."""
    assert _login(Client(), "viewer", PASSWORD) == 302


def test_repeated_failures_lock_the_account_even_for_the_right_password(site: Site) -> None:
    """After TENKEN_LOGIN_FAILURE_LIMIT failures the right password is refused too (429)."""
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "viewer", "wrong-password") == 200
    assert _login(client, "viewer", "wrong-password") == 429
    assert _login(client, "viewer", PASSWORD) == 429


def test_sessions_expire_after_idle_time(site: Site) -> None:
    """An idle session expires after TENKEN_SESSION_MINUTES; activity renews it (once a minute)."""
    from django.contrib.sessions.models import Session

    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    client = site.client_for(site.viewer)
    assert client.get("/dashboard/").status_code == 200
    key = client.session.session_key
    soon = timezone.now() + timedelta(minutes=5)

    Session.objects.filter(pk=key).update(expire_date=soon)
    client.get("/dashboard/")  # renewed less than a minute ago: no write
    assert Session.objects.get(pk=key).expire_date == soon

    session = client.session
    session["_tenken_renewed"] = 0  # the last renewal long ago
    session.save()
    Session.objects.filter(pk=key).update(expire_date=soon)
    client.get("/dashboard/")
    age = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert Session.objects.get(pk=key).expire_date > timezone.now() + age - timedelta(seconds=30)

    Session.objects.filter(pk=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    assert client.get("/dashboard/").status_code == 302  # expired: back to the login page


def test_logout_needs_a_post(site: Site) -> None:
    """Logging out is a CSRF-protected POST; a GET does not log out."""
    client = site.client_for(site.viewer)
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302
    assert client.get("/dashboard/").status_code == 302
