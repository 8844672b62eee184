"""The address fast path: most notation variants made equal in the engine, without Python.

Comparing two addresses means comparing :func:`tenken.normalize.address.address_key` of both,
about 25 µs of Python per distinct value. At national scale most values that differ as written
differ only in notation (「５丁目４番３号」 against 「5-4-3」), so the engine first rewrites every
value with a *pre-canonicalisation* ``C``, column at a time in SQL, such that

    address_key(C(x)) == address_key(x)        for every string x.

Then ``C(a) == C(b)`` proves ``address_key(a) == address_key(b)`` without calling Python, and
only the distinct ``C`` values of pairs that still differ go to the normaliser.

``C`` is the identity unless a value is plainly safe to rewrite; when in doubt it leaves the
value alone, which is always correct (only slower). The steps:

1. **prepare** (what ``address.prepare`` does, for values made only of characters whose NFKC
   form is themselves or a full-width ASCII character): full-width ASCII to ASCII, U+3000 to a
   space, every dash look-alike to ``-``, spaces dropped. Values with a postal code in front, a
   long-vowel mark after a number, digits on both sides of a space, or over 1,000 characters are
   left alone.
2. **kanji 丁目**: 「五丁目」 → 「5丁目」 (the normaliser's place lookup folds kanji digits
   anyway, so only the number reading sees the change, and it reads both as 5).
3. **block numbers**: 「5丁目4番3号」「5丁目4番地3」「5-4番3」「5丁目4の3」 → 「5-4-3」 and
   「4番地3」「4の3」 → 「4-3」, when the numbers come right after a place name ``P`` without
   digits and are followed by nothing number-like.

Step 3 is only sound when no place name of the reference reaches into the numbers (towns such
as 「本町4丁目」「3丁目」「1番町」「10号」). :func:`place_guard` decides that per distinct
``P`` from the normaliser's own reference tables: ``P`` is safe when its folded text ends with
no prefix of such a name (and with no municipality that has towns starting with a digit).
When it is not safe the value keeps step 1 only. Only the places a regular expression built
from the same tables finds (:func:`_maybe_unsafe`, a few in a thousand) are checked in Python.

The SQL is written for cost as well: a regex whose groups run to the end of the text costs
several times its full match, so groups are taken only where a full match has been seen, and
the common forms are rewritten with short ``^``-anchored patterns (:meth:`Dialect.rewrite`).

The property test (tests/linkage/test_fastpath.py) checks ``address_key(C(x)) ==
address_key(x)`` on generated addresses in every notation, the dangerous towns included; it is
what keeps this module right when the normaliser changes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pyarrow as pa

from tenken.linkage.engine import Dialect, Engine, Step
from tenken.linkage.tables import ADDR_CANON, ADDR_PRE, KANJI_NUM, PLACE_OK
from tenken.normalize import _reference
from tenken.normalize._blocks import BLOCK_START
from tenken.normalize._reference import Reference, fold_place
from tenken.normalize._text import DASHES, KANJI_DIGITS, kanji_to_int

_OTHER_DASHES = "".join(ch for ch in DASHES if ch != "-")

#: Characters ``from`` -> ``to`` of step 1 (one character for one character). Other full-width
#: characters stay: the normaliser folds them itself, so leaving them only costs speed.
_WIDE_FROM, _WIDE_TO = "０１２３４５６７８９\u3000", "0123456789 "
PREPARE_FROM = _WIDE_FROM + _OTHER_DASHES
PREPARE_TO = _WIDE_TO + "-" * len(_OTHER_DASHES)

#: Characters a value may hold to be rewritten: each is its own NFKC form, or a full-width
#: form of ASCII, or in :data:`PREPARE_FROM` (tests/linkage/test_fastpath.py checks them all).
SAFE_CHARS = (
    " -~"  # printable ASCII
    "\u3000-\u3002\u3005-\u3007\u300c-\u300f\u3012"  # 　、。々〆〇「」『』〒
    "\u3041-\u3096\u309d\u309e\u30a1-\u30fe"  # hiragana, katakana (no combining marks)
    "\u3400-\u4dbf\u4e00-\u9fff"  # kanji (not the compatibility block, which NFKC changes)
    "\uff01-\uff5e" + _OTHER_DASHES
)

MAX_CHARS = 1000  # tenken.normalize._text.MAX_INPUT_CHARS: longer text is cut by clean()

_K = "〇一二三四五六七八九十百千"
_UNITS = "丁目番地号のノ之"
_ONE_TO_NINE = KANJI_DIGITS[1:]
# Where step 1 would differ from the normaliser's own preparation: a postal code in front,
# a long-vowel mark that unify_dashes turns into a hyphen, a space kept between two digits.
# Read on the text with its spaces (`` *`` after ``^``: the normaliser strips them first; a
# value of SAFE_CHARS holds no other white space once U+3000 is a space).
_LEAVE_ALONE = f"^ *[0-9〒]|[0-9{_K}目番地号] *ー|[0-9{_K}] +[0-9{_K}]"
_PLACE = f"([^0-9-]*[^0-9{_K}{_UNITS}ー-])"
_NUM = "([0-9]{1,5})"
_REST = f"((?:[^0-9{_K}{_UNITS}ー-].*)?)"
# Kanji numbers of a whole block part (三丁目十二番二十三号, 八百十番地二十, 一二三四番地五): each
# run read by the table of :func:`kanji_numbers`, exactly as arabic_numerals reads it. The
# place and the rest must not end/start with a numeral (a run would go on) or a unit.
_NUMERAL = _K + "壱弐参拾零"
_KPLACE = f"([^0-9-]*[^0-9{_NUMERAL}{_UNITS}ー-])"
_KNUM = f"([{_K}]{{1,8}})"
_KREST = f"((?:[^0-9{_NUMERAL}{_UNITS}ー-].*)?)"
KANJI_THREE = f"^{_KPLACE}{_KNUM}(丁目){_KNUM}(番地|番){_KNUM}(号?){_KREST}$"
KANJI_TWO = f"^{_KPLACE}{_KNUM}(番地|番){_KNUM}(号?){_KREST}$"
KANJI_NUMBER_MAX = 9999
# A room written 202号室 at the end of the 方書 counts as 202 (the TAIL keeps its number only)
ROOM_SUFFIX = "^(.*[^0-9])([0-9]{1,5})号室$"
KANJI_CHOME = f"^([^0-9]*[^0-9{_K}])([{_ONE_TO_NINE}])丁目([0-9].*)$"
THREE_NUMBERS = f"^{_PLACE}{_NUM}(?:丁目|-){_NUM}(?:番地|番|-|の|ノ){_NUM}号?{_REST}$"
TWO_NUMBERS = f"^{_PLACE}{_NUM}(?:番地|番|-|の|ノ){_NUM}号?{_REST}$"


def _kanji_forms(n: int) -> tuple[str, ...]:
    """The kanji spellings of ``n``: with 十/百/千 (一 before them or not) and positional."""
    digits = KANJI_DIGITS
    positional = "".join(digits[int(c)] for c in str(n))
    parts: list[tuple[str, str]] = []
    rest = n
    for value, unit in ((1000, "千"), (100, "百"), (10, "十")):
        q, rest = divmod(rest, value)
        if q:
            parts.append((digits[q] if q > 1 else "", unit))
    tail = digits[rest] if rest else ""
    short = "".join(a + u for a, u in parts) + tail
    long = "".join((a or "一") + u for a, u in parts) + tail
    return (positional, short, long)


def kanji_numbers() -> pa.Table:
    """``k`` -> ``n``: every kanji spelling of 1 to :data:`KANJI_NUMBER_MAX` and its arabic
    digits as the normaliser writes them (``str(kanji_to_int(k))``: one rule, its own)."""
    found: dict[str, str] = {}
    for n in range(1, KANJI_NUMBER_MAX + 1):
        for form in _kanji_forms(n):
            value = kanji_to_int(form)
            if value is not None:
                found.setdefault(form, str(value))
    return pa.table({"k": list(found), "n": list(found.values())})


def _kanji_block(d: Dialect, source: str) -> str:
    """``source`` (raw, t) with ``k0``: ``t`` with the kanji numbers of a whole block part in
    arabic digits (:data:`KANJI_THREE` / :data:`KANJI_TWO`, numbers found in ``kanji_num``),
    else ``t``. The patterns are tried only on values holding a numeral before 丁/番 (about one
    in ten), :data:`KANJI_THREE` once (``m3``, NULL without such a numeral); nested CASEs,
    because an engine may evaluate both sides of an AND on every row."""
    k3 = d.extract_groups("t", KANJI_THREE, ("p", "a", "ua", "b", "ub", "c", "uc", "r"))
    k2 = d.extract_groups("t", KANJI_TWO, ("p", "b", "ub", "c", "uc", "r"))
    has = d.contains_match("t", f"[{_K}][丁番]")
    three = d.full_match("t", KANJI_THREE)
    two = d.full_match("t", KANJI_TWO)
    return f"""SELECT raw, t, CASE
    WHEN g.p3 <> '' AND na.n IS NOT NULL AND nb.n IS NOT NULL AND nc.n IS NOT NULL
      THEN g.p3 || na.n || g.k3.ua || nb.n || g.k3.ub || nc.n || g.k3.uc || g.k3.r
    WHEN g.p2 <> '' AND nb.n IS NOT NULL AND nc.n IS NOT NULL
      THEN g.p2 || nb.n || g.k2.ub || nc.n || g.k2.uc || g.k2.r
    ELSE t END AS k0
  FROM (SELECT raw, t, k3, k2, coalesce(k3.p, '') AS p3, coalesce(k2.p, '') AS p2,
      coalesce(k3.a, '') AS ka, coalesce(k3.b, k2.b, '') AS kb, coalesce(k3.c, k2.c, '') AS kc
    FROM (SELECT raw, t, CASE WHEN m3 THEN {k3} END AS k3,
        CASE WHEN NOT m3 THEN CASE WHEN {two} THEN {k2} END END AS k2
      FROM (SELECT raw, t, CASE WHEN {has} THEN {three} END AS m3 FROM ({source}) kn0) kn1) kn2) g
  LEFT JOIN {KANJI_NUM} na ON g.ka = na.k LEFT JOIN {KANJI_NUM} nb ON g.kb = nb.k
  LEFT JOIN {KANJI_NUM} nc ON g.kc = nc.k"""


# Once THREE_NUMBERS / TWO_NUMBERS match a value entirely, the place is everything before the
# first digit, each number a whole digit run and each separator the whole run between two:
# these short patterns then rewrite the value without the costly groups of the full patterns
# (which run to the end of the text), and the rest after them is kept as it stands.
PLACE_PREFIX = "^([^0-9]*)"
REWRITE_THREE = "^([^0-9]*)([0-9]+)[^0-9]+([0-9]+)[^0-9]+([0-9]+)号?"
REWRITE_TWO = "^([^0-9]*)([0-9]+)[^0-9]+([0-9]+)号?"


def canonical_steps(d: Dialect, source: str) -> tuple[Step, Step]:
    """Two steps over ``source`` (a query with one string column ``v``, distinct values):

    ``addr_pre`` (raw, t, p, cand): step 1's text ``t`` (NULL when the value is left alone),
    the candidate of steps 2-3 and the place ``p`` whose safety decides it; then, once
    ``place_ok`` (p, ok) is registered from :func:`place_guard`, ``addr_canon`` (raw, c).
    """
    lit = d.literal
    safe = (
        f"{d.length('v')} <= {MAX_CHARS} AND {d.full_match('v', f'[{SAFE_CHARS}]*')}"
        f" AND NOT {d.contains_match('w', _LEAVE_ALONE)}"
    )
    # translate costs about a microsecond a value on DuckDB, more the more characters it maps:
    # only where there is something to map, and the dashes (rare) only where there is one
    mapped = f"translate(v, {lit(PREPARE_FROM)}, {lit(PREPARE_TO)})"
    wide = f"translate(v, {lit(_WIDE_FROM)}, {lit(_WIDE_TO)})"
    dash = d.contains_match("v", f"[{_OTHER_DASHES}]")
    w = (
        f"CASE WHEN {d.contains_match('v', f'[{PREPARE_FROM}]')} THEN"
        f" CASE WHEN {dash} THEN {mapped} ELSE {wide} END ELSE v END"
    )
    kc = d.extract_groups("k0", KANJI_CHOME, ("p", "n", "r"))
    kanji = (
        f"CASE WHEN kc.p <> '' THEN kc.p || translate(kc.n, {lit(_ONE_TO_NINE)}, '123456789')"
        " || '丁目' || kc.r ELSE k0 END"
    )
    prepared = f"""SELECT raw, CASE WHEN {safe} THEN replace(w, ' ', '') END AS t FROM (
        SELECT v AS raw, v, {w} AS w FROM ({source}) s0) s1"""
    numbers = _kanji_block(d, prepared)
    three = d.rewrite("k", REWRITE_THREE, (1, 2, "-", 3, "-", 4))
    two = d.rewrite("k", REWRITE_TWO, (1, 2, "-", 3))
    # a room written 202号室 after a block part counts as 202: the form ends in ROOM_SUFFIX
    # exactly when the rest after the numbers does (the rest starts with no digit)
    room = f"left(x, {d.length('x')} - 2)"
    pre = Step(
        ADDR_PRE,
        f"""SELECT raw, t, p, CASE WHEN form > 0 AND {d.contains_text("x", "号室")}
    THEN CASE WHEN {d.full_match("x", ROOM_SUFFIX)} THEN {room} ELSE x END ELSE x END AS cand
