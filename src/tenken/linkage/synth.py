"""``tenken synth``: a synthetic population, its resident registry and a benefit system, with truth.

The population is built with numpy (no per-person Python loops), so a million people take seconds:

- households (sizes at census-like shares) share a surname and an address in a real town;
- names are drawn at real surname frequencies, so same-name-same-birthday pairs occur naturally;
- the registry keeps history: some households moved, some spouses married (old surname, old
  address), some registry names use 異体字 (髙橋) and a few a 外字 (private-use character,
  with the registry's 外字 table gaiji.csv naming the MJ 字形 of most codes);
- the benefit system writes the same facts in other notations (hyphens, full-width digits,
  kanji 丁目, spacing, half-width kana, era dates) and sometimes still holds the pre-move state;
- both carry the notation habits of real data (:class:`Habits`, issue 15): kanji numerals with
  十/百/千 (八百十番地二十), 方書 glued to a bare number or left out, 枝番, prefecture without
  都/府/県 or omitted, 郡 omitted, 大字, 旧字体 and arabic numerals in town names, alphabet names
  of foreign residents in mixed case and width, kana spellings of one reading (サトウ/サトー);
- namesakes also live next door: some same-name-same-birthday persons share the victim's
  building (another room) or lot (another 枝番), so a key that drops a room or 枝番 shows;
- mislinks are injected for each cause seen in 2023 (see :data:`CAUSES`), plus unlinked records.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jaconv
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from tenken.linkage import notation as nt
from tenken.linkage import pools
from tenken.linkage.columns import RECORD_COLUMNS, REGISTRY_COLUMNS, TRUTH_COLUMNS
from tenken.normalize import itaiji

CAUSES = ("homonym", "family", "typo", "shared")
"""Injected mislink causes: same kana name and birthday elsewhere; a family member's number;
one mistyped digit; one number linked to two persons' records."""

MISLINKS_PER_CAUSE_RATE = 0.00025
UNLINKED_RATE = 0.02
GAIJI_RATE = 0.0002
GAIJI_UNIDENTIFIED = 10  # one 外字 code in 10 is missing from the registry's 外字 table
KANA_TYPO_RATE = 0.0001
HOUSEHOLD_SIZES = (np.array([1, 2, 3, 4, 5, 6]), np.array([0.38, 0.28, 0.16, 0.13, 0.04, 0.01]))
BUILDINGS = np.array(
    ["コーポ", "ハイツ", "メゾン", "レジデンス", "グリーンヒル", "サンライズ", "第二コーポ",
     "さくら荘", "根本荘", "メゾンA", "ハイツB"]
)  # fmt: skip
_COUNTY = re.compile(r"^.+?郡(?=.+[町村]$)")  # 石川郡石川町 -> 石川町; 小郡市 and 蒲郡市 stay
FOREIGN_RATE = 0.03  # of households of one or two persons
JUNIOR_RATE = 0.02  # sons named like their father
NEIGHBOUR_HOMONYM_RATE = 0.2  # namesakes who live in the victim's building or lot
MYNUMBER_START = nt.days("2015-10-05")


