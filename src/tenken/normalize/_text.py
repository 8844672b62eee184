"""Text helpers shared by the normalisers: cleaning, dashes, kana and kanji numerals.

Everything here is pure and cheap; the address, name and date modules build on it.
"""

from __future__ import annotations

import re
import unicodedata

#: Longest input any normaliser looks at; longer text is cut (addresses and names are short).
MAX_INPUT_CHARS = 1000

#: Every character that people (or IMEs) use for a hyphen between numbers.
DASHES = "-‐‑‒–—―−⁃﹣－─━"
_DASH_TABLE = str.maketrans(dict.fromkeys(DASHES, "-"))
_OTHER_DASH = re.compile("[" + re.escape(DASHES.replace("-", "")) + "]")

#: Katakana long-vowel marks that become a hyphen when they follow a digit.
LONG_VOWELS = "ーｰ"

_CONTROL_OR_FORMAT = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]"
)
_WHITESPACE = re.compile(r"[\s\u3000]+")

KANJI_DIGITS = "〇一二三四五六七八九"
KANJI_NUMERALS = KANJI_DIGITS + "十百千"
_KANJI_DIGIT_VALUE = {ch: i for i, ch in enumerate(KANJI_DIGITS)} | {
    "零": 0,
    "壱": 1,
    "弐": 2,
    "参": 3,
}
_KANJI_UNIT_VALUE = {"十": 10, "百": 100, "千": 1000, "拾": 10}

_HIRA_TO_KATA = str.maketrans(
    {chr(c): chr(c + 0x60) for c in range(0x3041, 0x3097)} | {"ゝ": "ヽ", "ゞ": "ヾ"}
)


def clean(text: str, limit: int = MAX_INPUT_CHARS) -> str:
    """NFKC, control and zero-width characters dropped, whitespace runs made one space.

    Text longer than ``limit`` is cut first, so a 10 MB string costs no more than a short one.
    """
    text = text[: limit * 2]
    if text.isprintable():  # the usual case: no control, format or non-ASCII space character
        text = unicodedata.normalize("NFKC", text)
        if "  " in text:
            text = _WHITESPACE.sub(" ", text)
        return text.strip(" ")[:limit]
    text = _CONTROL_OR_FORMAT.sub("", text)
    text = unicodedata.normalize("NFKC", text)
    text = _WHITESPACE.sub(" ", text).strip()
    return text[:limit]


#: A long-vowel mark after a digit, or between a kanji numeral or block unit and a number. The
#: mark comes first in the pattern (the look-behinds after it) so the regex engine can skip to
#: the next ー/ｰ instead of trying both look-behinds at every position.
_LONG_VOWEL_AS_DASH = re.compile(
    r"[ーｰ](?:(?<=[0-9][ーｰ])"
    r"|(?<=[〇一二三四五六七八九十目番地号][ーｰ])(?=[0-9〇一二三四五六七八九十]))"
)


def unify_dashes(text: str) -> str:
    """Every dash look-alike becomes ``-``; a long-vowel mark after a digit does too."""
    if _OTHER_DASH.search(text) is not None:
        text = text.translate(_DASH_TABLE)
    if "ー" in text or "ｰ" in text:
        text = _LONG_VOWEL_AS_DASH.sub("-", text)
    return text


def hira_to_kata(text: str) -> str:
    """Hiragana to katakana (ゝゞ too); everything else unchanged."""
    return text.translate(_HIRA_TO_KATA)


def kanji_to_int(text: str) -> int | None:
    """Value of a kanji numeral: 二十三 → 23, 百二 → 102, 一〇五 → 105; None if not a numeral.

    Positional notation (一〇五, 二三) and 十/百/千 notation are both understood.
    """
    if not text:
        return None
    if all(ch in _KANJI_DIGIT_VALUE for ch in text):
        value = 0
        for ch in text:
            value = value * 10 + _KANJI_DIGIT_VALUE[ch]
        return value
    total = 0
    digit: int | None = None
    last_unit = 10_000
    for ch in text:
        if ch in _KANJI_DIGIT_VALUE:
            if digit is not None:
                return None
            digit = _KANJI_DIGIT_VALUE[ch]
        elif ch in _KANJI_UNIT_VALUE:
            unit = _KANJI_UNIT_VALUE[ch]
            if unit >= last_unit:
                return None  # units only descend: 十五千 is 十五 + 千..., not a number
            total += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
        else:
            return None
    return total + (digit or 0)


