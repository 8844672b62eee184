"""Splink-style tests of the SQL builders: literal input rows, the expected output, per engine.

Each builder of tenken.linkage.sql, .outputs and .checks runs on tables registered from
literal rows (the tables it reads, by their names in tenken.linkage.tables) and its result is
compared with rows written out by hand. The fast path's builders are tested the same way in
test_engines.py. Runs on DuckDB and on Spark local mode (the ``engine`` fixture).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from tenken.errors import InputError, NormalizeError
from tenken.fileio import escape_formula
from tenken.linkage import checks, outputs
from tenken.linkage import sql as q
from tenken.linkage import tables as t
from tenken.linkage.engine import Engine
from tenken.linkage.readers import Loaded
from tenken.normalize.date import parse_date
from tests.linkage import fixtures

N1, N2, N3 = fixtures.number(1), fixtures.number(2), fixtures.number(3)
D = dt.date


def _register(engine: Engine, name: str, rows: list[dict[str, Any]], schema: pa.Schema) -> None:
    engine.register(name, pa.Table.from_pylist(rows, schema=schema))


def _rows(engine: Engine, sql: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = engine.arrow(sql).to_pylist()
    return rows


def _schema(**kinds: pa.DataType) -> pa.Schema:
    return pa.schema(list(kinds.items()))


S, B, DATE, I64 = pa.string(), pa.bool_(), pa.date32(), pa.int64()


def test_registry_and_records_are_typed_through_the_lookups(engine: Engine) -> None:
    """reg/rec: numbers cleaned, dates, sexes and name keys joined from their lookup tables,
    the number's status; a value missing from a lookup becomes NULL."""
    d = engine.dialect
    inputs = _schema(row=I64, mn=S, name=S, kana=S, birth=S, sex=S, address=S, vfrom=S, vto=S)
    _register(engine, t.REG_IN, [
        {"row": 0, "mn": "１２３４ ５６７８ ９０１２", "name": "山田　太郎", "kana": None,
         "birth": "S55.1.2", "sex": "男", "address": "A", "vfrom": "2015-10-05", "vto": ""},
    ], inputs)  # fmt: skip
    records = _schema(row=I64, rid=S, mn=S, name=S, kana=S, birth=S, sex=S, address=S,
                      linked_on=S)  # fmt: skip
    _register(engine, t.REC_IN, [
        {"row": 0, "rid": "R1", "mn": N1, "name": "山田太郎", "kana": "ヤマダ", "birth": "S55.1.2",
         "sex": "1", "address": "A", "linked_on": "2020-01-01"},
        {"row": 1, "rid": "R2", "mn": "", "name": "不明", "kana": "", "birth": "S55.1.2",
         "sex": "1", "address": "B", "linked_on": ""},
    ], records)  # fmt: skip
    _register(engine, t.DATES, [{"raw": "S55.1.2", "d": D(1980, 1, 2)},
                                {"raw": "2015-10-05", "d": D(2015, 10, 5)},
                                {"raw": "2020-01-01", "d": D(2020, 1, 1)}],
              _schema(raw=S, d=DATE))  # fmt: skip
    _register(engine, t.SEXES, [{"raw": "男", "s": "1"}, {"raw": "1", "s": "1"}],
              _schema(raw=S, s=S))  # fmt: skip
    _register(engine, t.NAME_KEYS, [{"raw": "山田　太郎", "key": "山田太郎", "nu": False},
                                    {"raw": "山田太郎", "key": "山田太郎", "nu": False}],
              _schema(raw=S, key=S, nu=B))  # fmt: skip
    engine.run(q.registry_sql(d))
    engine.run(q.records_sql(d))
    assert _rows(engine, f"SELECT row, mn, kana, birth, sex, vfrom, vto, nk, nu FROM {t.REG}") == [
        {"row": 0, "mn": "123456789012", "kana": "", "birth": D(1980, 1, 2), "sex": "1",
         "vfrom": D(2015, 10, 5), "vto": None, "nk": "山田太郎", "nu": False},
    ]  # fmt: skip
    got = _rows(engine, f"SELECT rid, mn, mn_status, linked_on, nk, nu FROM {t.REC} ORDER BY rid")
    assert got == [
        {"rid": "R1", "mn": N1, "mn_status": "ok", "linked_on": D(2020, 1, 1), "nk": "山田太郎",
         "nu": False},
        {"rid": "R2", "mn": None, "mn_status": "none", "linked_on": None, "nk": None, "nu": False},
    ]  # fmt: skip


