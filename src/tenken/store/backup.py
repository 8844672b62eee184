"""Back up and restore the store's database (responses, rounds, cases, the audit trail, the
site's accounts: everything in it).

* SQLite: the online backup API (``sqlite3.Connection.backup``) copies a consistent snapshot
  while the site and ingests keep running (WAL mode); the copy is checked with
  ``PRAGMA integrity_check`` and moved into place atomically.
* PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore --clean --if-exists``, the tools of
  the server's own version (no network access beyond the database server itself).

A backup holds 特定個人情報: see docs/security.md for where to keep it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from tenken.errors import InputError, Location
from tenken.store.db import parse_url

SQLITE_MAGIC = b"SQLite format 3\x00"


def _is_sqlite(url: str) -> tuple[bool, str]:
    config = parse_url(url)
    return str(config.get("ENGINE", "")).endswith("sqlite3"), str(config.get("NAME", ""))


_LIBPQ_ENV = {
    "HOST": "PGHOST",
    "PORT": "PGPORT",
    "USER": "PGUSER",
    "PASSWORD": "PGPASSWORD",
    "NAME": "PGDATABASE",
}


def _libpq_env(url: str) -> tuple[dict[str, str], str]:
    """The environment that points pg_dump/pg_restore at ``url``, and the password in it.

    The connection goes by libpq's variables, not the command line, so a password is not shown
    to other users by ``ps`` and cannot come back in the tool's error text.
    """
    config = parse_url(url)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    for key, variable in _LIBPQ_ENV.items():
        if config.get(key):
            env[variable] = str(config[key])
    sslmode = dict(config.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return env, str(config.get("PASSWORD") or "")


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise InputError(
            f"{name} が見つかりません",
            hint="PostgreSQL のクライアント（postgresql-client）を入れてください",
        )
    return found


def _run(args: list[str], what: str, url: str) -> None:
    env, password = _libpq_env(url)
    result = subprocess.run(args, capture_output=True, text=True, check=False, env=env)
    if result.returncode != 0:
        said = result.stderr.strip()[-500:]
        if password:
            said = said.replace(password, "***")
        raise InputError(f"{what}に失敗しました: {said}", code="E-BACKUP")


def _check_sqlite(path: Path) -> None:
    with path.open("rb") as handle:
        if handle.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
            raise InputError("SQLite のバックアップではありません", location=Location(str(path)))
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        status = connection.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        connection.close()
    if status != "ok":
        raise InputError(
            f"バックアップが壊れています（{status}）", location=Location(str(path)), code="E-BACKUP"
        )


def _sqlite_copy(source: Path, target: Path) -> None:
    """Online-backup ``source`` into ``target`` (atomically: a temporary file, then a rename)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(fd)
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        dst = sqlite3.connect(temp)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
        _check_sqlite(Path(temp))
        os.replace(temp, target)
    finally:
        Path(temp).unlink(missing_ok=True)


def backup(url: str, out: Path) -> Path:
    """Write a consistent backup of the database at ``url`` to ``out``."""
    sqlite, name = _is_sqlite(url)
    if sqlite:
        if not Path(name).is_file():
            raise InputError("データベースのファイルがありません", location=Location(name))
        _sqlite_copy(Path(name), out)
        return out
    fd, temp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent if str(out.parent) else ".")
    os.close(fd)
    try:
        _run([_tool("pg_dump"), "--format=custom", f"--file={temp}"], "pg_dump", url)
        os.replace(temp, out)
    finally:
        Path(temp).unlink(missing_ok=True)
    return out


def restore(dump: Path, url: str) -> None:
    """Restore ``dump`` into the database at ``url`` (its current content is replaced).

    For SQLite nothing may be using the database while it is restored (stop the site first).
    """
    if not dump.is_file():
        raise InputError("バックアップのファイルがありません", location=Location(str(dump)))
    sqlite, name = _is_sqlite(url)
    if sqlite:
        _check_sqlite(dump)
        _sqlite_copy(dump, Path(name))
        for suffix in ("-wal", "-shm"):
            Path(name + suffix).unlink(missing_ok=True)  # the old database's journal
        return
    database = str(parse_url(url).get("NAME") or "")
    args = [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", f"--dbname={database}"]
    _run([*args, str(dump)], "pg_restore", url)
