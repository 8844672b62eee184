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


def test_the_sql_address_rule_is_keys_agree() -> None:
    """sql.address_agree over addr_keys rows (main and tail, as keys.address_keys builds them)
    answers what tenken.normalize.address.keys_agree answers, for every pair of keys built
    from two mains and the tails of up to two parts (rooms, 枝番, letters, prefixes)."""
    import itertools

    import duckdb
    import pyarrow as pa

    from tenken.linkage.sql import address_agree
    from tenken.normalize.address import keys_agree, split_key

    parts = ["1", "2", "10", "101", "102", "A"]
    tails = [""] + parts + ["-".join(p) for p in itertools.product(parts, repeat=2)]
    keys_ = [
        f"{main}#{tail}" if tail else main for main in ("1/a/2-3", "1/a/2-4") for tail in tails
    ]
    pairs = list(itertools.product(keys_, repeat=2))
    left, right = [split_key(a) for a, _ in pairs], [split_key(b) for _, b in pairs]
    table = pa.table(
        {
            "i": list(range(len(pairs))),
            "a_main": [m for m, _ in left], "a_tail": [t for _, t in left],
            "b_main": [m for m, _ in right], "b_tail": [t for _, t in right],
        }
    )  # fmt: skip
    con = duckdb.connect()
    con.register("t", table)
    sql = (
        f"SELECT {address_agree('ar', 'sa')} AS ok FROM (SELECT i, "
        "struct_pack(main := a_main, tail := a_tail) AS ar, "
        "struct_pack(main := b_main, tail := b_tail) AS sa FROM t) ORDER BY i"
    )
    got = [row[0] for row in con.execute(sql).fetchall()]
    expected = [keys_agree(a, b) for a, b in pairs]
    assert len(pairs) > 5000 and any(expected) and not all(expected)
    assert got == expected