@dataclass
class Addresses:
    """Address components per household (or per person): town index and 丁目/番/号/room."""

    town: np.ndarray
    chome: np.ndarray
    ban: np.ndarray
    go: np.ndarray
    eda: np.ndarray  # 枝番, 0 when none
    building: np.ndarray
    room: np.ndarray

    @classmethod
    def draw(cls, rng: np.random.Generator, n: int) -> Addresses:
        """Random addresses in real towns; 丁目 only where the town has them."""
        towns = pools.towns()
        town = rng.integers(0, len(towns.town), n)
        has_chome = towns.chome[town]
        building = np.where(rng.random(n) < 0.3, rng.integers(0, len(BUILDINGS), n), -1)
        return cls(
            town=town,
            chome=np.where(has_chome, rng.integers(1, 8, n), 0),
            ban=np.where(has_chome, rng.integers(1, 40, n), rng.integers(1, 3000, n)),
            go=rng.integers(1, 30, n),
            eda=np.where(rng.random(n) < 0.08, rng.integers(1, 6, n), 0),
            building=building,
            room=rng.integers(1, 6, n) * 100 + rng.integers(1, 12, n),
        )

    def take(self, index: np.ndarray) -> Addresses:
        """Rows ``index`` of every component."""
        return Addresses(*(getattr(self, f)[index] for f in self.__dataclass_fields__))

    def where(self, mask: np.ndarray, other: Addresses) -> Addresses:
        """Rows from ``other`` where ``mask``, else from self."""
        return Addresses(
            *(
                np.where(mask, getattr(other, f), getattr(self, f))
                for f in self.__dataclass_fields__
            )
        )

    def text(self, style: np.ndarray, habits: Habits | None = None) -> pa.Array:
        """Address strings; style 0 is the registry's notation, 1-4 the benefit systems'.
        ``habits`` (records only) adds the notation habits of real data row by row."""
        towns = pools.towns()
        at = pa.array(self.town)
        parts = town_parts()
        pref, city, town = (pa.array(a).take(at) for a in (towns.pref, towns.city, towns.town))
        if habits is not None:
            pref = nt.choose(
                habits.pref_form(self.town), [pref, pa.scalar(""), parts.short_pref.take(at)]
            )
            city = pc.if_else(pa.array(habits.no_gun), parts.city_without_gun.take(at), city)
            town = nt.choose(
                habits.town_form(self.town, towns.chome[self.town]),
                [town, parts.old_form.take(at), parts.arabic.take(at), nt.cat("大字", town)],
            )
        base = nt.cat(pref, city, town)
        if habits is not None:
            base = nt.cat(base, pc.if_else(pa.array(habits.space_before_numbers), " ", ""))
        c, b, g = nt.num(self.chome), nt.num(self.ban), nt.num(self.go)
        has_eda = self.eda > 0
        eda = pc.if_else(pa.array(has_eda), nt.cat("-", nt.num(self.eda)), "")
        kc, kb, kg = (nt.by_unique(v, nt.kanji_number) for v in (self.chome, self.ban, self.go))
        ke = pc.if_else(
            pa.array(has_eda), nt.cat("の", nt.by_unique(self.eda, nt.kanji_number)), ""
        )
        with_chome = self.chome > 0
        registry = np.where(with_chome, 0, 5)
        kanji_c = pa.array(nt.KANJI_DIGITS[np.minimum(self.chome, 9)])
        forms = [
            nt.full_width(nt.cat(c, "丁目", b, "番", g, eda, "号")),
            nt.cat(c, "-", b, "-", g, eda),
            nt.full_width(nt.cat(c, "-", b, "-", g, eda)),
            nt.cat(kanji_c, "丁目", b, "番", g, eda, "号"),
            nt.cat(c, "丁目", b, "-", g, eda),
            nt.full_width(nt.cat(b, "番地", g, eda)),
            nt.cat(b, "-", g, eda),
            nt.full_width(nt.cat(b, "-", g, eda)),
            nt.cat(b, "番地", g, eda),
            nt.cat(b, "番", g, eda),
            nt.cat(kc, "丁目", kb, "番", kg, "号", ke),  # 10: 三丁目十二番二十三号
            nt.cat(kb, "番地", kg, ke),  # 11: 八百十番地二十
            nt.cat(nt.by_unique(self.ban, nt.kanji_digits), "番地", kg, ke),  # 12: 一二三四番地
        ]
        chosen = np.where(style == 0, registry, style + np.where(with_chome, 0, 5))
        if habits is not None:
            chosen = np.where(habits.kanji & with_chome, 10, chosen)
            chosen = np.where(
                habits.kanji & ~with_chome, np.where(habits.positional, 12, 11), chosen
            )
        block = nt.choose(chosen, forms)
        has_building = self.building >= 0
        if habits is not None:
            has_building &= ~habits.no_room
        bname = pa.array(BUILDINGS[np.maximum(self.building, 0)])
        room = nt.num(self.room)
        room = nt.choose(np.where(style == 0, 1, 0), [room, nt.full_width(room)])
        sep_kind = np.where(style == 0, 1, style % 3)
        if habits is not None:
            sep_kind = np.where(habits.glued, 0, sep_kind)
            room = nt.cat(room, pc.if_else(pa.array(habits.goshitsu), "号室", ""))
        sep = nt.choose(sep_kind, [pa.scalar(""), "　", " "])
        building = nt.choose(has_building.astype(int), [pa.scalar(""), sep])
        building = nt.cat(building, pc.if_else(pa.array(has_building), bname, ""))
        building = nt.cat(building, pc.if_else(pa.array(has_building), room, ""))
        return nt.cat(base, block, building)


