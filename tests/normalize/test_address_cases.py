"""The address case table (cases/addresses.yaml): 47 prefectures, equal and different pairs."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tenken.normalize.address import address_key, keys_agree, normalize_address

CASES = yaml.safe_load((Path(__file__).parent / "cases/addresses.yaml").read_text("utf-8"))
PREFECTURES_WITHOUT_CASES_ALLOWED = 0


def _ids(pairs: list[list[str]]) -> list[str]:
    return [f"{a}={b}"[:60] for a, b in pairs]


@pytest.mark.parametrize(("a", "b"), CASES["same"], ids=_ids(CASES["same"]))
def test_notations_of_one_address_share_a_key_and_resolve_to_the_town(a: str, b: str) -> None:
    """Both notations reach the town level and their keys agree (one may leave the 方書 out)."""
    left, right = normalize_address(a), normalize_address(b)
    assert left.level == "town", left
    assert keys_agree(left.key, right.key), (left, right)


@pytest.mark.parametrize(("a", "b"), CASES["different"], ids=_ids(CASES["different"]))
def test_different_addresses_have_different_keys(a: str, b: str) -> None:
    """Different addresses never share a key, nor have keys that agree."""
    assert not keys_agree(normalize_address(a).key, normalize_address(b).key)


def test_the_table_covers_every_prefecture_and_is_big_enough() -> None:
    """At least 200 cases, and every one of the 47 prefectures appears."""
    pairs = CASES["same"] + CASES["different"]
    assert len(pairs) >= 200
    prefectures = {normalize_address(a).prefecture for a, _ in pairs}
    assert len(prefectures - {""}) == 47


def test_address_key_equals_the_key_of_the_full_result() -> None:
    """address_key (the key-only path) gives normalize_address(...).key for every case."""
    texts = {t for kind in ("same", "different") for pair in CASES[kind] for t in pair}
    assert len(texts) > 500
    for text in sorted(texts):
        assert address_key.__wrapped__(text) == normalize_address(text).key, text
