""":func:`tenken.normalize.name.reading_key` in SQL, for the readings nearly every file holds.

A reading (フリガナ) written only in kana, half-width kana, ー, ・ and spaces is keyed by the
engine, with tables generated here from the Python rules themselves (so the rule stays in
:mod:`tenken.normalize.name`):

1. a half-width kana followed by ﾞ or ﾟ becomes the one character NFKC composes them into
   (:data:`COMPOSED`); a sound mark anywhere else sends the reading to Python;
2. every character becomes ``reading_key`` of that character alone (:data:`IMAGES`: width,
   script, small kana, ヂ/ジ, ... folded; spaces, ー and ・ dropped) — NFKC works character by
   character on this alphabet and the rest of ``kana_key`` is a per-character map;
3. the long-vowel rule, which reads across the dropped spaces (サト ウ = サトウ = サト): a
   vowel kana that lengthens the kana before it is dropped, however many follow
   (:data:`LENGTHENED`, one regular expression built from ``name._LENGTHENED``).

Readings longer than :data:`SQL_MAX` (``clean`` cuts them) or holding any other character
(kanji, letters, combining marks, 外字) go to ``reading_key`` itself. ``tests/linkage/
test_readings.py`` checks that the SQL equals ``reading_key`` on every engine.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from tenken.linkage.engine import Dialect, char_class
from tenken.normalize import name as _name
from tenken.normalize.name import UNKNOWN, reading_key

SQL_MAX = _name._MAX_CHARS
"""Longest reading keyed in SQL (``clean`` cuts nothing up to the normaliser's limit)."""

_MARKS = ("\uff9e", "\uff9f")  # ﾞ ﾟ
_CANDIDATES = (
    [" ", "\u3000"]
    + [chr(c) for c in range(0x3041, 0x3100)]
    + [chr(c) for c in range(0xFF61, 0xFFA0)]
)


def _keyed_alone(ch: str) -> bool:
    """A character SQL keys by itself: NFKC makes it one character that composes with no
    neighbour (no combining mark), and its reading key is '' or one comparable character."""
    nfkc = unicodedata.normalize("NFKC", ch)
    if ch in " \u3000":
        return True
    if len(nfkc) != 1 or unicodedata.combining(nfkc) or nfkc.isspace():
        return False
    key = reading_key(ch)
    return len(key) <= 1 and UNKNOWN not in key


@cache
def images() -> dict[str, str]:
    """Each character of the alphabet -> ``reading_key`` of it alone."""
    return {ch: reading_key(ch) for ch in _CANDIDATES if _keyed_alone(ch)}


@cache
def composed() -> dict[str, str]:
    """Half-width kana + ﾞ/ﾟ -> the character NFKC composes them into (ｶﾞ -> ガ)."""
    pairs: dict[str, str] = {}
    for code in range(0xFF61, 0xFF9E):
        for mark in _MARKS:
            nfkc = unicodedata.normalize("NFKC", chr(code) + mark)
            if len(nfkc) == 1 and nfkc in images():
                pairs[chr(code) + mark] = nfkc
    return pairs


@cache
def lengthened() -> tuple[str, int]:
    """The long-vowel rule as (pattern, groups): one alternative ``([kana])[vowels]+`` per set
    of vowels that lengthen a kana, replaced by the kana (its group)."""
    vowels: dict[str, set[str]] = {}
    for before, vowel in _name._LENGTHENED:
        vowels.setdefault(before, set()).add(vowel)
    by_set: dict[frozenset[str], list[str]] = {}
    for before, lengthening in vowels.items():
        by_set.setdefault(frozenset(lengthening), []).append(before)
    alternatives = [
        f"([{''.join(sorted(before))}])[{''.join(sorted(lengthening))}]+"
        for lengthening, before in sorted(by_set.items(), key=lambda item: sorted(item[1]))
    ]
    return "|".join(alternatives), len(alternatives)


def reading_text_sql(d: Dialect, expr: str) -> str:
    """SQL: ``expr`` with its half-width sound marks composed (step 1 of the module text)."""
    has_mark = " OR ".join(d.contains_text(expr, mark) for mark in _MARKS)
    joined = expr
    for pair, one in composed().items():
        joined = f"replace({joined}, {d.literal(pair)}, {d.literal(one)})"
    return f"CASE WHEN {has_mark} THEN {joined} ELSE {expr} END"


def reading_key_sql(d: Dialect, raw: str, text: str) -> str:
    """SQL: ``reading_key(raw)`` where the engine can key it, else NULL; ``text`` is
    :func:`reading_text_sql` of ``raw`` (a column of an inner query: it is read twice)."""
    pattern, groups = lengthened()
    key = d.replace_all(d.map_chars(text, images()), pattern, groups)
    alphabet = char_class("".join(images())) + "*"
    return (
        f"CASE WHEN {d.length(raw)} <= {SQL_MAX} AND {d.full_match(text, alphabet)} THEN {key} END"
    )
