"""Site settings and security: deploy check, headers, CSRF, static files, strict env parsing."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from tenken.web import env

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "src" / "tenken" / "web"


def _manage(tmp_path: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("TENKEN_")}
    environment.update({"TENKEN_WORKSPACE": str(tmp_path), **extra})
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        capture_output=True, text=True, env=environment, check=False,
    )  # fmt: skip


def test_deploy_check_is_clean_with_production_defaults(tmp_path: Path) -> None:
    """`manage.py check --deploy` reports nothing with the default (production) settings."""
    result = _manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_plain_http_mode_is_reported_by_the_deploy_check(tmp_path: Path) -> None:
    """TENKEN_HTTPS=false really turns the TLS protections off (the check notices)."""
    result = _manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING", TENKEN_HTTPS="false")
    assert result.returncode != 0
    assert "SESSION_COOKIE_SECURE" in result.stderr + result.stdout


def test_secret_key_is_generated_once_and_kept_private(tmp_path: Path) -> None:
    """Without TENKEN_SECRET_KEY a random key is stored in the workspace, readable by owner only."""
    first = env.secret_key(tmp_path)
    assert env.secret_key(tmp_path) == first and len(first) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_a_bad_boolean_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    """An unreadable value stops the site with the variable's name and the allowed values."""
    monkeypatch.setenv("TENKEN_HTTPS", "maybe")
    with pytest.raises(ImproperlyConfigured, match=r"TENKEN_HTTPS.*true / false"):
        env.boolean("TENKEN_HTTPS")


def test_database_defaults_to_sqlite_in_the_workspace(monkeypatch: pytest.MonkeyPatch) -> None:
    """With no TENKEN_DATABASE_URL the database is a SQLite file in the workspace."""
    monkeypatch.delenv("TENKEN_DATABASE_URL", raising=False)
    assert env.database_url(Path("/w")) == "sqlite:////w/tenken.sqlite3"
    monkeypatch.setenv("TENKEN_DATABASE_URL", "postgresql://u:p@127.0.0.1:5432/tenken")
    assert env.database_url(Path("/w")).startswith("postgresql://")


def test_security_headers_are_set(client: Client) -> None:
    """Every page carries CSP (no inline script), X-Frame-Options and Referrer-Policy."""
    response = client.get("/login/")
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_pages_are_japanese(client: Client) -> None:
    """The UI is Japanese: lang attribute and the login wording."""
    body = client.get("/login/").content.decode()
    assert '<html lang="ja">' in body and "ログイン" in body


def test_bundled_static_files_are_served_by_the_app(client: Client) -> None:
    """CSS and JavaScript come from the site itself (whitenoise), no CDN."""
    response = client.get("/static/tenken/site.css")
    assert response.status_code == 200
    assert b"font-family" in b"".join(response.streaming_content)  # type: ignore[attr-defined]


def _templates() -> list[Path]:
    return sorted(TEMPLATES.rglob("templates/**/*.html"))


def test_templates_have_no_inline_script_style_or_external_url() -> None:
    """Strict CSP holds: no inline <script>, no on* handlers, no style attributes, no http URLs."""
    assert _templates()
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), path
        assert not re.search(r"\son[a-z]+\s*=", text), path
        assert not re.search(r"\sstyle\s*=", text), path
        assert not re.search(r"https?://", text), path


def test_every_post_form_carries_a_csrf_token() -> None:
    """Each <form method="post"> in the templates includes {% csrf_token %}."""
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        for form in re.findall(r"<form[^>]*method=\"post\".*?</form>", text, flags=re.S):
            assert "{% csrf_token %}" in form, path


@pytest.mark.django_db
def test_a_post_without_csrf_token_is_refused() -> None:
    """CSRF protection is on: a login POST without the token is rejected with 403."""
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