@dataclass(frozen=True)
class TownParts:
    """Per town of :func:`pools.towns`: the notations systems use for its parts."""

    short_pref: pa.Array  # 岩手 for 岩手県 (北海道 unchanged)
    city_without_gun: pa.Array  # 石川町 for 石川郡石川町
    old_form: pa.Array  # 關方 for 関方
    arabic: pa.Array  # 北24条西 for 北二十四条西
    pref_optional: np.ndarray  # city and town name the place without the prefecture
    has_old_form: np.ndarray
    has_arabic: np.ndarray


@cache
def town_parts() -> TownParts:
    """Computed once per process over the ~120k towns."""
    towns = pools.towns()
    short = np.array([p if p == "北海道" else p[:-1] for p in towns.pref], dtype=object)
    no_gun = np.array([_COUNTY.sub("", c) for c in towns.city], dtype=object)
    old = np.array([nt.old_form(t) for t in towns.town], dtype=object)
    arabic = np.array([nt.arabic_in_name(t) for t in towns.town], dtype=object)
    seen: dict[tuple[str, str], set[str]] = {}
    for pref, city, town in zip(towns.pref, no_gun, towns.town, strict=True):
        seen.setdefault((city, town), set()).add(pref)
    optional = np.array(
        [len(seen[(c, t)]) == 1 for c, t in zip(no_gun, towns.town, strict=True)], dtype=bool
    )
    return TownParts(
        pa.array(short, pa.string()),
        pa.array(no_gun, pa.string()),
        pa.array(old, pa.string()),
        pa.array(arabic, pa.string()),
        optional,
        old != towns.town,
        arabic != towns.town,
    )


@dataclass
class Habits:
    """Which notation habits each benefit-system row shows (drawn once per row)."""

    rng: np.random.Generator
    no_pref: np.ndarray
    short_pref: np.ndarray
    no_gun: np.ndarray
    old_town: np.ndarray
    arabic_town: np.ndarray
    oaza: np.ndarray
    kanji: np.ndarray
    positional: np.ndarray
    no_room: np.ndarray
    glued: np.ndarray
    goshitsu: np.ndarray
    space_before_numbers: np.ndarray

    @classmethod
    def draw(cls, rng: np.random.Generator, n: int) -> Habits:
        """Shares are rough guesses of how often municipal systems show each habit."""

        def share(p: float) -> np.ndarray:
            return rng.random(n) < p

        return cls(
            rng, share(0.15), share(0.05), share(0.3), share(0.4), share(0.5), share(0.1),
            share(0.1), share(0.2), share(0.2), share(0.3), share(0.3), share(0.05),
        )  # fmt: skip

    def pref_form(self, town: np.ndarray) -> np.ndarray:
        """0 as written, 1 omitted (only where the place is unique without it), 2 no suffix."""
        optional = town_parts().pref_optional[town]
        return np.where(self.no_pref & optional, 1, np.where(self.short_pref, 2, 0))

    def town_form(self, town: np.ndarray, has_chome: np.ndarray) -> np.ndarray:
        """0 as written, 1 旧字体, 2 arabic numerals, 3 with 大字 (towns without 丁目)."""
        parts = town_parts()
        form = np.where(self.old_town & parts.has_old_form[town], 1, 0)
        form = np.where(self.arabic_town & parts.has_arabic[town], 2, form)
        return np.where(self.oaza & ~has_chome & (form == 0), 3, form)


@dataclass
class People:
    """One row per person."""

    household: np.ndarray
    role: np.ndarray  # 0 head, 1 spouse, 2 child, 3 single
    sex: np.ndarray  # 1 male, 2 female
    birth: np.ndarray  # days since 1970-01-01
    surname: np.ndarray  # index into pools.surnames()
    given: np.ndarray  # index into the combined given-name pool
    number: np.ndarray  # 12-digit My Number as int64
    foreign: np.ndarray  # registered under an alphabet name (foreign resident)


def _given_pool() -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Male then female given names in one index space: kanji, kana, same-reading, offset."""
    male, female = pools.given_names("1"), pools.given_names("2")
    off = len(male.kanji)
    kanji = np.concatenate([male.kanji, female.kanji])
    kana = np.concatenate([male.kana, female.kana])
    same = np.concatenate([male.same_reading, female.same_reading + off])
    return kanji, kana, same, off


def check_digits(first11: np.ndarray) -> np.ndarray:
    """My Number check digits for an array of 11-digit integers (the official formula)."""
    total = np.zeros(len(first11), dtype=np.int64)
    rest = first11.astype(np.int64)
    for n in range(1, 12):  # n-th digit from the right
        weight = n + 1 if n <= 6 else n - 5
        total += (rest % 10) * weight
        rest //= 10
    remainder = total % 11
    return np.where(remainder <= 1, 0, 11 - remainder)


def numbers(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` distinct valid My Numbers as int64."""
    first = np.unique(rng.integers(10**10, 10**11, int(n * 1.01) + 10))
    first = rng.permutation(first)[:n]
    result: np.ndarray = first * 10 + check_digits(first)
    return result


