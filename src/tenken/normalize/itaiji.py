"""異体字 folding with tenken's own kanji-only tables (data/itaiji.tsv, data/mj_shrink.tsv).

itaiji.tsv maps a variant (髙, 﨑, 邊, 澤, 櫻, ...) to its standard form; it is built by
scripts/build_itaiji_table.py from Unihan's Jōyō/Jinmeiyō variant pairs plus a curated list.
mj_shrink.tsv adds the 縮退 of 13,000 kanji outside JIS X 0208 (𠮷 → 吉, 德 → 徳, 棃 → 梨) from
the 文字情報基盤 MJ縮退マップ (scripts/build_mj_shrink_table.py; identity sources only, CC BY-SA
2.1 JP): what a system without the character writes instead. Where both tables list a
character itaiji.tsv decides, and a 縮退 target is itself folded by itaiji.tsv, so one pass of
the table is a fixed point. Loaded once, on first use. Apply it after NFKC (NFKC does not fold
﨑, and keys are NFKC-stable).
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files


def _pairs(name: str) -> list[tuple[str, str]]:
    text = files("tenken.normalize").joinpath(f"data/{name}").read_text(encoding="utf-8")
    pairs = []
    for line in text.splitlines():
        if line and not line.startswith("#"):
            variant, standard = line.split("\t")[:2]
            pairs.append((variant, standard))
    return pairs


@cache
def table() -> dict[int, str]:
    """The variant → standard table as a ``str.translate`` mapping (loaded once)."""
    mapping = {ord(variant): standard for variant, standard in _pairs("itaiji.tsv")}
    for variant, target in _pairs("mj_shrink.tsv"):
        mapping.setdefault(ord(variant), mapping.get(ord(target), target))
    return mapping


def fold(text: str) -> str:
    """Replace every variant kanji by its standard form (length preserved)."""
    return text.translate(table())
