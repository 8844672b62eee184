"""Full My Numbers at rest: authenticated encryption (Fernet: AES-128-CBC + HMAC-SHA256).

The keys live in a key file, never in the database: ``TENKEN_NUMBER_KEY_FILE``, or
``<workspace>/number_keys.json`` (created with mode 0600 on first use). The file holds

* ``keys``: Fernet keys, newest first. New tokens use the first; any key decrypts (rotation:
  :func:`rotate_file` puts a new key first, then the store re-encrypts every token with
  :meth:`Vault.rotate` and the old key can be dropped with ``drop_old=True``);
* ``index``: an HMAC key for the blind index (find a typed number without decrypting all).

Losing the file means the stored full numbers cannot be read any more: masked numbers, cases,
decisions and the audit trail stay readable, but corrections that set a number cannot be
exported until the run is imported again from its inspect output. Keep a copy of the key file
apart from the database backups (a backup holding both defeats the encryption).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from tenken.errors import InputError

ENV_VAR = "TENKEN_NUMBER_KEY_FILE"


def default_path() -> Path:
    given = os.environ.get(ENV_VAR)
    if given:
        return Path(given)
    workspace = os.environ.get("TENKEN_WORKSPACE") or "./workspace"
    return Path(workspace).resolve() / "number_keys.json"


def _new_file_content() -> dict[str, object]:
    return {
        "keys": [Fernet.generate_key().decode("ascii")],
        "index": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii"),
    }


def _write_private(path: Path, content: dict[str, object]) -> None:
    """Write ``content`` to ``path`` with mode 0600, replacing it atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(path.name + ".tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        json.dump(content, handle)
    os.replace(temp, path)


@dataclass(frozen=True)
class Vault:
    keys: tuple[str, ...]
    index_key: bytes

    @property
    def _fernet(self) -> MultiFernet:
        return MultiFernet([Fernet(k.encode("ascii")) for k in self.keys])

    def encrypt(self, number: str) -> str:
        return self._fernet.encrypt(number.encode("ascii")).decode("ascii") if number else ""

    def decrypt(self, token: str) -> str:
        if not token:
            return ""
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode("ascii")
        except InvalidToken as error:
            raise InputError(
                "暗号化された個人番号を復号できません（鍵ファイルが違うか、失われています）",
                hint=f"{ENV_VAR} で正しい鍵ファイルを指定してください",
            ) from error

    def index(self, number: str) -> str:
        """A keyed hash of the number: equal numbers, equal index; no key, no guessing."""
        if not number:
            return ""
        return hmac.new(self.index_key, number.encode("ascii"), hashlib.sha256).hexdigest()

    def rotate(self, token: str) -> str:
        """``token`` re-encrypted under the newest key."""
        return self._fernet.rotate(token.encode("ascii")).decode("ascii") if token else ""


def load(path: Path | None = None, *, create: bool = True) -> Vault:
    """The vault of the key file at ``path`` (default: :func:`default_path`)."""
    path = path or default_path()
    if not path.exists():
        if not create:
            raise InputError(
                f"鍵ファイルがありません: {path}", hint=f"{ENV_VAR} を確認してください"
            )
        _write_private(path, _new_file_content())
    try:
        content = json.loads(path.read_text(encoding="ascii"))
        keys = tuple(str(k) for k in content["keys"])
        index_key = base64.urlsafe_b64decode(content["index"])
        Fernet(keys[0].encode("ascii"))
    except (OSError, ValueError, KeyError, IndexError, TypeError) as error:
        raise InputError(
            f"鍵ファイルを読めません: {path}", hint="number_keys.json の形式を確認してください"
        ) from error
    return Vault(keys, index_key)


def rotate_file(path: Path | None = None, *, drop_old: bool = False) -> Vault:
    """Put a new key first in the key file; ``drop_old`` instead keeps only the newest key
    (after every token was re-encrypted with :meth:`Vault.rotate`)."""
    path = path or default_path()
    vault = load(path, create=False)
    if drop_old:
        keys = [vault.keys[0]]
    else:
        keys = [Fernet.generate_key().decode("ascii"), *vault.keys]
    index = base64.urlsafe_b64encode(vault.index_key).decode("ascii")
    _write_private(path, {"keys": keys, "index": index})
    return load(path, create=False)