REG = _schema(row=I64, mn=S, name=S, kana=S, birth=DATE, sex=S, address=S, vfrom=DATE,
              vto=DATE, nk=S, nu=B)  # fmt: skip
REC = _schema(row=I64, rid=S, mn=S, name=S, kana=S, birth=DATE, sex=S, address=S,
              linked_on=DATE, nk=S, nu=B, mn_status=S)  # fmt: skip


def _state(row: int, mn: str, address: str, vto: dt.date | None = None, **kw: Any) -> dict:
    base = {"row": row, "mn": mn, "name": "山田　太郎", "kana": "", "birth": D(1980, 1, 2),
            "sex": "1", "address": address, "vfrom": D(2015, 1, 1), "vto": vto, "nk": "山田太郎",
            "nu": False}  # fmt: skip
    return {**base, **kw}


def _record(rid: str, mn: str | None, address: str, **kw: Any) -> dict:
    base = {"row": int(rid[1:]), "rid": rid, "mn": mn, "name": "山田 太郎", "kana": "",
            "birth": D(1980, 1, 2), "sex": "1", "address": address, "linked_on": D(2020, 1, 1),
            "nk": "山田太郎", "nu": False, "mn_status": "ok" if mn else "none"}  # fmt: skip
    return {**base, **kw}


def _pairs(engine: Engine) -> None:
    _register(engine, t.REG, [
        _state(0, N1, "旧住所", vto=D(2019, 12, 31)),  # moved before the link: history
        _state(1, N1, "新住所"),
        _state(2, N2, "新住所"),  # same name, birth and sex: another person
        _state(3, N3, "他", nu=True),  # a 外字 name cannot prove a match
    ], REG)  # fmt: skip
    _register(engine, t.REC, [
        _record("R1", N1, "新住所"),  # confirmed as written
        _record("R2", N1, "新住所１", linked_on=D(2018, 1, 1)),  # written differently
        _record("R3", None, "新住所"),  # unlinked
    ], REC)  # fmt: skip
    for step in (q.linked_pairs_sql(), q.other_pairs_sql(), q.open_pairs_sql()):
        engine.run(step)


def test_linked_other_and_open_pairs(engine: Engine) -> None:
    """lp: every state of the record's number, eligible when valid at or after 紐付け日; op:
    other numbers with the same name key, birth and sex (never a 外字 name); lp_open: the
    records not already confirmed as written."""
    _pairs(engine)
    got = _rows(engine, f"SELECT rid, srow, eligible, nk_eq, birth_eq, sex_eq FROM {t.LP} "
                        "ORDER BY rid, srow")  # fmt: skip
    assert [(r["rid"], r["srow"], r["eligible"]) for r in got] == [
        ("R1", 0, False), ("R1", 1, True), ("R2", 0, True), ("R2", 1, True),
    ]  # fmt: skip
    assert all(r["nk_eq"] and r["birth_eq"] and r["sex_eq"] for r in got)
    got = _rows(engine, f"SELECT rid, omn, srow FROM {t.OP} ORDER BY rid, srow")
    assert [(r["rid"], r["omn"], r["srow"]) for r in got] == [
        ("R1", N2, 2), ("R2", N2, 2), ("R3", N1, 0), ("R3", N1, 1), ("R3", N2, 2),
    ]  # fmt: skip
    # R1 is confirmed as written; R2's address differs as written, so its pairs stay open
    assert {r["rid"] for r in _rows(engine, f"SELECT DISTINCT rid FROM {t.LP_OPEN}")} == {"R2"}


def test_differing_values_and_address_keys(engine: Engine) -> None:
    """Only addresses that differ inside a pair are keyed; their canonical forms that still
    differ go to the normaliser; addr_keys splits the key into main and tail."""
    pair = _schema(raddr=S, saddr=S)
    _register(engine, t.LP_OPEN, [{"raddr": "a", "saddr": "a"}, {"raddr": "a", "saddr": "b"},
                                  {"raddr": "", "saddr": "c"}], pair)  # fmt: skip
    _register(engine, t.OP, [{"raddr": "a", "saddr": "d"}], pair)
    engine.run(q.address_values_sql())
    assert {r["v"] for r in _rows(engine, f"SELECT v FROM {t.ADDR_RAW}")} == {"a", "b", "d"}
    canon = [{"raw": "a", "c": "A"}, {"raw": "b", "c": "A"}, {"raw": "d", "c": "D"}]
    _register(engine, t.ADDR_CANON, canon, _schema(raw=S, c=S))
    got = {r["v"] for r in _rows(engine, q.differing_canonical_sql())}
    assert got == {"A", "D"}  # a/b agree after the fast path; a/d still differ
    _register(engine, t.ADDR_CKEYS, [{"raw": "A", "key": "東京都/千代田/1-1#101"},
                                     {"raw": "D", "key": "東京都/千代田/1-2"}],
              _schema(raw=S, key=S))  # fmt: skip
    engine.run(q.address_keys_sql())
    got = _rows(engine, f"SELECT raw, c, main, tail FROM {t.ADDR_KEYS} ORDER BY raw")
    assert got == [
        {"raw": "a", "c": "A", "main": "東京都/千代田/1-1", "tail": "101"},
        {"raw": "b", "c": "A", "main": "東京都/千代田/1-1", "tail": "101"},
        {"raw": "d", "c": "D", "main": "東京都/千代田/1-2", "tail": ""},
    ]


