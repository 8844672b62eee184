"""Python-side name work the engines call once per distinct value (never once per row), and
the character classes their SQL shares with it.

:meth:`~tenken.linkage.engine.Engine.lookup` maps these functions over a query's distinct
values (DuckDB in forked workers, :mod:`tenken.linkage.fanout`; Spark on the executors) and
SQL joins the small ``raw`` -> result table back. Dates and sexes, which can be refused, are
parsed and checked by :mod:`tenken.linkage.checks` (through the engine, the same on every
engine).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

import pyarrow as pa

from tenken.normalize.gaiji import geta_stands_for
from tenken.normalize.name import compare_names, name_key, normalize_name, own_keys

# Names made only of these characters cannot hold a 外字 (a sound pre-filter: any other
# character sends the name to normalize_name, which decides). A regex character class, read
# by the engines (sql.name_split_sql). Not ゠ (U+30A0, punctuation) nor the unassigned U+3040,
# U+3097 and U+3098: normalize_name calls those unverifiable.
PLAIN_NAME_CHARS = (
    "[\u3400-\u4dbf\u4e00-\u9fff\u3041-\u3096\u3099-\u309f\u30a1-\u30ff\u31f0-\u31ff\uff66-\uff9f"
    "A-Za-z0-9\uff10-\uff19\uff21-\uff3a\uff41-\uff5a \u3000]"
)


def unverifiable_flag(name: str) -> str:
    """ "1" when ``name`` holds a character that cannot be compared (外字, 〓, ?), else "0"
    (a string: :meth:`~tenken.linkage.engine.Engine.lookup` maps text to text)."""
    return "1" if normalize_name(name).unverifiable else "0"


# A name part made only of characters that NFKC leaves alone and that never compose across a
# space: kanji (URO and extension A), 々, hiragana without the spacing sound marks, katakana
# without ・ and ヿ. For "A B" or "A　B" with such parts, clean() gives "A B" and _fold works
# character by character and drops the space, so name_key("A B") == name_key(A) + name_key(B).
_PART_RANGES = ((0x3005, 0x3005), (0x3041, 0x3096), (0x30A1, 0x30FA), (0x30FC, 0x30FE),
                (0x3400, 0x4DBF), (0x4E00, 0x9FFF))  # fmt: skip
"""The code points of a name part (below)."""
_RANGES = "".join(chr(lo) if lo == hi else f"{chr(lo)}-{chr(hi)}" for lo, hi in _PART_RANGES)
_PART = f"[{_RANGES}]+"
PART_CLASS = f"[{_RANGES} \u3000]"
"""A character of a name part, or a space: the names the engines may key themselves."""
TWO_PARTS = f"({_PART})[ \u3000]({_PART})"
"""A name the engines split into surname and given name (groups 1 and 2), whose key is then
``name_key(surname) + name_key(given)``: see :func:`tenken.linkage.sql.name_split_sql`."""
_TWO_PARTS = re.compile(TWO_PARTS)
SPLIT_MAX = 200  # name_key cuts longer text (normalize.name._MAX_CHARS): never split those


@cache
def folded_part_chars() -> str:
    """The characters of :data:`_PART` that ``name_key`` changes (異体字, hiragana, ...). A name
    of the others and spaces is its own key without the spaces (the engines key it in SQL:
    :func:`tenken.linkage.sql.name_split_sql`); a few thousand characters."""
    chars = "".join(chr(c) for lo, hi in _PART_RANGES for c in range(lo, hi + 1))
    own = set(own_keys(chars))
    return "".join(ch for ch in chars if ch not in own)


def split_name_keys(names: Sequence[str]) -> list[str]:
    """``name_key`` of each name by the engines' rule (:data:`TWO_PARTS`), in Python: the
    reference the split is tested against (``tests/linkage/test_keys.py``). Equal to
    ``[name_key(n) for n in names]``.
    """
    result: list[str] = []
    for name in names:
        match = _TWO_PARTS.fullmatch(name) if len(name) <= SPLIT_MAX else None
        if match is None:
            result.append(name_key(name))
            continue
        surname, given = match.groups()
        result.append(name_key(surname) + name_key(given))
    return result


def _compare(a: str, b: str) -> str:
    """compare_names, with a 〓 where the other name holds a character outside JIS X 0208
    taken as that character's degeneration (docs/address-key.md, "外字")."""
    status = compare_names(a, b)
    return "match" if status == "unverifiable" and geta_stands_for(a, b) else status


NAME_CMP_SCHEMA = pa.schema([("a", pa.string()), ("b", pa.string()), ("status", pa.string())])
"""The columns of :func:`name_comparisons`."""


def name_comparisons(pairs: pa.Table) -> pa.Table:
    """``a``, ``b`` -> ``status`` (match / mismatch / unverifiable) for distinct name pairs."""
    a, b = pairs.column("a").to_pylist(), pairs.column("b").to_pylist()
    status = [_compare(x or "", y or "") for x, y in zip(a, b, strict=True)]
    return pa.table(
        {"a": pa.array(a, pa.string()), "b": pa.array(b, pa.string()), "status": status}
    )
