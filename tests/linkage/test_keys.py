"""Python-side keys for the inspection: the fast paths give exactly the normalisers' answers."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tenken.linkage import keys
from tenken.normalize.name import name_key

# Characters a name part may hold (and some that must keep a name whole): kanji, kana with
# sound marks (combining and spacing), 々, ・, ヿ, half-width kana, spaces, 外字, letters.
_ALPHABET = st.sampled_from(
    [
        *"髙高﨑崎邊辺澤沢齋斎吉𠮷國々あがかゝゞアガヴーヽヾ・ヿ",
        "\u3099",
        "\u309a",
        "\u309b",
        "\u309c",
        "ｶ",
        "ﾞ",
        " ",
        "\u3000",
        "\t",
        "\ue000",
        "〓",
        "A",
    ]
)


@given(st.lists(st.text(_ALPHABET, max_size=8), min_size=1, max_size=6))
def test_split_name_keys_equal_name_key_of_each_whole_name(names: list[str]) -> None:
    """Keys computed per surname and given name equal name_key of each full name, whatever
    characters the names hold (odd names fall back to the whole-name normaliser)."""
    assert keys.split_name_keys(names) == [name_key(n) for n in names]


@given(st.text(_ALPHABET, min_size=1, max_size=6), st.text(_ALPHABET, min_size=1, max_size=6))
def test_split_name_keys_on_two_part_names(surname: str, given_name: str) -> None:
    """ "surname　given" and "surname given" get name_key's answer, including 異体字 folding."""
    names = [f"{surname}\u3000{given_name}", f"{surname} {given_name}"]
    assert keys.split_name_keys(names) == [name_key(n) for n in names]


def test_split_name_keys_folds_variants_in_each_part() -> None:
    """髙橋　𠮷男 and 高橋 吉男 share one key (the parts are folded like the whole name)."""
    assert keys.split_name_keys(["髙橋\u3000𠮷男", "高橋 吉男"]) == [name_key("高橋吉男")] * 2