@pytest.mark.parametrize(
    ("left", "right", "agree"),
    [
        (("M", "101"), ("M", "101"), True),
        (("M", ""), ("M", "101"), True),  # one side without a room
        (("M", "101"), ("M", "101-A"), True),  # one starts the other
        (("M", "10"), ("M", "101"), False),  # a prefix that is not a whole part
        (("M", "101"), ("M", "102"), False),
        (("M", "101"), ("N", "101"), False),
    ],
)
def test_address_agree(engine: Engine, left: tuple, right: tuple, agree: bool) -> None:
    """The SQL form of keys_agree on literal (main, tail) pairs."""
    keys = _schema(main=S, tail=S)
    _register(engine, "agree_l", [{"main": left[0], "tail": left[1]}], keys)
    _register(engine, "agree_r", [{"main": right[0], "tail": right[1]}], keys)
    sql = f"SELECT {q.address_agree('l', 'r')} AS ok FROM agree_l l CROSS JOIN agree_r r"
    assert _rows(engine, sql) == [{"ok": agree}]


LP = _schema(rid=S, srow=I64, vfrom=DATE, vto=DATE, eligible=B, nk_eq=B, rname=S, sname=S,
             birth_eq=B, sex_eq=B, raddr=S, saddr=S, rkana=S, skana=S)  # fmt: skip


def _lp(rid: str, srow: int, eligible: bool, saddr: str, **kw: Any) -> dict:
    base = {"rid": rid, "srow": srow, "vfrom": D(2015, 1, 1), "vto": None, "eligible": eligible,
            "nk_eq": True, "rname": "x", "sname": "x", "birth_eq": True, "sex_eq": True,
            "raddr": "R", "saddr": saddr, "rkana": "", "skana": ""}  # fmt: skip
    return {**base, **kw}


def _empty_keys(engine: Engine) -> None:
    _register(engine, t.NAME_CMP, [], _schema(a=S, b=S, status=S))
    _register(engine, t.ADDR_KEYS, [], _schema(raw=S, c=S, key=S, main=S, tail=S))
    _register(engine, t.KANA_KEYS, [], _schema(raw=S, key=S))


def test_best_state(engine: Engine) -> None:
    """best: per record the state that agrees best, eligible states first; full_before when
    only a state before 紐付け日 agreed on all four facts."""
    _register(engine, t.LP, [
        _lp("R1", 0, False, "R", vto=D(2019, 1, 1)),  # all four, but before the link
        _lp("R1", 1, True, "other"),
        _lp("R2", 0, True, "other", sex_eq=False),
        _lp("R2", 1, True, "R"),
    ], LP)  # fmt: skip
    _empty_keys(engine)
    engine.run(q.best_state_sql())
    got = _rows(engine, f"SELECT rid, srow, full4, full_before, addr_eq FROM {t.BEST} ORDER BY rid")
    assert got == [
        {"rid": "R1", "srow": 1, "full4": False, "full_before": True, "addr_eq": False},
        {"rid": "R2", "srow": 1, "full4": True, "full_before": False, "addr_eq": True},
    ]


