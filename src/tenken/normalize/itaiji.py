"""異体字 folding with tenken's own kanji-only table (data/itaiji.tsv).

The table maps a variant (髙, 﨑, 邊, 澤, 櫻, ...) to its standard form; it is built by
scripts/build_itaiji_table.py from Unihan's Jōyō/Jinmeiyō variant pairs plus a curated list, and
loaded once, on first use. Apply it after NFKC (NFKC does not fold 﨑, and keys are NFKC-stable).
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files


@cache
def table() -> dict[int, str]:
    """The variant → standard table as a ``str.translate`` mapping (loaded once)."""
    text = files("tenken.normalize").joinpath("data/itaiji.tsv").read_text(encoding="utf-8")
    mapping: dict[int, str] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            variant, standard = line.split("\t")[:2]
            mapping[ord(variant)] = standard
    return mapping


def fold(text: str) -> str:
    """Replace every variant kanji by its standard form (length preserved)."""
    return text.translate(table())
