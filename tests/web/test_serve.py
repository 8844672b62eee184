"""`tenken serve` migrates the database and serves the site on waitress."""

from __future__ import annotations

import sqlite3
import urllib.request
from pathlib import Path

from tests.web.server import running_site


def test_serve_migrates_then_serves_pages_and_static_files(tmp_path: Path) -> None:
    """A fresh workspace gets its schema, and the login page and CSS are served with headers."""
    with running_site(tmp_path) as base:
        with urllib.request.urlopen(f"{base}/login/") as response:
            body = response.read().decode()
            assert "ログイン" in body
            assert response.headers["Server"] == "tenken"
            assert "script-src 'self'" in response.headers["Content-Security-Policy"]
        with urllib.request.urlopen(f"{base}/static/tenken/site.css") as response:
            assert response.status == 200
    with sqlite3.connect(tmp_path / "tenken.sqlite3") as db:
        tables = {row[0] for row in db.execute("select name from sqlite_master")}
    assert {"tenken_accounts_membership", "auth_user", "django_session"} <= tables


def test_serve_demo_prepares_one_account_per_role(tmp_path: Path) -> None:
    """`tenken serve --demo` seeds a round and admin/respondent/viewer accounts, kept private."""
    import json

    with running_site(tmp_path, "--demo"):
        pass
    path = tmp_path / "demo-accounts.json"
    accounts = json.loads(path.read_text(encoding="utf-8"))
    assert set(accounts) == {"admin", "respondent", "viewer"}
    assert path.stat().st_mode & 0o077 == 0
    assert "パスワード" in (tmp_path / "serve.log").read_text(encoding="utf-8")
