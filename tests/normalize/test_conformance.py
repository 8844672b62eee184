"""The conformance sets (cases/conformance.yaml): address and name pairs, one kind per notation
habit of real data, each pair the same fact or not (built by scripts/build_conformance.py)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from tenken.normalize.address import address_key, keys_agree, normalize_address
from tenken.normalize.name import compare_names

DATA = yaml.safe_load((Path(__file__).parent / "cases/conformance.yaml").read_text("utf-8"))
ADDRESS_KINDS = DATA["address_kinds"]
NAME_KINDS = DATA["name_kinds"]
KANA_KINDS = {"kana_script_and_width", "kana_long_vowel_and_small", "other_kana_reading"}


def _ids(pairs: list[list[str]]) -> list[str]:
    return [f"{kind}:{a}"[:70] for kind, a, _ in pairs]


def test_the_sets_are_big_enough_and_cover_every_prefecture() -> None:
    """At least 1,500 address pairs over all 47 prefectures, 300 name pairs, both outcomes,
    and every kind has pairs and a source."""
    addresses, names = DATA["addresses"], DATA["names"]
    assert len(addresses) >= 1500 and len(names) >= 300
    prefectures = {normalize_address(a).prefecture for kind, a, _ in addresses}
    assert len(prefectures - {""}) == 47
    expects = Counter(ADDRESS_KINDS[kind]["expect"] for kind, _, _ in addresses)
    assert expects["same"] >= 500 and expects["different"] >= 500
    name_expects = Counter(NAME_KINDS[kind]["expect"] for kind, _, _ in names)
    assert name_expects["same"] >= 100 and name_expects["different"] >= 100
    assert {kind for kind, _, _ in addresses} == set(ADDRESS_KINDS)
    assert {kind for kind, _, _ in names} == set(NAME_KINDS)
    assert all(k["source"] for k in [*ADDRESS_KINDS.values(), *NAME_KINDS.values()])


@pytest.mark.parametrize(("kind", "a", "b"), DATA["addresses"], ids=_ids(DATA["addresses"]))
def test_address_pair(kind: str, a: str, b: str) -> None:
    """Same-fact pairs resolve to the town with agreeing keys; different ones never agree."""
    left, right = normalize_address(a), normalize_address(b)
    if ADDRESS_KINDS[kind]["expect"] == "same":
        assert left.level == right.level == "town", (left, right)
        assert keys_agree(left.key, right.key), (left.key, right.key)
    else:
        assert not keys_agree(left.key, right.key), (left.key, right.key)
    assert address_key.__wrapped__(a) == left.key  # the fast path gives the full reading's key


@pytest.mark.parametrize(("kind", "a", "b"), DATA["names"], ids=_ids(DATA["names"]))
def test_name_pair(kind: str, a: str, b: str) -> None:
    """Names (kanji or alphabet) and kana readings compare as their kind expects."""
    expected = "match" if NAME_KINDS[kind]["expect"] == "same" else "mismatch"
    assert compare_names(a, b, kana=kind in KANA_KINDS) == expected
