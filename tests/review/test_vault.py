"""Full numbers at rest: encrypted, indexed by a keyed hash, keys rotated; the key file is private."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tenken import vault
from tenken.errors import InputError
from tests.linkage.fixtures import number


def test_encrypt_decrypt_and_index(tmp_path: Path) -> None:
    keys = tmp_path / "keys.json"
    v = vault.load(keys)
    assert stat.S_IMODE(keys.stat().st_mode) == 0o600
    token = v.encrypt(number(1))
    assert number(1) not in token and v.decrypt(token) == number(1)
    assert v.encrypt(number(1)) != token  # random IV: equal numbers, different tokens
    assert v.index(number(1)) == vault.load(keys).index(number(1)) != v.index(number(2))


def test_rotation_keeps_old_tokens_readable_then_drops_the_old_key(tmp_path: Path) -> None:
    keys = tmp_path / "keys.json"
    old = vault.load(keys)
    token = old.encrypt(number(3))
    new = vault.rotate_file(keys)
    assert len(new.keys) == 2 and new.decrypt(token) == number(3)
    rotated = new.rotate(token)
    final = vault.rotate_file(keys, drop_old=True)
    assert final.decrypt(rotated) == number(3)
    with pytest.raises(InputError, match="復号できません"):
        final.decrypt(token)
    assert final.index(number(3)) == old.index(number(3))


def test_wrong_key_file_is_a_clear_error(tmp_path: Path) -> None:
    token = vault.load(tmp_path / "a.json").encrypt(number(4))
    with pytest.raises(InputError, match="鍵ファイル"):
        vault.load(tmp_path / "b.json").decrypt(token)
    broken = tmp_path / "broken.json"
    broken.write_text("{}", encoding="ascii")
    with pytest.raises(InputError, match="読めません"):
        vault.load(broken)