def _households(rng: np.random.Generator, people: int) -> tuple[np.ndarray, np.ndarray]:
    """Household id and role per person for roughly ``people`` persons."""
    sizes, shares = HOUSEHOLD_SIZES
    mean = float((sizes * shares).sum())
    drawn = rng.choice(sizes, int(people / mean) + 10, p=shares)
    drawn = drawn[np.cumsum(drawn) <= people]
    if drawn.sum() < people:
        drawn = np.append(drawn, np.ones(people - drawn.sum(), dtype=drawn.dtype))
    household = np.repeat(np.arange(len(drawn)), drawn)
    starts = np.repeat(np.cumsum(drawn) - drawn, drawn)
    position = np.arange(people) - starts
    role = np.minimum(position, 2)
    role[np.repeat(drawn == 1, drawn)] = 3
    return household, role


def make_people(rng: np.random.Generator, count: int) -> People:
    """Households with a head, a spouse of the other sex and children born to them."""
    household, role = _households(rng, count)
    n_hh = int(household.max()) + 1
    head_sex = rng.integers(1, 3, n_hh)
    sex = np.where(role == 1, 3 - head_sex[household], rng.integers(1, 3, count))
    sex[role == 0] = head_sex[household[role == 0]]
    head_birth = rng.integers(nt.days("1935-01-01"), nt.days("1998-12-31"), n_hh)
    birth = head_birth[household] + rng.normal(0, 900, count).astype(np.int64)
    child_gap = rng.integers(22 * 365, 40 * 365, count)
    birth = np.where(role == 2, head_birth[household] + child_gap, birth)
    singles = role == 3
    birth[singles] = rng.integers(nt.days("1935-01-01"), nt.days("2004-12-31"), singles.sum())
    late = birth > nt.days("2023-06-30")
    birth[late] = nt.days("2023-06-30") - rng.integers(0, 20 * 365, late.sum())
    sur = pools.surnames()
    hh_surname = rng.choice(len(sur.kanji), n_hh, p=sur.p)
    given = _draw_given(rng, sex)
    given = distinct_in_household(rng, household, sex, birth, given)
    given = _juniors(rng, household, role, sex, given)
    size = np.bincount(household)
    foreign = ((size <= 2) & (rng.random(n_hh) < FOREIGN_RATE))[household]
    surname = hh_surname[household]
    return People(household, role, sex, birth, surname, given, numbers(rng, count), foreign)


def _juniors(
    rng: np.random.Generator,
    household: np.ndarray,
    role: np.ndarray,
    sex: np.ndarray,
    given: np.ndarray,
) -> np.ndarray:
    """Some sons get their father's given name (same name, another birth date: 父子同名)."""
    start = np.cumsum(np.bincount(household)) - np.bincount(household)
    head = start[household]
    junior = (role == 2) & (sex == 1) & (sex[head] == 1) & (rng.random(len(sex)) < JUNIOR_RATE)
    given = given.copy()
    given[junior] = given[head[junior]]
    return given


def _draw_given(rng: np.random.Generator, sex: np.ndarray) -> np.ndarray:
    """A given name per person, at the pool's frequencies for the person's sex."""
    male, female = pools.given_names("1"), pools.given_names("2")
    drawn: np.ndarray = np.where(
        sex == 1,
        rng.choice(len(male.kanji), len(sex), p=male.p),
        rng.choice(len(female.kanji), len(sex), p=female.p) + len(male.kanji),
    )
    return drawn


def _household_twins(
    household: np.ndarray, sex: np.ndarray, birth: np.ndarray, spelling: np.ndarray
) -> np.ndarray:
    """Mask of persons whose household already has an earlier member of the same sex, birth
    date and given-name spelling (the surname is the household's)."""
    order = np.lexsort((np.arange(len(sex)), spelling, birth, sex, household))
    keys = np.stack([household, sex, birth, spelling])[:, order]
    repeat = np.zeros(len(sex), dtype=bool)
    repeat[order[1:]] = (keys[:, 1:] == keys[:, :-1]).all(axis=0)
    return repeat


