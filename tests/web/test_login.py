"""Login: throttling after repeated failures, and sessions that expire when idle."""

from __future__ import annotations

from django.conf import settings
from django.test import Client

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


def test_sessions_expire_after_idle_time() -> None:
    """Sessions end at browser close and after TENKEN_SESSION_MINUTES without a request."""
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_SAVE_EVERY_REQUEST
    assert 0 < settings.SESSION_COOKIE_AGE <= 8 * 3600


def test_logout_needs_a_post(site: Site) -> None:
    """Logging out is a CSRF-protected POST; a GET does not log out."""
    client = site.client_for(site.viewer)
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302
    assert client.get("/dashboard/").status_code == 302
