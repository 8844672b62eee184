"""Site settings read from the environment, parsed strictly.

Every variable is listed once in :data:`VARIABLES` with its default and its meaning (Japanese,
shown by ``tenken serve --help-settings`` and documented in docs/architecture.md). A value that
cannot be parsed stops the site with a message naming the variable and what is allowed,
instead of silently falling back to a default.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class Variable:
    """One environment variable the site reads."""

    name: str
    default: str
    help: str


VARIABLES: tuple[Variable, ...] = (
    Variable("TENKEN_WORKSPACE", "./workspace", "作業フォルダ（SQLite・秘密鍵・添付ファイル）"),
    Variable(
        "TENKEN_DATABASE_URL",
        "sqlite:///<作業フォルダ>/tenken.sqlite3",
        "データベース（例: postgresql://user:pass@127.0.0.1:5432/tenken）",
    ),
    Variable(
        "TENKEN_SECRET_KEY", "<作業フォルダ>/secret_key", "署名用の秘密鍵（未設定なら生成して保存）"
    ),
    Variable("TENKEN_DEBUG", "false", "開発用のデバッグ表示（本番では false）"),
    Variable("TENKEN_ALLOWED_HOSTS", "localhost,127.0.0.1", "受け付けるホスト名（カンマ区切り）"),
    Variable(
        "TENKEN_HTTPS",
        "true",
        "TLS（リバースプロキシ）越しに公開する: Secure Cookie・HTTPS への転送・HSTS",
    ),
    Variable(
        "TENKEN_PROXY_HTTPS_HEADER",
        "false",
        "リバースプロキシの X-Forwarded-Proto: https を信頼する",
    ),
    Variable("TENKEN_SESSION_MINUTES", "30", "操作がないままログインを保つ分数"),
    Variable("TENKEN_LOGIN_FAILURE_LIMIT", "5", "ログイン失敗がこの回数に達すると一時停止"),
    Variable("TENKEN_LOGIN_COOLOFF_MINUTES", "15", "ログイン一時停止の分数"),
    Variable(
        "TENKEN_LOGIN_IP_FAILURE_LIMIT",
        "30",
        "一つの接続元からのログイン失敗（ユーザー名を問わず）がこの回数に達すると一時停止",
    ),
    Variable("TENKEN_INVITATION_DAYS", "14", "招待リンクの有効日数"),
    Variable("TENKEN_SMTP_HOST", "", "督促メールを送る SMTP サーバー（空なら差し込み印刷用 CSV）"),
    Variable("TENKEN_SMTP_PORT", "587", "SMTP サーバーのポート"),
    Variable("TENKEN_SMTP_STARTTLS", "true", "SMTP で STARTTLS を使う"),
    Variable("TENKEN_SMTP_USER", "", "SMTP 認証のユーザー名（空なら認証なし）"),
    Variable("TENKEN_SMTP_PASSWORD", "", "SMTP 認証のパスワード"),
    Variable("TENKEN_SMTP_SENDER", "", "督促メールの差出人アドレス"),
)
_DEFAULTS = {v.name: v.default for v in VARIABLES}


def raw(name: str) -> str | None:
    """The variable's value, or None when unset or empty."""
    if name not in _DEFAULTS:
        raise KeyError(f"{name} is not a declared setting (add it to VARIABLES)")
    value = os.environ.get(name, "").strip()
    return value or None


def boolean(name: str) -> bool:
    value = (raw(name) or _DEFAULTS[name]).lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} は真偽値として読めません（true / false / 1 / 0 / yes / no / on / off）"
    )


def integer(name: str, minimum: int = 1) -> int:
    value = raw(name) or _DEFAULTS[name]
    try:
        number = int(value)
    except ValueError:
        number = minimum - 1
    if number < minimum:
        raise ImproperlyConfigured(f"{name}={value!r} は {minimum} 以上の整数で指定してください")
    return number


def text_list(name: str) -> list[str]:
    return [part.strip() for part in (raw(name) or _DEFAULTS[name]).split(",") if part.strip()]


def workspace() -> Path:
    return Path(raw("TENKEN_WORKSPACE") or _DEFAULTS["TENKEN_WORKSPACE"]).resolve()


def database_url(folder: Path) -> str:
    return raw("TENKEN_DATABASE_URL") or f"sqlite:///{folder / 'tenken.sqlite3'}"


def secret_key(folder: Path) -> str:
    """TENKEN_SECRET_KEY, else a random key kept in the workspace (created once, mode 0600)."""
    given = raw("TENKEN_SECRET_KEY")
    if given:
        if len(given) < 50:
            raise ImproperlyConfigured(
                "TENKEN_SECRET_KEY は50文字以上のランダムな文字列にしてください"
            )
        return given
    path = folder / "secret_key"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process created it first
            pass
        else:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(secrets.token_urlsafe(64))
    return path.read_text(encoding="ascii").strip()
