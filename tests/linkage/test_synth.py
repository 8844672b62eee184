"""The synthetic population: deterministic, realistic enough, and its truth is right."""

from __future__ import annotations

import numpy as np
import pyarrow.compute as pc
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tenken.linkage import synth
from tenken.normalize.mynumber import check_digit, is_valid


@pytest.fixture(scope="module")
def data() -> synth.Synthetic:
    return synth.generate(4000, seed=7)


def _rows(table, key: str) -> dict[str, dict[str, object]]:
    return {row[key]: row for row in table.to_pylist()}


@given(st.integers(min_value=10**10, max_value=10**11 - 1))
def test_vectorised_check_digit_agrees_with_the_official_formula(first11: int) -> None:
    """numpy check digits equal tenken.normalize.mynumber.check_digit (python-stdnum)."""
    assert synth.check_digits(np.array([first11]))[0] == int(check_digit(str(first11)))


def test_same_seed_gives_the_same_data_and_another_seed_does_not() -> None:
    """--seed makes the output reproducible."""
    a, b, c = synth.generate(300, 1), synth.generate(300, 1), synth.generate(300, 2)
    assert a.records.equals(b.records) and a.registry.equals(b.registry)
    assert not a.records.equals(c.records)


def test_registry_numbers_are_valid_and_each_person_has_one(data: synth.Synthetic) -> None:
    """Every registry number passes the check digit; current states are one per number."""
    numbers = data.registry.column("個人番号").to_pylist()
    assert all(is_valid(n) for n in numbers[:500])
    current = pc.is_null(data.registry.column("有効終了日"))
    current_numbers = pc.filter(data.registry.column("個人番号"), current)
    assert len(pc.unique(current_numbers)) == len(current_numbers) == 4000


def test_history_has_moves_and_marriages(data: synth.Synthetic) -> None:
    """Some persons have an older state with another address or another surname."""
    by_number: dict[str, list[dict[str, object]]] = {}
    for row in data.registry.to_pylist():
        by_number.setdefault(str(row["個人番号"]), []).append(row)
    histories = [rows for rows in by_number.values() if len(rows) == 2]
    assert len(histories) > 200
    moved = [h for h in histories if h[0]["住所"] != h[1]["住所"]]
    renamed = [h for h in histories if str(h[0]["氏名"])[:1] != str(h[1]["氏名"])[:1]]
    assert moved and renamed
    for old, new in histories:
        assert old["有効終了日"] is not None and new["有効終了日"] is None
        assert str(old["有効終了日"]) < str(new["有効開始日"])


def test_every_cause_is_injected_and_the_truth_explains_it(data: synth.Synthetic) -> None:
    """Each cause has its mislinks, and the wrong number relates to the true one as claimed."""
    truth = _rows(data.truth, "制度固有番号")
    records = _rows(data.records, "制度固有番号")
    current = {r["個人番号"]: r for r in data.registry.to_pylist() if r["有効終了日"] is None}
    causes: dict[str, list[str]] = {}
    for rid, row in truth.items():
        causes.setdefault(str(row["原因"]), []).append(rid)
    assert {"homonym", "family", "typo", "shared", "unlinked", ""} <= set(causes)
    for rid in causes["typo"]:
        wrong, right = str(records[rid]["個人番号"]), str(truth[rid]["正しい個人番号"])
        assert sum(a != b for a, b in zip(wrong, right, strict=True)) == 1
    for rid in causes["homonym"]:
        namesake, person = current[records[rid]["個人番号"]], current[truth[rid]["正しい個人番号"]]
        assert namesake["生年月日"] == person["生年月日"] and namesake["住所"] != person["住所"]
    for rid in causes["family"]:
        member, person = current[records[rid]["個人番号"]], current[truth[rid]["正しい個人番号"]]
        assert member["住所"] == person["住所"] and member["個人番号"] != person["個人番号"]
    linked = [str(r["個人番号"]) for r in records.values()]
    for rid in causes["shared"]:
        assert linked.count(str(records[rid]["個人番号"])) == 2
    for rid in causes["unlinked"]:
        assert records[rid]["個人番号"] == "" and records[rid]["紐付け日"] == ""


def test_records_use_varied_notations(data: synth.Synthetic) -> None:
    """The benefit system writes addresses, dates and sexes in several notations."""
    addresses = " ".join(data.records.column("住所").to_pylist()[:2000])
    births = " ".join(data.records.column("生年月日").to_pylist()[:2000])
    sexes = set(data.records.column("性別").to_pylist())
    assert "-" in addresses and "－" in addresses and "丁目" in addresses
    assert "/" in births and "年" in births
    assert {"1", "2", "男", "女"} <= sexes