def test_other_persons_and_duplicates(engine: Engine) -> None:
    """others: distinct other numbers agreeing on all four facts / on three, one digit off,
    masked lists; dup: numbers linked to several records, numbered in number order."""
    op = _schema(rid=S, rmn=S, omn=S, srow=I64, raddr=S, saddr=S)
    typo = fixtures.typo(N1)
    _register(engine, t.OP, [
        {"rid": "R1", "rmn": N1, "omn": typo, "srow": 5, "raddr": "A", "saddr": "A"},
        {"rid": "R1", "rmn": N1, "omn": N2, "srow": 6, "raddr": "A", "saddr": "B"},
        {"rid": "R1", "rmn": N1, "omn": N2, "srow": 7, "raddr": "A", "saddr": "A"},
    ], op)  # fmt: skip
    _empty_keys(engine)
    _register(engine, t.MASKS, [{"raw": typo, "key": "M1"}, {"raw": N2, "key": "M2"}],
              _schema(raw=S, key=S))  # fmt: skip
    engine.run(q.other_persons_sql(engine.dialect))
    assert _rows(engine, f"SELECT * FROM {t.OTHERS}") == [
        {"rid": "R1", "n_full": 2, "n_partial": 2, "one_digit_off": True,
         "first_full": min(typo, N2), "full_srow": 5, "partial_srow": 5,
         "full_list": "M1 / M2", "partial_list": "M1 / M2"},
    ]  # fmt: skip
    _register(engine, t.REC, [_record("R1", N2, "A"), _record("R2", N2, "A"),
                              _record("R3", N1, "A"), _record("R4", N1, "A"),
                              _record("R5", N3, "A")], REC)  # fmt: skip
    engine.run(q.duplicates_sql(engine.dialect))
    got = _rows(engine, f"SELECT mn, grp FROM {t.DUP} ORDER BY grp")
    assert got == [{"mn": min(N1, N2), "grp": "D000001"}, {"mn": max(N1, N2), "grp": "D000002"}]


def test_verdicts_and_their_output_columns(engine: Engine) -> None:
    """verdicts from literal best/others/dup rows, and verdicts_select's columns: the
    Japanese label, a formula-like 制度固有番号 escaped, dates as text."""
    _register(engine, t.REC, [
        _record("R1", N1, "A"), _record("R2", N2, "A"), _record("R3", None, "A"),
        _record("R4", "123", "A", mn_status="format"),
    ], REC)  # fmt: skip
    best = _schema(rid=S, srow=I64, vfrom=DATE, vto=DATE, eligible=B, birth_eq=B, sex_eq=B,
                   name_st=S, addr_eq=B, kana_eq=B, full4=B, full_before=B, rn=I64)  # fmt: skip
    ok = {"srow": 0, "vfrom": D(2015, 1, 1), "vto": None, "eligible": True, "birth_eq": True,
          "sex_eq": True, "name_st": "match", "addr_eq": True, "kana_eq": True, "full4": True,
          "full_before": False, "rn": 1}  # fmt: skip
    _register(engine, t.BEST, [{"rid": "R1", **ok},
                               {"rid": "R2", **ok, "birth_eq": False, "full4": False}],
              best)  # fmt: skip
    others = _schema(rid=S, n_full=I64, n_partial=I64, one_digit_off=B, first_full=S,
                     full_srow=I64, partial_srow=I64, full_list=S, partial_list=S)  # fmt: skip
    _register(engine, t.OTHERS, [{"rid": "R3", "n_full": 1, "n_partial": 1,
                                  "one_digit_off": False, "first_full": N1, "full_srow": 0,
                                  "partial_srow": 0, "full_list": "M", "partial_list": "M"}],
              others)  # fmt: skip
    _register(engine, t.DUP, [], _schema(mn=S, grp=S))
    engine.run(q.verdicts_sql())
    got = _rows(engine, f"SELECT rid, verdict, reasons, candidates FROM {t.VERDICTS} ORDER BY row")
    assert got == [
        {"rid": "R1", "verdict": "confirmed", "reasons": "", "candidates": None},
        {"rid": "R2", "verdict": "suspected_mislink", "reasons": "birth_differs",
         "candidates": None},
        {"rid": "R3", "verdict": "unlinked_match", "reasons": "", "candidates": "M"},
        {"rid": "R4", "verdict": "invalid_number", "reasons": "number_format",
         "candidates": None},
    ]  # fmt: skip
    rows = _rows(engine, outputs.verdicts_select(engine.dialect))
    labels = ["一致確認", "誤紐付けの疑い", "紐付け候補あり（一意に一致）", "個人番号の誤り"]
    assert [r["判定"] for r in rows] == labels
    assert rows[0]["state_from"] == "2015-01-01" and rows[2]["state_from"] is None


def test_formula_escape_in_sql(engine: Engine) -> None:
    """escape_sql: text starting like a formula gets a leading quote, as escape_formula."""
    values = ["=1+1", "+81", "-5", "@x", "R01", "", None]
    engine.register("esc_in", pa.table({"v": pa.array(values, pa.string())}))
    got = _rows(engine, f"SELECT v, {outputs.escape_sql('v')} AS e FROM esc_in")
    assert {r["v"]: r["e"] for r in got} == {v: escape_formula(v) for v in values}


