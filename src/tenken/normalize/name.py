"""Names (氏名), kanji and kana, compared by meaning rather than notation.

``name_key`` folds width (NFKC), hiragana/katakana, spaces, commas, the case of latin letters
(foreign residents: ``Jones Robert`` = ``JONES ROBERT`` = ``ＪＯＮＥＳ　ＲＯＢＥＲＴ``) and 異体字
(tenken's own table, see :mod:`tenken.normalize.itaiji`); ``kana_key`` folds a reading to katakana
with optional small-kana and long-vowel folding, and ``reading_key`` folds every notation of one
reading (サトー = サトウ, エイジユ = エイジュ, ヂ = ジ) for the inspection's kana evidence.
Characters that cannot be compared — private-use 外字, 〓, ？, symbols and
emoji — make a name ``unverifiable``; :func:`compare_names` then answers "unverifiable" instead of
"mismatch" unless the comparable characters already differ.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from tenken.normalize import itaiji
from tenken.normalize._text import clean, hira_to_kata

Comparison = Literal["match", "mismatch", "unverifiable"]

#: Stands for one character that cannot be compared, in keys.
UNKNOWN = "\ufffd"
_MAX_CHARS = 200
_CACHE_SIZE = 1 << 18
_SMALL_KANA = str.maketrans("ァィゥェォッャュョヮヵヶ", "アイウエオツヤユヨワカケ")
# Variation selectors (IVS U+E0100–E01EF, SVS U+FE00–FE0F) choose a glyph of the character
# before them (葛󠄀 / 葛): one character, one name (JIS包摂; the registry's MJ 字形 and a
# system's plain form agree).
_VARIATION_SELECTORS = [chr(c) for c in (*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0))]
_IGNORED = str.maketrans(dict.fromkeys([*" ・=＝,、.", *_VARIATION_SELECTORS], ""))
_ALLOWED_SYMBOLS = set("々〆ヽヾゝゞー・=.,、'-")


def _is_unverifiable(ch: str) -> bool:
    """外字 (private use), 〓, ?, replacement characters, symbols and emoji."""
    if ch in _ALLOWED_SYMBOLS or ch == " ":
        return False
    if ch in "〓?\ufffd":
        return True
    category = unicodedata.category(ch)
    return category in ("Co", "Cn", "Cs", "So", "Sk", "Sm", "Sc") or category.startswith("P")


@dataclass(frozen=True)
class Name:
    """A normalised name: comparison key, the surname/given split when written, and flags."""

    key: str
    surname: str
    given: str
    unverifiable: bool
    text: str  # cleaned input (NFKC, single spaces)
    kana: bool  # written in kana only
    unverifiable_chars: tuple[str, ...] = ()


def _fold(text: str) -> str:
    """Cleaned text → key: 異体字 and kana folded, spaces dropped, 外字 → U+FFFD."""
    folded = hira_to_kata(itaiji.fold(text)).translate(_IGNORED)
    if folded.isascii() or any("a" <= ch <= "z" for ch in folded):
        folded = folded.upper()  # latin letters: case is notation (NFKC already folded width)
    return "".join(UNKNOWN if _is_unverifiable(ch) else ch for ch in folded)


@lru_cache(maxsize=_CACHE_SIZE)
def normalize_name(text: str) -> Name:
    """Normalise a kanji or kana name; never raises for a ``str``."""
    value = clean(text if isinstance(text, str) else "", limit=_MAX_CHARS)
    parts = value.split(" ", 1)
    surname, given = (parts[0], parts[1]) if len(parts) == 2 else (value, "")
    bad = tuple(dict.fromkeys(ch for ch in value if _is_unverifiable(ch)))
    letters = [ch for ch in value if ch != " "]
    is_kana = bool(letters) and all(
        "\u3041" <= ch <= "\u30ff" or ch in _ALLOWED_SYMBOLS for ch in letters
    )
    return Name(
        key=_fold(value),
        surname=surname,
        given=given,
        unverifiable=bool(bad),
        text=value,
        kana=is_kana,
        unverifiable_chars=bad,
    )


@lru_cache(maxsize=_CACHE_SIZE)
def name_key(text: str) -> str:
    """Comparison key of a (kanji) name: 異体字 folded, spaces removed (cached)."""
    return normalize_name(text).key


def own_keys(chars: str) -> str:
    """The characters of ``chars`` that are their own ``name_key`` (nothing folds them), in
    their order: what an engine may leave as it is in a key."""
    stable = unicodedata.normalize("NFKC", chars) == chars and chars.translate(_IGNORED) == chars
    if stable and not any("a" <= ch <= "z" for ch in chars):
        # one pass of _fold over all of them: with nothing composed, dropped or upper-cased
        # as a whole, it maps each character as it maps it alone
        folded = _fold(chars)
        if len(folded) == len(chars):
            return "".join(ch for ch, key in zip(chars, folded, strict=True) if ch == key)
    return "".join(ch for ch in chars if name_key(ch) == ch)


@lru_cache(maxsize=_CACHE_SIZE)
def kana_key(text: str, *, small: bool = False, long_vowel: bool = False) -> str:
    """Comparison key of a kana name: katakana, width folded, spaces removed (cached).

    ``small`` folds small kana to full size (ッ → ツ); ``long_vowel`` drops ー.
    """
    value = hira_to_kata(clean(text if isinstance(text, str) else "", limit=_MAX_CHARS))
    value = value.translate(_IGNORED)
    if small:
        value = value.translate(_SMALL_KANA)
    if long_vowel:
        value = value.replace("ー", "")
    return "".join(UNKNOWN if _is_unverifiable(ch) else ch for ch in value)


_READING_FOLD = str.maketrans("ヂヅヲヴヰヱ", "ジズオブイエ")
_VOWEL_ROWS = {
    "ア": "アカサタナハマヤラワガザダバパ",
    "イ": "イキシチニヒミリギジヂビピ",
    "ウ": "ウクスツヌフムユルグズヅブプ",
    "エ": "エケセテネヘメレゲゼデベペ",
    "オ": "オコソトノホモヨロヲゴゾドボポ",
}
#: Kana whose vowel a following vowel kana lengthens: ア after the ア row, ..., and the usual
#: spellings of long vowels ウ after the オ row (サトウ = サトー) and イ after the エ row (エイジ).
_LENGTHENED = (
    {(row_char, vowel) for vowel, row in _VOWEL_ROWS.items() for row_char in row}
    | {(ch, "ウ") for ch in _VOWEL_ROWS["オ"]}
    | {(ch, "イ") for ch in _VOWEL_ROWS["エ"]}
)


@lru_cache(maxsize=_CACHE_SIZE)
def reading_key(text: str) -> str:
    """One key for every notation of a reading: width and script, small kana (エイジユ = エイジュ),
    long vowels written ー or with a vowel kana (サトー = サトウ = サトオ), ヂ/ジ, ヅ/ズ, ヲ/オ.

    Coarser than a kana name: it is only used to say whether two kana readings could be the
    same name (kana is not one of the four facts and never decides a verdict alone).
    """
    value = kana_key(text, small=True, long_vowel=True).translate(_READING_FOLD)
    out: list[str] = []
    for ch in value:
        if out and (out[-1], ch) in _LENGTHENED:
            continue
        out.append(ch)
    return "".join(out)


def compare_keys(a: str, b: str) -> Comparison:
    """Compare two keys where U+FFFD stands for one character that cannot be compared."""
    if UNKNOWN not in a and UNKNOWN not in b:
        return "match" if a == b else "mismatch"
    if len(a) != len(b):
        pattern = re.escape(a).replace(re.escape(UNKNOWN), ".+")
        other = re.escape(b).replace(re.escape(UNKNOWN), ".+")
        could = bool(re.fullmatch(pattern, b.replace(UNKNOWN, "x"))) or bool(
            re.fullmatch(other, a.replace(UNKNOWN, "x"))
        )
        return "unverifiable" if could else "mismatch"
    for x, y in zip(a, b, strict=True):
        if x != y and UNKNOWN not in (x, y):
            return "mismatch"
    return "unverifiable"


def compare_names(a: str, b: str, *, kana: bool = False) -> Comparison:
    """ "match", "mismatch" or "unverifiable" (when 外字 etc. leave the answer open).

    ``kana=True`` compares readings with :func:`reading_key`.
    """
    if kana:
        return compare_keys(reading_key(a), reading_key(b))
    return compare_keys(name_key(a), name_key(b))
