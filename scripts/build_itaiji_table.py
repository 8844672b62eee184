"""Build src/tenken/normalize/data/itaiji.tsv: a kanji-only 異体字 → standard-form table.

Sources (all offline):
  1. Unihan kJinmeiyoKanji "YEAR:U+XXXX" pairs: the 人名用漢字 許容字体 of 戸籍法施行規則 別表第二
     with the Jōyō form they belong to (e.g. 櫻 → 桜, 廣 → 広, 國 → 国).
  2. Unihan kJoyoKanji "U+XXXX" pairs (variants listed with the Jōyō table itself).
  3. Unihan kZVariant / kSemanticVariant links from a character outside Jōyō/Jinmeiyō and outside
     JIS X 0208 that has another Japanese code (JIS X 0212/0213, IBM extensions: so it is used in
     Japan) to exactly one Jōyō/Jinmeiyō character (e.g. 髙 → 高). Characters in JIS X 0208 are
     distinct characters in Japanese text unless a curated pair says otherwise: Unihan's semantic
     links there include Chinese-only equivalences (鯰 → 鮎, 澳 → 襖) that would merge names.
  4. scripts/itaiji_curated.tsv: pairs Unihan does not link (澤 → 沢, 濵 → 浜, 﨑 → 崎, ...);
     these override the Unihan pairs.

Unihan comes from Debian's ``unicode-data`` package (/usr/share/unicode/Unihan_*.txt.bz2).
Usage: python scripts/build_itaiji_table.py [UNIHAN_DIR]
"""

from __future__ import annotations

import bz2
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src/tenken/normalize/data/itaiji.tsv"
CURATED = ROOT / "scripts/itaiji_curated.tsv"
_CODE = re.compile(r"U\+([0-9A-F]{4,6})(<[^ ]*)?")


def _rows(path: Path) -> list[tuple[str, str, str]]:
    opener = bz2.open if path.suffix == ".bz2" else open
    out = []
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("U+"):
                code, field, value = line.rstrip("\n").split("\t", 2)
                out.append((chr(int(code[2:], 16)), field, value))
    return out


def _find(directory: Path, stem: str) -> Path:
    for name in (f"{stem}.txt", f"{stem}.txt.bz2"):
        if (directory / name).exists():
            return directory / name
    raise SystemExit(f"{stem} not found in {directory} (apt-get install unicode-data)")


def build(directory: Path) -> dict[str, tuple[str, str]]:
    """variant -> (standard, source)."""
    other = _rows(_find(directory, "Unihan_OtherMappings"))
    variants = _rows(_find(directory, "Unihan_Variants"))
    standard: set[str] = set()
    in_japan: set[str] = set()
    in_jis0208: set[str] = set()
    table: dict[str, tuple[str, str]] = {}
    for char, field, value in other:
        if field in ("kJis0", "kJis1", "kIBMJapan", "kJIS0213"):
            in_japan.add(char)
        if field == "kJis0":
            in_jis0208.add(char)
        if field in ("kJoyoKanji", "kJinmeiyoKanji"):
            match = _CODE.search(value)
            if match:
                table[char] = (chr(int(match.group(1), 16)), f"Unihan {field}")
            else:
                standard.add(char)
    links: dict[str, set[str]] = defaultdict(set)
    for char, field, value in variants:
        if field in ("kZVariant", "kSemanticVariant"):
            for match in _CODE.finditer(value):
                other_char = chr(int(match.group(1), 16))
                links[char].add(other_char)
                links[other_char].add(char)
    for char, linked in links.items():
        if char in standard or char in table or char not in in_japan or char in in_jis0208:
            continue
        targets = sorted(c for c in linked if c in standard)
        if len(targets) == 1:
            table[char] = (targets[0], "Unihan kZVariant/kSemanticVariant")
    for line in CURATED.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        variant, target = line.split("\t")[:2]
        if variant != target:
            table[variant] = (target, "tenken curated")
    # NFKC is applied before the table: keys must survive NFKC, and no chains may remain.
    result = {}
    for variant, (target, source) in table.items():
        key = unicodedata.normalize("NFKC", variant)
        if len(key) != 1 or key == target:
            continue
        seen = {key}
        while target in table and target not in seen:  # follow chains, never loop on cycles
            seen.add(target)
            target = table[target][0]
        if target in seen:
            continue
        result[key] = (target, source)
    return result


def main() -> None:
    directory = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/usr/share/unicode")
    table = build(directory)
    lines = [
        "# 異体字 → standard form, kanji only. Built by scripts/build_itaiji_table.py from Unihan",
        "# (Unicode Character Database, Unicode license) and scripts/itaiji_curated.tsv.",
        "# Do not edit: change the curated list or Unihan and rebuild.",
    ]
    lines += [f"{v}\t{t}\t{s}" for v, (t, s) in sorted(table.items())]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(table)} pairs -> {OUT}")


if __name__ == "__main__":
    main()