def test_row_checks(engine: Engine) -> None:
    """checks: a blank cell (U+3000 counts), a repeated ID at its second row, the earliest row
    holding a value the parser refuses."""
    data = checks.Input("chk_in", Loaded(Path("x.csv"), pa.table({}), {}))  # row i: line i + 2
    rows = [{"row": 0, "rid": "A", "birth": "1980-01-02"},
            {"row": 1, "rid": "B", "birth": "1980-13-45"},
            {"row": 2, "rid": "A", "birth": "\u3000"},
            {"row": 3, "rid": "C", "birth": "1980-13-45"}]  # fmt: skip
    _register(engine, "chk_in", rows, _schema(row=I64, rid=S, birth=S))
    with pytest.raises(InputError, match="重複") as caught:
        checks.check_unique(engine, data, "rid")
    assert caught.value.location is not None and caught.value.location.row == 4
    with pytest.raises(InputError, match="空です") as caught:
        checks.dates(engine, [(data, "birth", True)])
    assert caught.value.location is not None and caught.value.location.row == 4
    with pytest.raises(InputError, match="読めません") as caught:
        checks.dates(engine, [(data, "birth", False)])
    assert caught.value.location is not None and caught.value.location.row == 3


_DATE_TEXTS = [
    "1980-01-02", "2020-02-29", "2019-02-29", "2019-02-30", "1980-13-01", "1980-00-10",
    "1980-01-00", "1980-01-32", "0000-01-01", "0001-01-01", "9999-12-31", "1980-1-2",
    "１９８０-０１-０２", " 1980-01-02", "1980-01-02 ", "1980/01/02", "S55.1.2", "19800102",
    "1980-01-02\n", "昭和55年1月2日", "3550102", "2008/4/26", "1980.1.2", "1980年1月2日",
    "1980年1月2", "1980-1.2", "2019/2/29", "1980/001/2", "1980//1", "1980年一月二日", "ー",
]  # fmt: skip


def _parsed(text: str) -> dt.date | None:
    try:
        return parse_date(text)
    except NormalizeError:
        return None


def test_dates_read_in_sql_are_parse_dates_answers(engine: Engine) -> None:
    """checks.western_date reads 1980-01-02, 1980/1/2, 1980.1.2 and 1980年1月2日 as parse_date
    does (a day that does not exist, year 0 and any other spelling are left to parse_date);
    checks.dates gives parse_date's date for every readable value, whichever side read it."""
    d = engine.dialect
    _register(engine, "iso_in", [{"v": v} for v in _DATE_TEXTS], _schema(v=S))
    got = {r["v"]: r["d"] for r in _rows(engine, f"SELECT v, {checks.western_date(d, 'v')} AS d "
                                                  "FROM iso_in")}  # fmt: skip
    read_in_sql = {v for v, day in got.items() if day is not None}
    assert read_in_sql == {
        "1980-01-02", "2020-02-29", "0001-01-01", "9999-12-31", "1980-1-2", "2008/4/26",
        "1980.1.2", "1980年1月2日", "1980年1月2", "1980-1.2", "1980/01/02",
    }  # fmt: skip
    assert all(got[v] == parse_date(v) for v in read_in_sql)
    readable = [v for v in _DATE_TEXTS if _parsed(v) is not None]
    data = checks.Input("dates_in", Loaded(Path("x.csv"), pa.table({}), {}))
    rows = [{"row": k, "birth": v} for k, v in enumerate(readable)]
    _register(engine, "dates_in", rows, _schema(row=I64, birth=S))
    checks.dates(engine, [(data, "birth", True)])
    table = {r["raw"]: r["d"] for r in _rows(engine, f"SELECT raw, d FROM {t.DATES}")}
    assert table == {v: parse_date(v) for v in readable}
    assert set(readable) - read_in_sql  # some went to parse_date


def test_blank_is_white_space_as_python_reads_it(engine: Engine) -> None:
    """checks.blank in SQL: NULL or only white space, the same set as str.strip (U+3000, the
    C0 separators); a zero-width space is not blank."""
    values = [" ", "\u3000", "\x1f", "\t\n\r\x0b\x0c", "\u2028", "", None, "\u200b", "a", " a "]
    engine.register("blank_in", pa.table({"v": pa.array(values, pa.string())}))
    got = _rows(engine, f"SELECT v, {checks.blank(engine.dialect, 'v')} AS b FROM blank_in")
    assert {r["v"]: r["b"] for r in got} == {v: v is None or not v.strip() for v in values}