def distinct_in_household(
    rng: np.random.Generator,
    household: np.ndarray,
    sex: np.ndarray,
    birth: np.ndarray,
    given: np.ndarray,
) -> np.ndarray:
    """``given`` with names redrawn until no two members of a household share sex, birth date
    and given name (異体字 folded): a registry never holds two indistinguishable siblings, and
    such pairs would look like a family mislink to the inspection."""
    kanji, _, _, _ = _given_pool()
    _, spelling_ids = np.unique(
        np.array([itaiji.fold(k) for k in kanji], dtype=object), return_inverse=True
    )
    given = given.copy()
    for _ in range(100):
        repeat = _household_twins(household, sex, birth, spelling_ids[given])
        if not repeat.any():
            return given
        given[repeat] = _draw_given(rng, sex[repeat])
    raise RuntimeError("could not give every household member a distinct name")


@dataclass
class History:
    """Per person: the event that ended an older registry state (0 none, 1 moved, 2 married),
    its day, and the older state's surname and address."""

    event: np.ndarray
    day: np.ndarray
    old_surname: np.ndarray
    old_address: Addresses

    @property
    def has_old(self) -> np.ndarray:
        """Persons with an older state (those born after the event have none)."""
        return self.event > 0


def make_history(rng: np.random.Generator, people: People, home: Addresses) -> History:
    """12 % of households moved; 6 % of spouses married (maiden surname, earlier address)."""
    count = len(people.birth)
    n_hh = int(people.household.max()) + 1
    hh_moved = rng.random(n_hh) < 0.12
    hh_day = rng.integers(nt.days("2016-01-01"), nt.days("2024-12-31"), n_hh)
    moved = hh_moved[people.household]
    married = (~moved) & (people.role == 1) & (rng.random(count) < 0.06)
    day = np.where(married, rng.integers(nt.days("2016-01-01"), nt.days("2024-12-31"), count), 0)
    day = np.where(moved, hh_day[people.household], day)
    event = np.where(moved, 1, np.where(married, 2, 0))
    event[people.birth >= day - 30] = 0
    hh_old = Addresses.draw(rng, n_hh).take(people.household)
    maiden = rng.choice(len(pools.surnames().kanji), count, p=pools.surnames().p)
    old_address = hh_old.where(married, Addresses.draw(rng, count))
    old_surname = np.where(event == 2, maiden, people.surname)
    return History(event, day, old_surname, old_address)


def inject_homonyms(rng: np.random.Generator, people: People, victims: np.ndarray) -> np.ndarray:
    """Turn one single-person household per victim into the victim's namesake (same sex, same
    birthday, same kana; 30 % with another kanji spelling). Returns the namesakes."""
    singles = np.flatnonzero(people.role == 3)
    singles = singles[~np.isin(singles, victims)]
    twins = rng.choice(singles, len(victims), replace=False)
    _, _, same_reading, _ = _given_pool()
    other_kanji = rng.random(len(victims)) < 0.3
    people.surname[twins] = people.surname[victims]
    people.given[twins] = np.where(
        other_kanji, same_reading[people.given[victims]], people.given[victims]
    )
    people.sex[twins] = people.sex[victims]
    people.birth[twins] = people.birth[victims]
    people.foreign[twins] = people.foreign[victims]
    return twins


def move_next_door(
    rng: np.random.Generator, home: Addresses, victims: np.ndarray, twins: np.ndarray
) -> None:
    """Put some namesakes in the victim's building (another room) or, without a building, on
    the victim's lot under another 枝番: only the room or the 枝番 tells the two apart."""
    near = rng.random(len(victims)) < NEIGHBOUR_HOMONYM_RATE
    victims, twins = victims[near], twins[near]
    for name in ("town", "chome", "ban", "go", "eda", "building", "room"):
        getattr(home, name)[twins] = getattr(home, name)[victims]
    in_building = home.building[victims] >= 0
    home.room[twins[in_building]] += 1
    lot = twins[~in_building]
    home.eda[lot] = home.eda[lot] % 5 + 1


