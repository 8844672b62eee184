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
    """`tenken serve --demo` seeds a round and one account per role (a municipality's and a
    prefecture's respondent), kept private."""
    import json

    with running_site(tmp_path, "--demo"):
        pass
    path = tmp_path / "demo-accounts.json"
    accounts = json.loads(path.read_text(encoding="utf-8"))
    assert set(accounts) == {"admin", "respondent", "prefecture", "viewer"}
    assert path.stat().st_mode & 0o077 == 0
    assert "パスワード" in (tmp_path / "serve.log").read_text(encoding="utf-8")


def test_the_demo_site_is_prepared_with_sample_answers_ingested(tmp_path: Path) -> None:
    """`python -m tenken.web.demo_site DIR` seeds accounts and ingests the roster's answers."""
    import json
    import shutil
    import subprocess
    import sys

    from tests.web.server import site_env

    answers = tmp_path / "answers"
    answers.mkdir()
    examples = Path(__file__).resolve().parents[2] / "src" / "tenken" / "survey" / "examples"
    shutil.copy(examples / "prefecture-complete.json", answers / "0001.json")  # 13東京都
    shutil.copy(examples / "municipality-complete.json", answers / "0002.json")  # skipped
    command = [sys.executable, "-m", "tenken.web.demo_site", str(answers)]
    result = subprocess.run(
        command, env=site_env(tmp_path / "site"), capture_output=True, text=True, check=True
    )
    data = json.loads(result.stdout.strip().splitlines()[-1])
    assert data["ingested"] == 1
    assert set(data["accounts"]) == {"admin", "respondent", "prefecture", "viewer"}
    with sqlite3.connect(tmp_path / "site" / "tenken.sqlite3") as db:
        names = [row[0] for row in db.execute("select org_name from store_response")]
    assert names == ["13東京都"]


def test_add_user_creates_an_administrator_with_a_validated_password(tmp_path: Path) -> None:
    """`tenken add-user NAME --role admin` prompts twice, validates, and grants the role."""
    import subprocess
    import sys

    from tests.web.server import site_env

    tenken = str(Path(sys.executable).parent / "tenken")
    environment = site_env(tmp_path)

    def add(name: str, role: str, password: str) -> subprocess.CompletedProcess[str]:
        command = [tenken, "add-user", name, "--role", role]
        feed = f"{password}\n{password}\n"
        return subprocess.run(
            command, input=feed, env=environment, capture_output=True, text=True, check=False
        )

    weak = add("chief", "admin", "12345678")
    assert weak.returncode == 2 and "パスワードが弱すぎます" in weak.stderr
    assert add("chief", "respondent", "x").returncode == 2
    ok = add("chief", "admin", "kasumigaseki-2023-admin")
    assert ok.returncode == 0, ok.stderr
    with sqlite3.connect(tmp_path / "tenken.sqlite3") as db:
        rows = list(
            db.execute(
                "select u.username, m.role from auth_user u"
                " join tenken_accounts_membership m on m.user_id = u.id"
            )
        )
    assert rows == [("chief", "admin")]
    assert add("chief", "viewer", "another-long-password-1").returncode == 2