FROM (SELECT raw, t,
    CASE WHEN form > 0 OR k <> t THEN {d.extract("k", PLACE_PREFIX, 1)} END AS p,
    CASE form WHEN 3 THEN {three} WHEN 2 THEN {two} ELSE k END AS x, form
  FROM (SELECT raw, t, k, CASE WHEN {d.full_match("k", THREE_NUMBERS)} THEN 3
      WHEN {d.full_match("k", TWO_NUMBERS)} THEN 2 ELSE 0 END AS form FROM (
    SELECT raw, t, {kanji} AS k FROM (
      SELECT raw, t, k0, CASE WHEN {d.contains_text("k0", "丁目")}
        THEN CASE WHEN {d.full_match("k0", KANJI_CHOME)} THEN {kc} END END AS kc
      FROM ({numbers}) s2) s3) s4) s5) s6""",
    )
    canon = Step(
        ADDR_CANON,
        f"""SELECT a.raw, CASE WHEN a.t IS NULL THEN a.raw WHEN a.p IS NULL THEN a.cand
  WHEN g.ok THEN a.cand ELSE a.t END AS c
FROM {ADDR_PRE} a LEFT JOIN {PLACE_OK} g ON a.p = g.p""",
    )
    return pre, canon


def canonical(engine: Engine, source: str) -> None:
    """Create ``addr_canon`` (raw, c) for the values of ``source`` (column ``v``, distinct):
    the tables the steps join (``kanji_num``, ``place_ok``) registered on the way."""
    pre, canon = canonical_steps(engine.dialect, source)
    engine.register(KANJI_NUM, _kanji_table())
    engine.run(pre)
    places = engine.arrow(places_sql()).column(0).combine_chunks()
    engine.register(PLACE_OK, place_guard(places))
    engine.run(canon)


_KANJI_TABLE: list[pa.Table] = []


def _kanji_table() -> pa.Table:
    if not _KANJI_TABLE:
        _KANJI_TABLE.append(kanji_numbers())
    return _KANJI_TABLE[0]


def identity_step(source: str) -> Step:
    """``addr_canon`` without the fast path (every differing value goes to the normaliser)."""
    return Step(ADDR_CANON, f"SELECT v AS raw, v AS c FROM ({source}) s")


def places_sql() -> str:
    """The distinct places whose safety :func:`place_guard` must decide (an empty place is
    never in ``place_ok``: its value keeps step 1 only)."""
    return f"SELECT DISTINCT p FROM {ADDR_PRE} WHERE p IS NOT NULL AND p <> ''"


_REACHES_IN = re.compile(r"(?<![0-9])[0-9]+(?:$|[丁番ノ-])")


def _digit_prefixes(name: str) -> Iterable[str]:
    """The prefixes of a folded ``name`` after which the name could run into rewritten numbers:
    it goes on with a digit run that ends the name or meets 丁/番/ノ/- (what follows the first
    number in the forms of step 3). "" when the name itself starts that way (「3丁目」)."""
    return (name[: m.start()] for m in _REACHES_IN.finditer(name))


@dataclass(frozen=True)
class _Danger:
    """Prefixes of the reference's names that reach into numbers (see :func:`_digit_prefixes`),
    and :func:`_maybe_unsafe` built from them."""

    municipality: frozenset[str]  # of municipality names
    town: dict[str, frozenset[str]]  # municipality code -> of its town names
    maybe_unsafe: str  # a regular expression (RE2), see _maybe_unsafe


def _danger_of(ref: Reference) -> _Danger:
    towns: dict[str, frozenset[str]] = {}
    for code, names in ref.towns.items():
        prefixes = frozenset(p for key in names for p in _digit_prefixes(key))
        if prefixes:
            towns[code] = prefixes
    munis = frozenset(p for key in ref.muni_index for p in _digit_prefixes(key))
    return _Danger(munis, towns, _maybe_unsafe(ref, munis, towns))


def _safe_characters() -> Iterable[str]:
    """Every character of :data:`SAFE_CHARS`."""
    ranges = re.findall(r"(.)-(.)|(.)", SAFE_CHARS, flags=re.S)
    for lo, hi, one in ranges:
        yield from (chr(c) for c in range(ord(lo), ord(hi) + 1)) if lo else (one,)


def _class(chars: Iterable[str]) -> str:
    """An RE2 character class of ``chars``."""
    return "[" + "".join("\\" + ch if ch in "\\]^-[" else ch for ch in sorted(set(chars))) + "]"


def _maybe_unsafe(ref: Reference, munis: frozenset[str], towns: dict[str, frozenset[str]]) -> str:
    """A regular expression (RE2) over a place *written backwards* that finds every place
    :func:`place_is_safe` may refuse, and few others. A place made of :data:`SAFE_CHARS` folds
    (NFKC, then :func:`fold_place`) one character for one character, so each character of a
    folded name is spelt as the class of the characters that fold to it. Backwards, the
    dangerous endings are anchored at the start (a forward search for them, unanchored, is
    ten times slower). A place matching none of the alternatives is safe:

    - an ASCII digit anywhere (:data:`BLOCK_START` could start there), a character outside the
      safe ones or one that does not fold to one character (such places get the full check);
    - a municipality prefix of :attr:`_Danger.municipality` at the end;
    - a municipality with dangerous towns, what :data:`_AFTER_MUNICIPALITY` allows after it
      (any character where it wants no digit), and one of its town prefixes at the end.
    """
    folds_to: dict[str, list[str]] = {}
    odd = []
    for ch in _safe_characters():
        folded = fold_place(unicodedata.normalize("NFKC", ch))
        if len(folded) == 1:
            folds_to.setdefault(folded, []).append(ch)
        else:
            odd.append(ch)

    def backwards(name: str) -> str | None:  # None: no safe place folds to a text holding name
        classes = [folds_to.get(ch) for ch in reversed(name)]
        return None if None in classes else "".join(_class(c) for c in classes if c)

    def either(names: Iterable[str]) -> str | None:  # None: no name can be spelt
        spelt = [x for x in map(backwards, sorted(names)) if x is not None]
        return f"(?:{'|'.join(spelt)})" if spelt else None

    anywhere = f"[0-9]|[^{SAFE_CHARS}]" + (f"|{_class(odd)}" if odd else "")
    alternatives = [f".*(?:{anywhere})", either(munis)]
    glue = f"{either(_AZA)}?(?:{backwards(_WARD_END)}.{{1,{_WARD_CHARS}}})?"
    keys: dict[str, list[str]] = {}
    for key, codes in ref.muni_index.items():
        for code in codes:
            if code in towns:
                keys.setdefault(code, []).append(key)
    for code, names in sorted(keys.items()):
        heads, tails = either(names), either(towns[code])
        if heads is not None and tails is not None:
            alternatives.append(tails + glue + heads)
    return "(?s)^(?:" + "|".join(a for a in alternatives if a is not None) + ")"


_DANGER: list[tuple[Reference, _Danger]] = []


def _danger(ref: Reference) -> _Danger:
    """The danger prefixes of ``ref``, computed once per reference (about half a second)."""
    if not _DANGER or _DANGER[0][0] is not ref:
        _DANGER[:] = [(ref, _danger_of(ref))]
    return _DANGER[0][1]


# What may stand between a municipality and its town: a former ward, then 大字 or 字
# (:func:`_maybe_unsafe` spells the same backwards)
_WARD_CHARS, _WARD_END, _AZA = 4, "区", ("大字", "字")
_AFTER_MUNICIPALITY = re.compile(
    f"(?:[^0-9\\-]{{1,{_WARD_CHARS}}}{_WARD_END})?(?:{'|'.join(_AZA)})?"
)


def _town_starts(rest: str) -> Iterable[str]:
    """What may follow the municipality before a town starts: nothing, 大字/字, a former ward
    (浜松市中区), or both (the resolver tries each of these starts)."""
    yield rest
    for end in range(1, min(len(rest), 8) + 1):
        if _AFTER_MUNICIPALITY.fullmatch(rest[:end]):
            yield rest[end:]


def place_is_safe(place: str, ref: Reference | None = None) -> bool:
    """True when no name of the reference can reach from ``place`` into the numbers after it.

    The resolver reads a prefecture, then a municipality, then a town starting right after the
    municipality (or after 大字/字 or a former ward). A name reaches into the numbers when the
    rest of the place is one of its prefixes from :func:`_digit_prefixes`. A municipality is
    looked for at *every* position, not only after a prefecture spelt as the reference does:
    the resolver also reads a prefecture without 都/府/県 (福島郡山市: 福島 + 郡山市).
    """
    if BLOCK_START.search(place):
        return False
    ref = ref or _reference.current()
    danger = _danger(ref)
    folded = fold_place(unicodedata.normalize("NFKC", place))
    for start in range(len(folded) + 1):
        if folded[start:] in danger.municipality:
            return False
        for length in ref.muni_lengths.get(folded[start : start + 2], ()):
            codes = ref.muni_index.get(folded[start : start + length], ())
            prefixes = [danger.town[c] for c in codes if c in danger.town]
            rest = folded[start + length :]
            if prefixes and any(r in town for r in _town_starts(rest) for town in prefixes):
                return False
    return True


def place_guard(places: Sequence[str] | pa.Array) -> pa.Table:
    """``p`` -> ``ok`` for the distinct places of ``addr_pre``: :func:`place_is_safe` of each,
    asked only of the places :attr:`_Danger.maybe_unsafe` finds (a few percent; the others are
    safe without it)."""
    import pyarrow.compute as pc

    array = places if isinstance(places, pa.Array) else pa.array(places, pa.string())
    ref = _reference.current()
    maybe = pc.match_substring_regex(pc.utf8_reverse(array), _danger(ref).maybe_unsafe)
    asked = array.filter(maybe).to_pylist()
    answers = pa.array([place_is_safe(p, ref) for p in asked], pa.bool_())
    ok = pc.replace_with_mask(pc.invert(maybe), maybe, answers)
    return pa.table({"p": array.cast(pa.string()), "ok": ok})