def _names(
    surname: np.ndarray,
    given: np.ndarray,
    registry_form: np.ndarray,
    sep: pa.Array,
    foreign: np.ndarray,
    foreign_style: np.ndarray | None = None,
) -> tuple[pa.Array, pa.Array]:
    """Kanji names (registry 異体字 form where asked) and katakana names; foreign residents
    get an upper-case alphabet name (records: ``foreign_style`` of
    :func:`~tenken.linkage.notation.foreign_name_variant`) and no kana."""
    sur = pools.surnames()
    g_kanji, g_kana, _, _ = _given_pool()
    variant = np.array([pools.itaiji_form(s) or s for s in sur.kanji], dtype=object)
    kanji_sur = np.where(registry_form, variant[surname], sur.kanji[surname])
    kanji = nt.cat(pa.array(kanji_sur, pa.string()), sep, pa.array(g_kanji[given], pa.string()))
    kana = nt.cat(
        pa.array(sur.kana[surname], pa.string()), sep, pa.array(g_kana[given], pa.string())
    )
    if foreign.any():
        rows = np.flatnonzero(foreign)
        styles = np.zeros(len(rows), int) if foreign_style is None else foreign_style[rows]
        names = kanji.to_pylist()
        kanas = kana.to_pylist()
        for row, style in zip(rows, styles, strict=True):
            alphabet = (
                f"{nt.FOREIGN_SURNAMES[surname[row] % len(nt.FOREIGN_SURNAMES)]} "
                f"{nt.FOREIGN_GIVEN[given[row] % len(nt.FOREIGN_GIVEN)]}"
            )
            names[row] = nt.foreign_name_variant(alphabet, int(style))
            kanas[row] = ""
        kanji, kana = pa.array(names, pa.string()), pa.array(kanas, pa.string())
    return kanji, kana


def _with_gaiji(names: pa.Array, rows: np.ndarray, record_form: bool) -> pa.Array:
    """Replace the last character of the given rows' names by a 外字 (registry) or 〓 (records)."""
    return _with_gaiji_table(names, rows, record_form)[0]


def _with_gaiji_table(
    names: pa.Array, rows: np.ndarray, record_form: bool
) -> tuple[pa.Array, pa.Table]:
    """As :func:`_with_gaiji`, with the registry's 外字 table: each code stands for an MJ 字形
    (the character with an IVS) of the character it replaced, which the records write plain
    (縮退) or as 〓; one code in GAIJI_UNIDENTIFIED is missing (the vendor never identified it)."""
    values = names.to_pylist()
    codes, chars = [], []
    for k, row in enumerate(rows):
        code = chr(0xE000 + k % 6000)
        mark = "〓" if record_form else code
        if not record_form and k % GAIJI_UNIDENTIFIED != GAIJI_UNIDENTIFIED - 1:
            codes.append(f"U+{ord(code):04X}")
            chars.append(values[row][-1] + "\U000e0100")
        values[row] = values[row][:-1] + mark
    table = pa.table(
        {"外字コード": pa.array(codes, pa.string()), "文字": pa.array(chars, pa.string())}
    )
    return pa.array(values, pa.string()), table


@dataclass
class Injected:
    """Which persons' records carry which wrong number, and why."""

    victims: dict[str, np.ndarray]
    wrong_number: dict[str, np.ndarray]
    unlinked: np.ndarray
    gaiji: np.ndarray
    kana_typo: np.ndarray
    twins: np.ndarray  # the homonym victims' namesakes, in the order of victims["homonym"]


def _pick(rng: np.random.Generator, pool: np.ndarray, taken: np.ndarray, k: int) -> np.ndarray:
    free = pool[~np.isin(pool, taken)]
    return rng.choice(free, min(k, len(free)), replace=False)