def test_registry_uses_itaiji_and_gaiji(data: synth.Synthetic) -> None:
    """Registry names carry 異体字 and private-use 外字; records never carry the 外字."""
    names = "".join(data.registry.column("氏名").to_pylist())
    assert any(ch in names for ch in "髙﨑邊齋澤濱嶋𠮷廣櫻國冨")
    assert any("\ue000" <= ch <= "\uf8ff" for ch in names)
    record_names = "".join(data.records.column("氏名").to_pylist())
    assert not any("\ue000" <= ch <= "\uf8ff" for ch in record_names)


def test_registry_gaiji_table_names_the_character_of_most_codes(data: synth.Synthetic) -> None:
    """gaiji.csv lists the registry's codes with an MJ 字形 (character + IVS) of the character
    the records write plain; a code it does not list stays unknown."""
    assert data.gaiji is not None
    codes = {chr(int(c[2:], 16)) for c in data.gaiji.column("外字コード").to_pylist()}
    used = {
        ch
        for n in data.registry.column("氏名").to_pylist()
        for ch in n
        if "\ue000" <= ch <= "\uf8ff"
    }
    assert codes and codes <= used
    assert all(
        c.endswith("\U000e0100") and len(c) == 2 for c in data.gaiji.column("文字").to_pylist()
    )


def test_household_members_never_share_sex_birth_and_given_name() -> None:
    """Two children of one household drawn with the same sex, birthday and given name (or a
    異体字 spelling of it) get another name; other households and other facts are untouched."""
    kanji, _, _, _ = synth._given_pool()
    taka = next(i for i, k in enumerate(kanji) if "高" in k)
    household = np.array([0, 0, 0, 1, 1])
    sex = np.array([1, 1, 1, 1, 1])
    birth = np.array([100, 100, 100, 100, 200])
    given = np.array([taka, taka, taka, taka, taka])
    fixed = synth.distinct_in_household(np.random.default_rng(3), household, sex, birth, given)
    assert fixed[0] == taka and fixed[3] == taka and fixed[4] == taka
    assert len({synth.itaiji.fold(kanji[g]) for g in fixed[:3]}) == 3


def test_no_indistinguishable_members_in_a_generated_population(data: synth.Synthetic) -> None:
    """In the registry's current states, no two numbers share name, birth, sex and address."""
    current = data.registry.filter(pc.is_null(data.registry.column("有効終了日")))
    assert current.num_rows > 0
    facts = [current.column(c).to_pylist() for c in ("氏名", "生年月日", "性別", "住所")]
    assert len(set(zip(*facts, strict=True))) == current.num_rows


def test_records_carry_the_notation_habits_of_real_data(data: synth.Synthetic) -> None:
    """The benefit system writes kanji numerals with 十/百/千 in 番地, 方書 right after a number,
    枝番, 旧字体 town names, 大字, alphabet names in mixed case or full width and kana
    spellings with ー; the registry writes alphabet names in upper case."""
    import re

    addresses = data.records.column("住所").to_pylist()
    assert any(
        re.search("[一二三四五六七八九]?[百千][一二三四五六七八九十百]*番地", a) for a in addresses
    )
    assert any(
        re.search("[0-9][^0-9\\s丁番号地の-]*(?:荘|コーポ|ハイツ|メゾン)", a) for a in addresses
    )
    assert any(re.search("大字", a) for a in addresses)
    assert any(ch in "".join(addresses) for ch in synth.nt.OLD_FORMS.values())
    names = data.records.column("氏名").to_pylist()
    assert any(re.fullmatch("[A-Z][a-z]+[ ,].*", n) for n in names)
    assert any(re.fullmatch("[Ａ-Ｚａ-ｚ]+\u3000.*", n) for n in names)
    registry_names = data.registry.column("氏名").to_pylist()
    assert any(re.fullmatch("[A-Z]+ [A-Z ]+", n) for n in registry_names)
    kana = data.records.column("氏名カナ").to_pylist()
    assert any("ー" in k for k in kana if k)


def test_some_namesakes_live_in_the_victims_building_or_lot() -> None:
    """A homonym mislink's namesake may share the victim's lot, told apart only by the room or
    the 枝番; the registry still never holds two persons with all four facts equal."""
    data = synth.generate(40000, seed=3)
    truth = _rows(data.truth, "制度固有番号")
    records = _rows(data.records, "制度固有番号")
    current = {r["個人番号"]: r for r in data.registry.to_pylist() if r["有効終了日"] is None}
    near = 0
    for rid, row in truth.items():
        if row["原因"] == "homonym":
            namesake, person = current[records[rid]["個人番号"]], current[row["正しい個人番号"]]
            assert namesake["住所"] != person["住所"]
            near += str(namesake["住所"])[:12] == str(person["住所"])[:12]
    assert near >= 1


def test_a_kana_typo_on_a_person_without_kana_does_not_crash() -> None:
    """10M people drew a typo for a person with no kana (IndexError before the fix)."""
    import pyarrow as pa

    kana = synth._record_kana(np.random.default_rng(1), pa.array(["", "サトウ"]), np.array([0, 1]))
    assert kana.to_pylist()[0] == ""
    assert kana.to_pylist()[1] != "サトウ"
