"""Names: width, kana, spaces and 異体字 folded; 外字 makes a comparison unverifiable."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tenken.normalize import itaiji
from tenken.normalize.name import compare_names, kana_key, name_key, normalize_name


@pytest.mark.parametrize(
    ("variant", "standard"),
    [
        ("髙橋", "高橋"), ("山﨑", "山崎"), ("渡邊", "渡辺"), ("渡邉", "渡辺"), ("齋藤", "斎藤"),
        ("齊藤", "斉藤"), ("濵田", "浜田"), ("澤田", "沢田"), ("櫻井", "桜井"), ("廣瀬", "広瀬"),
        ("眞鍋", "真鍋"), ("國分", "国分"), ("𠮷田", "吉田"), ("嶋田", "島田"), ("德永", "徳永"),
        ("關口", "関口"), ("槙野", "槇野"),
    ],
)  # fmt: skip
def test_itaiji_fold_to_the_standard_form(variant: str, standard: str) -> None:
    """Surnames with 異体字 get the key of their standard spelling."""
    assert name_key(variant) == name_key(standard) == standard
    assert compare_names(variant, standard) == "match"


def test_nfkc_alone_does_not_fold_saki_but_our_table_does() -> None:
    """﨑 (U+FA11) survives NFKC, so the table has to carry it."""
    assert unicodedata.normalize("NFKC", "﨑") == "﨑"
    assert itaiji.fold("﨑") == "崎"


def test_itaiji_table_is_kanji_only_and_has_no_chains() -> None:
    """Every entry maps one CJK ideograph to another that is not itself a key."""
    table = itaiji.table()
    assert len(table) > 500
    for variant, standard in table.items():
        assert len(standard) == 1
        assert "CJK" in unicodedata.name(chr(variant), "CJK ?")
        assert ord(standard) not in table


def test_distinct_standard_characters_are_not_folded() -> None:
    """斉藤/斎藤 and 埼/崎 stay different; 乾 and Chinese-only Unihan links are not folded."""
    assert compare_names("斉藤", "斎藤") == "mismatch"
    assert compare_names("齊藤", "齋藤") == "mismatch"  # the old forms of 斉 and 斎
    assert name_key("埼") != name_key("崎")
    assert name_key("乾") == "乾"
    for distinct in ("鯰", "澳", "籐", "斌", "姆"):  # Unihan links these; in Japanese they differ
        assert itaiji.fold(distinct) == distinct


def test_spaces_are_ignored_but_the_split_is_kept() -> None:
    """Half- and full-width spaces between surname and given name do not change the key."""
    name = normalize_name("山田　太郎")
    assert (name.surname, name.given) == ("山田", "太郎")
    assert name.key == name_key("山田太郎") == name_key(" 山田 太郎 ")
    assert normalize_name("山田太郎").given == ""


def test_kana_key_folds_width_and_script() -> None:
    """Half-width katakana, hiragana and full-width katakana give one key."""
    assert (
        kana_key("ﾔﾏﾀﾞ ﾀﾛｳ")
        == kana_key("やまだ　たろう")
        == kana_key("ヤマダタロウ")
        == "ヤマダタロウ"
    )


def test_optional_small_kana_and_long_vowel_folding() -> None:
    """Small kana and ー are kept by default and folded on request."""
    assert kana_key("キッド") != kana_key("キツド")
    assert kana_key("キッド", small=True) == kana_key("キツド", small=True)
    assert kana_key("ユーコ") != kana_key("ユウコ")
    assert kana_key("ユーコ", long_vowel=True) == "ユコ"
    assert compare_names("キッド", "きつど", kana=True) == "match"


@pytest.mark.parametrize("gaiji", ["\ue000", "〓", "？", "?", "\U000f0000", "\ufffd"])
def test_uncomparable_characters_make_the_comparison_unverifiable(gaiji: str) -> None:
    """外字, 〓 and ？ in one name make a comparison unverifiable, not a mismatch."""
    name = normalize_name(f"山{gaiji}太郎")
    assert name.unverifiable
    assert compare_names(f"山{gaiji}太郎", "山田太郎") == "unverifiable"
    assert compare_names("山田太郎", f"山{gaiji}太郎") == "unverifiable"


def test_unverifiable_names_that_differ_elsewhere_are_a_mismatch() -> None:
    """A 外字 does not hide a difference in the characters we can compare."""
    assert compare_names("〓田太郎", "山田花子") == "mismatch"
    assert compare_names("〓田太郎", "山田一郎太") == "mismatch"
    assert compare_names("〓田太郎", "山本田太郎") == "unverifiable"


@pytest.mark.parametrize(
    "text", ["", " ", "\x00\x07", "😀😀", "山田🙂", "x" * 10_000_000, "山田 Taro ﾀﾛｳ", "\u202e山田"]
)
def test_bad_input_gives_a_result(text: str) -> None:
    """Empty, huge, control characters, emoji and mixed scripts never raise."""
    name = normalize_name(text)
    assert len(name.key) <= 200
    if "😀" in text or "🙂" in text:
        assert name.unverifiable


@settings(deadline=None)
@given(st.text(max_size=30))
def test_normalize_name_never_raises(text: str) -> None:
    """Any string gives a Name and a key."""
    assert isinstance(normalize_name(text).key, str)
    assert compare_names(text, text) in ("match", "unverifiable")


_WIDE_ASCII = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}


@given(
    st.lists(
        st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=10), min_size=1, max_size=4
    ),
    st.data(),
)
def test_alphabet_names_are_equal_across_case_width_and_spacing(
    words: list[str], data: st.DataObject
) -> None:
    """A registry's upper-case alphabet name equals the same letters in any case, in full
    width, and with spaces, ideographic spaces or a comma between the words."""
    registry = " ".join(words)
    written = ""
    for k, word in enumerate(words):
        case = data.draw(st.sampled_from([str.upper, str.lower, str.title, str.swapcase]))
        word = case(word)
        if data.draw(st.booleans()):
            word = "".join(_WIDE_ASCII.get(ch, ch) for ch in word)
        sep = data.draw(st.sampled_from(["", " ", "  ", "\u3000", ", ", "，"])) if k else ""
        written += sep + word
    assert compare_names(registry, written) == "match", (registry, written)
    other = registry[:-1] + ("A" if registry[-1] != "A" else "B")
    assert compare_names(other, written) == "mismatch"
