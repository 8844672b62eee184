"""Connect the store for the command line: Django configured in code from one database URL.

``setup(url)`` configures Django with only this app when nothing configured it yet (the CLI),
or registers the URL as an extra connection alias when Django is already set up (inside the
web site or the test suite). The schema is migrated on first use. URLs: ``sqlite:///PATH`` and
``postgres://user:pass@host:port/db`` (parsed with dj-database-url); the default is SQLite in
the workspace, shared with the web site (``TENKEN_DATABASE_URL`` / ``TENKEN_WORKSPACE``).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from tenken.errors import InputError

_READY: set[str] = set()
# WAL with synchronous=NORMAL: a killed process never loses or tears a committed transaction
# (only a power cut may drop the last few), and commits do not wait for the disk each time.
_SQLITE_INIT = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL"


STORE_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",  # casework names the users who decide and approve
    "tenken.store",
    "tenken.store.casework",
    "tenken.store.audit",
]
"""The apps the command line configures (the site installs these and its own)."""


def default_url() -> str:
    from tenken.web import env

    return env.database_url(env.workspace())


_URL_PASSWORD = re.compile(r"(?<=://)([^/@:]*):[^/@]*@")
_QUERY_PASSWORD = re.compile(r"(?i)([?&](?:password|passwd)=)[^&#]*")


def shown_url(url: str) -> str:
    """``url`` as shown in a message: any password (``user:secret@``, ``?password=``) hidden.

    Works on URLs that do not parse, since those are the ones an error names.
    """
    return _QUERY_PASSWORD.sub(r"\1***", _URL_PASSWORD.sub(r"\1:***@", url))


def parse_url(url: str) -> dict[str, Any]:
    """Django DATABASES entry for ``url`` (InputError naming the URL when it is not usable)."""
    import dj_database_url

    try:
        config: dict[str, Any] = dict(dj_database_url.parse(url))
    except (ValueError, KeyError) as error:
        raise InputError(
            f"データベースの URL を解釈できません: {shown_url(url)}",
            hint="sqlite:///workspace/tenken.sqlite3 または postgres://user@host:5432/db",
        ) from error
    engine = config.get("ENGINE", "")
    if engine.endswith("sqlite3"):
        name = Path(str(config["NAME"]))
        name.parent.mkdir(parents=True, exist_ok=True)
        config["OPTIONS"] = {"timeout": 30, "init_command": _SQLITE_INIT}
    elif not engine.endswith("postgresql"):
        raise InputError(
            f"このデータベースには対応していません: {shown_url(url)}",
            hint="SQLite（sqlite:///...）か PostgreSQL（postgres://...）を指定してください",
        )
    return config


def setup(url: str | None = None, *, options: dict[str, Any] | None = None) -> str:
    """Make the database at ``url`` ready (configured and migrated); return its alias."""
    import django
    from django.conf import settings

    url = url or default_url()
    config = parse_url(url)
    if options:
        config["OPTIONS"] = {**config.get("OPTIONS", {}), **options}
    if not settings.configured:
        settings.configure(
            INSTALLED_APPS=STORE_APPS,
            DATABASES={"default": config},
            USE_TZ=True,
            TIME_ZONE="Asia/Tokyo",
            DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
        )
        django.setup()
        alias = "default"
    else:
        alias = _register(url, config)
    if alias not in _READY:
        _migrate(alias)
        _READY.add(alias)
    return alias


def unmigrated_alias(url: str) -> str:
    """An alias for ``url`` without migrating it (for tests of the migrations themselves)."""
    return _register(url, parse_url(url))


def _register(url: str, config: dict[str, Any]) -> str:
    """An extra alias for ``url`` next to the settings' own databases."""
    from django.db import connections

    key = url + repr(sorted(config.get("OPTIONS", {}).items()))
    alias = "store_" + hashlib.sha256(key.encode()).hexdigest()[:12]
    if alias not in connections.settings:
        both = {"default": dict(connections.settings["default"]), alias: config}
        connections.settings[alias] = connections.configure_settings(both)[alias]
    return alias


def _migrate(alias: str) -> None:
    from django.core.management import call_command
    from django.db import DatabaseError

    try:
        for label in ("contenttypes", "auth", "store", "casework", "audit"):
            call_command("migrate", label, database=alias, verbosity=0, interactive=False)
    except DatabaseError as error:
        raise InputError(
            f"データベースに接続できないか、表を作れません: {error}".strip(),
            hint="--db または TENKEN_DATABASE_URL を確認してください",
        ) from error