def inject(rng: np.random.Generator, people: People) -> Injected:
    """Choose the mislinked records per cause and apply the namesakes to the population."""
    count = len(people.birth)
    k = max(1, round(count * MISLINKS_PER_CAUSE_RATE))
    everyone = np.arange(count)
    size = np.bincount(people.household)[people.household]
    family = _pick(rng, everyone[size >= 2], np.array([], dtype=int), k)
    others = _pick(rng, everyone, family, 3 * k)
    homonym, typo, shared = others[:k], others[k : 2 * k], others[2 * k :]
    victims = {"homonym": homonym, "family": family, "typo": typo, "shared": shared}
    twins = inject_homonyms(rng, people, homonym)
    taken = np.concatenate([*victims.values(), twins])
    start = np.cumsum(np.bincount(people.household)) - np.bincount(people.household)
    hh = people.household[family]
    member = start[hh] + (family - start[hh] + 1) % size[family]
    digits = people.number[typo]
    place = 10 ** rng.integers(0, 12, len(typo))
    old_digit = digits // place % 10
    typo_number = digits + ((old_digit + rng.integers(1, 10, len(typo))) % 10 - old_digit) * place
    owner = _pick(rng, everyone, taken, len(shared))
    unlinked = _pick(rng, everyone, np.concatenate([taken, owner]), int(count * UNLINKED_RATE))
    taken = np.concatenate([taken, owner, unlinked])
    gaiji = _pick(rng, everyone, taken, max(1, round(count * GAIJI_RATE)))
    kana_typo = _pick(rng, everyone, np.concatenate([taken, gaiji]), round(count * KANA_TYPO_RATE))
    wrong = {
        "homonym": people.number[twins],
        "family": people.number[member],
        "typo": typo_number,
        "shared": people.number[owner],
    }
    return Injected(victims, wrong, unlinked, gaiji, kana_typo, twins)


@dataclass
class Synthetic:
    """The three generated tables, with the Japanese headers of the input format."""

    registry: pa.Table
    records: pa.Table
    truth: pa.Table
    gaiji: pa.Table | None = None  # the registry's 外字 table (外字コード, 文字)


def _number_text(values: np.ndarray) -> pa.Array:
    return pc.utf8_lpad(nt.num(values), 12, "0")


