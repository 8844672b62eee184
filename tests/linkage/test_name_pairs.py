"""Name comparisons of linked pairs: decided in SQL where the keys settle it, else in Python,
and always compare_names' answer (with the 〓 rule of keys.name_comparisons)."""

from __future__ import annotations

import pyarrow as pa

from tenken.linkage import inspection, keys
from tenken.linkage import tables as t
from tenken.linkage.engine import Engine
from tenken.normalize.name import name_key

S, B, I64 = pa.string(), pa.bool_(), pa.int64()

# (record name, registry name): keys that differ, a 外字 on one side, a 〓 against a character
# outside JIS X 0208, an empty name, names whose keys agree but were flagged
_PAIRS = [
    ("山田　太郎", "山田　次郎"), ("山田\ue000郎", "山田　太郎"), ("〓田　太郎", "𠮷田　太郎"),
    ("〓田　太郎", "山田　太郎"), (None, "山田　太郎"), ("・", "・"), ("髙橋　一", "高橋　二"),
]  # fmt: skip


def test_name_comparisons_on_every_engine(engine: Engine) -> None:
    """name_cmp through the engine equals keys.name_comparisons on the pairs whose keys
    differ or were flagged: match, mismatch and unverifiable all occur."""
    rec, reg, lp = [], [], []
    for k, (a, b) in enumerate(_PAIRS):
        ak = None if not a else name_key(a)
        bk = None if not b else name_key(b)
        rec.append({"rid": f"R{k}", "nk": ak})
        reg.append({"row": k, "nk": bk})
        nk_eq = ak is not None and ak == bk and ak != "" and "\ufffd" not in ak
        lp.append({"rid": f"R{k}", "srow": k, "rname": a, "sname": b, "nk_eq": nk_eq})
    schema = {
        t.REC: pa.schema([("rid", S), ("nk", S)]),
        t.REG: pa.schema([("row", I64), ("nk", S)]),
        t.LP: pa.schema([("rid", S), ("srow", I64), ("rname", S), ("sname", S), ("nk_eq", B)]),
    }
    for name, rows in ((t.REC, rec), (t.REG, reg), (t.LP, lp)):
        engine.register(name, pa.Table.from_pylist(rows, schema=schema[name]))
    inspection.name_comparisons(engine)
    got = engine.arrow(f"SELECT a, b, status FROM {t.NAME_CMP}").to_pylist()
    pairs = [(a, b) for (a, b), row in zip(_PAIRS, lp, strict=True) if not row["nk_eq"]]
    table = pa.table({"a": [a for a, _ in pairs], "b": [b for _, b in pairs]})
    expected = keys.name_comparisons(table).to_pylist()
    assert sorted(got, key=str) == sorted(expected, key=str)
    assert {r["status"] for r in got} == {"match", "mismatch", "unverifiable"}
