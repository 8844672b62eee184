"""Python-side keys for the inspection: the fast paths give exactly the normalisers' answers."""

from __future__ import annotations

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from tenken.linkage import inspection, keys
from tenken.linkage import tables as t
from tenken.linkage.engine import DuckDBEngine, Engine
from tenken.normalize.name import name_key, normalize_name

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


def _engine_name_keys(engine: Engine, names: list[str]) -> dict[str, tuple[str, bool]]:
    """name_keys as the inspection builds it (split in SQL, parts keyed in Python)."""
    rows = [{"row": k, "name": n} for k, n in enumerate(names)]
    schema = pa.schema([("row", pa.int64()), ("name", pa.string())])
    engine.register(t.REG_IN, pa.Table.from_pylist(rows, schema=schema))
    engine.register(t.REC_IN, pa.Table.from_pylist([], schema=schema))
    inspection.name_keys(engine)
    table = engine.arrow(f"SELECT raw, key, nu FROM {t.NAME_KEYS}").to_pylist()
    return {r["raw"]: (r["key"], r["nu"]) for r in table}


def _expected(names: list[str]) -> dict[str, tuple[str, bool]]:
    return {n: (name_key(n), normalize_name(n).unverifiable) for n in names if n}


_DUCKDB = DuckDBEngine()


@settings(deadline=None)
@given(st.lists(st.text(_ALPHABET, max_size=8), min_size=1, max_size=6))
def test_name_keys_equal_name_key_of_each_whole_name(names: list[str]) -> None:
    """Keys computed per surname and given name (split by the engine) equal name_key of each
    full name, and the 外字 flag is normalize_name's, whatever characters the names hold (odd
    names fall back to the whole-name normaliser)."""
    assert keys.split_name_keys(names) == [name_key(n) for n in names]
    assert _engine_name_keys(_DUCKDB, names) == _expected(names)


@settings(deadline=None)
@given(st.text(_ALPHABET, min_size=1, max_size=6), st.text(_ALPHABET, min_size=1, max_size=6))
def test_name_keys_of_two_part_names(surname: str, given_name: str) -> None:
    """ "surname　given" and "surname given" get name_key's answer, including 異体字 folding."""
    names = [f"{surname}\u3000{given_name}", f"{surname} {given_name}"]
    assert keys.split_name_keys(names) == [name_key(n) for n in names]
    assert _engine_name_keys(_DUCKDB, names) == _expected(names)


_ODD_NAMES = [
    "髙橋\u3000𠮷男", "高橋 吉男", "佐々木　太郎", "山田太郎", "ヤマダ　ハナコ", "渡\ue000　花子",
    "〓田　一郎", "山田　太郎\n", "山田\u3000\u3000太郎", " 山田　太郎", "ｶﾞｸ　ﾀﾛｳ",
    "Jones Robert", "か\u3099き　はな", "山" * 150 + "　" + "田" * 60, "山田・太郎", "?",
]  # fmt: skip


def test_name_keys_on_every_engine(engine: Engine) -> None:
    """The engines split names alike (Java's regex on Spark, RE2 on DuckDB): 異体字 folded per
    part, names of other shapes keyed whole, 外字 flagged, a line break or a long name kept
    whole."""
    assert _engine_name_keys(engine, _ODD_NAMES) == _expected(_ODD_NAMES)
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


_DATE_PART = st.text(st.sampled_from("0123456789１"), min_size=0, max_size=5)


@settings(deadline=None)
@given(st.lists(st.tuples(_DATE_PART, st.sampled_from("-/.年月日 "), _DATE_PART,
                          st.sampled_from("-/.年月日"), _DATE_PART, st.sampled_from(["", "日"])),
                min_size=1, max_size=20))  # fmt: skip
def test_western_dates_read_in_sql_are_parse_dates_answers(parts: list[tuple[str, ...]]) -> None:
    """Whatever digits and separators: a date the engine reads (checks.western_date) is the
    date parse_date gives for that text."""
    from tenken.errors import NormalizeError
    from tenken.linkage.checks import western_date
    from tenken.normalize.date import parse_date

    texts = ["".join(p) for p in parts]
    _DUCKDB.register("wd_in", pa.table({"v": pa.array(texts, pa.string())}))
    sql = f"SELECT v, {western_date(_DUCKDB.dialect, 'v')} AS d FROM wd_in"
    for row in _DUCKDB.arrow(sql).to_pylist():
        if row["d"] is not None:
            try:
                assert parse_date(row["v"]) == row["d"], row["v"]
            except NormalizeError:
                raise AssertionError(f"read in SQL, refused by parse_date: {row['v']}") from None


def test_folded_part_chars_are_the_ones_name_key_changes() -> None:
    """Every character of a name part: listed by folded_part_chars exactly when name_key
    changes it (the engines key a name of the others as it is, without its spaces)."""
    folded = set(keys.folded_part_chars())
    chars = [chr(c) for lo, hi in keys._PART_RANGES for c in range(lo, hi + 1)]
    assert {ch for ch in chars if name_key(ch) != ch} == folded
    assert {"髙", "國", "あ"} <= folded and not {"高", "国", "ア", "々"} & folded


def test_names_the_engine_keys_itself() -> None:
    """Names of characters name_key leaves alone and spaces are keyed in SQL (not split, not
    sent to Python) with name_key's key and no 外字 flag; a folded character, a letter or a
    long name is left to the split or to Python."""
    names = ["山田 太郎", "佐々木　花子", "山田太郎", " 山田  太郎 ", "髙橋 太郎", "山田 Ａ"]
    names.append("山" * 201)
    rows = [{"row": k, "name": n} for k, n in enumerate(names)]
    schema = pa.schema([("row", pa.int64()), ("name", pa.string())])
    _DUCKDB.register(t.REG_IN, pa.Table.from_pylist(rows, schema=schema))
    _DUCKDB.register(t.REC_IN, pa.Table.from_pylist([], schema=schema))
    from tenken.linkage import sql as q

    _DUCKDB.run(q.name_split_sql(_DUCKDB.dialect))
    got = _DUCKDB.arrow(f"SELECT raw, key, plain FROM {t.NAME_SPLIT}").to_pylist()
    own = {r["raw"]: r["key"] for r in got if r["key"] is not None}
    assert own == {n: name_key(n) for n in names[:4]}
    assert all(r["plain"] for r in got if r["key"] is not None)
    assert _engine_name_keys(_DUCKDB, names) == _expected(names)


def test_plain_names_never_hold_what_normalize_name_cannot_compare() -> None:
    """Every character of PLAIN_NAME_CHARS (which lets a name skip the 外字 check) leaves a
    name comparable: normalize_name says so too (゠ and unassigned kana code points are not
    plain)."""
    import re

    plain = re.compile(keys.PLAIN_NAME_CHARS)
    chars = [chr(c) for c in range(0x20, 0x10000) if plain.fullmatch(chr(c))]
    assert len(chars) > 27_000 and "\u30a0" not in chars
    assert not [ch for ch in chars if normalize_name(f"山{ch}田").unverifiable]
    assert _engine_name_keys(_DUCKDB, ["ジョン゠スミス"]) == _expected(["ジョン゠スミス"])