_NUMERAL_RUN = re.compile("[〇一二三四五六七八九十百千壱弐参拾]+")
#: One numeral character: to ask whether there is any, a search for one character is much
#: cheaper than for the run (the regex engine tries the repeat at every position).
_NUMERAL = re.compile("[〇一二三四五六七八九十百千壱弐参拾]")
#: A lone 十/百/千 is a number before a unit or separator (北十条, 十番, 十-1) or after a block unit
#: (12番地十, 3-十); elsewhere it is part of a name (十日町, 千葉, 古豊千608), which the
#: reference spells the same way.
_LONE_UNIT_AFTER = frozenset("条條丁番号號線地-のノ")
_LONE_UNIT_BEFORE = frozenset("地番目号の之ノ-")
_PLACE_WORD = re.compile(r"(?<=[0-9])(?:番丁|町目)")
_UNIT_OR_ZERO = re.compile("[十百千拾〇零]")
_DIGIT_TABLE = str.maketrans({ch: str(v) for ch, v in _KANJI_DIGIT_VALUE.items() if v})
_PLACE_WORD_FOLD = {"番丁": "番町", "町目": "丁目"}


def _arabic(match: re.Match[str]) -> str:
    run = match.group()
    text, start, end = match.string, match.start(), match.end()
    if len(run) == 1 and run in "十百千拾":
        after = text[end : end + 1]
        before = text[start - 1 : start]
        if after not in _LONE_UNIT_AFTER and before not in _LONE_UNIT_BEFORE:
            return run
    value = kanji_to_int(run)
    if value is not None:
        return str(value)
    # A name that ends in a numeral right before a number: 三分一六百三十 is 三分一 + 630,
    # 十二六百五十八 is 十二 (a town) + 658, 十五千二百五十四 is 十五 + 1254 (longest name first).
    for cut in range(len(run) - 1, 0, -1):
        if cut > 1 and all(ch in _KANJI_DIGIT_VALUE for ch in run[:cut]):
            continue  # a name does not end in positional digits (三分一六百: 一 + 六百)
        value = kanji_to_int(run[cut:])
        head = kanji_to_int(run[:cut])
        if value is not None and head is not None:
            return f"{head}{value}"
    return run


def _digits(match: re.Match[str]) -> str:
    return match.group().translate(_DIGIT_TABLE)


def arabic_numerals(text: str) -> str:
    """Kanji numerals as arabic digits: 八百十番地二十 → 810番地20, 北二十四条 → 北24条,
    一二三四 → 1234, 壱丁目 → 1丁目; then 7番丁 → 7番町 and 1町目 → 1丁目.

    Applied to addresses *and* to the reference's place names, so a name that holds a numeral
    (九十九里町 → 99里町, 八千代市 → 8000代市) is spelt the same way on both sides.
    """
    if _NUMERAL.search(text) is None:
        pass
    elif _UNIT_OR_ZERO.search(text) is None:
        # digits only (三田, 五祝町): one for one. Translating only the runs, not the whole
        # text: str.translate with a dict is slow per character for non-ASCII text.
        text = _NUMERAL_RUN.sub(_digits, text)
    else:
        text = _NUMERAL_RUN.sub(_arabic, text)
    if "番丁" in text or "町目" in text:
        text = _PLACE_WORD.sub(lambda m: _PLACE_WORD_FOLD[m.group()], text)
    return text


def number_value(token: str) -> int | None:
    """Value of an arabic or kanji number token."""
    if token.isascii() and token.isdigit():
        return int(token)
    return kanji_to_int(token)