def _dates(values: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    text = nt.iso(values)
    return (
        text if mask is None else pc.if_else(pa.array(mask), pa.nulls(len(text), pa.string()), text)
    )


def registry_table(
    rng: np.random.Generator, people: People, history: History, home: Addresses, inj: Injected
) -> tuple[pa.Table, pa.Table]:
    """One row per registry state: the current state of everyone, the older state of those who
    moved or married (its end is the day before the event); and the registry's 外字 table."""
    count = len(people.birth)
    has_old = history.has_old
    start = np.maximum(people.birth, MYNUMBER_START)
    old = np.flatnonzero(has_old)
    who = np.concatenate([np.arange(count), old])
    is_old = np.concatenate([np.zeros(count, bool), np.ones(len(old), bool)])
    order = np.lexsort((~is_old, who))
    who, is_old = who[order], is_old[order]
    surname = np.where(is_old, history.old_surname[who], people.surname[who])
    address = home.take(who).where(is_old, history.old_address.take(who))
    hh_itaiji = rng.random(int(people.household.max()) + 1) < 0.3
    itaiji = hh_itaiji[people.household[who]] & ~is_old
    kanji, kana = _names(surname, people.given[who], itaiji, pa.scalar("　"), people.foreign[who])
    kanji, gaiji = _with_gaiji_table(
        kanji, np.flatnonzero(np.isin(who, inj.gaiji)), record_form=False
    )
    has_kana = (rng.random(count) < 0.3)[who]
    vfrom = np.where(is_old | ~has_old[who], start[who], history.day[who])
    vto = np.where(is_old, history.day[who] - 1, 0)
    sex = nt.num(people.sex[who])
    registry = pa.table(
        [
            _number_text(people.number[who]),
            kanji,
            pc.if_else(pa.array(has_kana), kana, ""),
            nt.iso(people.birth[who]),
            sex,
            address.text(np.zeros(len(who), dtype=int)),
            nt.iso(vfrom),
            _dates(vto, ~is_old),
        ],
        names=[c.header for c in REGISTRY_COLUMNS],
    )
    return registry, gaiji


def _record_kana(rng: np.random.Generator, kana: pa.Array, typo: np.ndarray) -> pa.Array:
    half = rng.random(len(kana)) < 0.1
    dictionary = pc.dictionary_encode(kana)
    halves = pa.array([jaconv.z2h(v, kana=True) for v in dictionary.dictionary.to_pylist()])
    kana = pc.if_else(pa.array(half), halves.take(dictionary.indices), kana)
    variant = rng.random(len(kana)) < 0.1
    dictionary = pc.dictionary_encode(kana)
    variants = pa.array([nt.kana_variant(v) for v in dictionary.dictionary.to_pylist()])
    kana = pc.if_else(pa.array(variant), variants.take(dictionary.indices), kana)
    values = kana.to_pylist()
    for row in typo:
        if values[row]:  # a record without kana has no kana typo (seed 1 at 100k crashed)
            values[row] = values[row][:-1] + ("ア" if values[row][-1] != "ア" else "イ")
    return pa.array(values, pa.string())


def records_table(
    rng: np.random.Generator, people: People, history: History, home: Addresses, inj: Injected
) -> tuple[pa.Table, pa.Table]:
    """The benefit system (one record per person, shuffled) and its truth table."""
    count = len(people.birth)
    linked_on = np.maximum(
        people.birth + 30, rng.integers(nt.days("2017-01-01"), nt.days("2023-12-31"), count)
    )
    use_old = history.has_old & (linked_on < history.day) & (rng.random(count) < 0.5)
    surname = np.where(use_old, history.old_surname, people.surname)
    sep = nt.choose(rng.choice(3, count, p=[0.6, 0.3, 0.1]), [pa.scalar("　"), " ", ""])
    foreign_style = rng.integers(0, 6, count)
    kanji, kana = _names(
        surname, people.given, np.zeros(count, bool), sep, people.foreign, foreign_style
    )
    gaiji = inj.gaiji[rng.random(len(inj.gaiji)) < 0.5]
    kanji = _with_gaiji(kanji, gaiji, record_form=True)
    style = rng.choice(5, count, p=[0.4, 0.25, 0.15, 0.1, 0.1])
    address = home.where(use_old, history.old_address).text(style, Habits.draw(rng, count))
    birth_style = rng.choice(3, count, p=[0.5, 0.4, 0.1])
    birth = nt.choose(
        birth_style,
        [
            nt.iso(people.birth),
            nt.by_unique(people.birth, nt.slash),
            nt.by_unique(people.birth, nt.wareki),
        ],
    )
    sex = nt.choose(
        (rng.random(count) < 0.3).astype(int),
        [nt.num(people.sex), pa.array(np.array(["", "男", "女"])[people.sex])],
    )
    number = people.number.copy()
    is_mislink = np.zeros(count, bool)
    cause = np.full(count, "", dtype=object)
    for name, victims in inj.victims.items():
        number[victims] = inj.wrong_number[name]
        is_mislink[victims] = True
        cause[victims] = name
    unlinked = np.zeros(count, bool)
    unlinked[inj.unlinked] = True
    cause[inj.unlinked] = "unlinked"
    rid = pc.binary_join_element_wise(
        "K", pc.utf8_lpad(nt.num(np.arange(1, count + 1)), 9, "0"), ""
    )
    perm = rng.permutation(count)
    records = pa.table(
        [
            rid,
            kanji.take(perm),
            _record_kana(rng, kana, inj.kana_typo).take(perm),
            birth.take(perm),
            sex.take(perm),
            address.take(perm),
            pc.if_else(pa.array(unlinked), "", _number_text(number)).take(perm),
            pc.if_else(pa.array(unlinked), "", nt.iso(linked_on)).take(perm),
        ],
        names=[c.header for c in RECORD_COLUMNS],
    )
    truth = pa.table(
        [
            rid,
            _number_text(people.number).take(perm),
            pa.array(is_mislink.astype(int)).take(perm),
            pa.array(cause, pa.string()).take(perm),
        ],
        names=[c.header for c in TRUTH_COLUMNS],
    )
    return records, truth


def generate(people: int, seed: int) -> Synthetic:
    """A deterministic synthetic population of ``people`` persons for ``seed``."""
    if people < 10:
        raise ValueError("people must be at least 10")
    rng = np.random.default_rng(seed)
    population = make_people(rng, people)
    home = Addresses.draw(rng, int(population.household.max()) + 1).take(population.household)
    history = make_history(rng, population, home)
    inj = inject(rng, population)
    move_next_door(rng, home, inj.victims["homonym"], inj.twins)
    registry, gaiji = registry_table(rng, population, history, home, inj)
    records, truth = records_table(rng, population, history, home, inj)
    return Synthetic(registry, records, truth, gaiji)


def write(data: Synthetic, out: Path) -> dict[str, Path]:
    """Write registry.csv, records.csv, truth.csv and the registry's 外字 table gaiji.csv
    (UTF-8) into ``out``."""
    import pyarrow.csv as pacsv

    out.mkdir(parents=True, exist_ok=True)
    paths = {}
    tables = [("registry", data.registry), ("records", data.records), ("truth", data.truth)]
    for name, table in tables + ([("gaiji", data.gaiji)] if data.gaiji is not None else []):
        path = out / f"{name}.csv"
        pacsv.write_csv(table, path)
        paths[name] = path
    return paths
