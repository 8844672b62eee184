"""Snapshot of what the address normaliser returns, to prove an optimisation changes nothing.

    python bench/address_snapshot.py record /tmp/base.json.gz     # with the code before
    python bench/address_snapshot.py compare /tmp/base.json.gz    # with the code after

For a large, varied sample it stores, per input text, everything callers use:
``address_key(text)``, every field of ``normalize_address(text)`` (the CLI prints them all),
``prepare(text)`` (the linkage fast path is proved against it) and ``keys_agree`` of
neighbouring keys. ``compare`` recomputes them and lists every difference (exit 1 if any).

The sample (deterministic, the same for every revision):
- every string in tests/normalize/cases/*.yaml (the conformance set and the older cases) and
  every address-like string literal in tests/normalize/*.py and tests/linkage/*.py;
- the 住所 column of registry and records of ``tenken synth`` populations (notation habits,
  several seeds);
- bench/bench_normalize.py's mixed-notation addresses (several seeds);
- derived texts: every case string cut after each character (prefecture only, municipality
  only, a town cut in the middle: the partial readings) and with spaces, full-width digits or
  dash look-alikes put in.
"""

from __future__ import annotations

import argparse
import ast
import dataclasses
import gzip
import itertools
import json
import random
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

SYNTH_SEEDS = (1, 15, 42, 2026)
SYNTH_PEOPLE = 30_000
BENCH_SEEDS = (5, 6, 7)
BENCH_COUNT = 30_000
_WIDE = str.maketrans("0123456789-", "０１２３４５６７８９－")


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def _looks_like_address(text: str) -> bool:
    return 2 <= len(text) <= 200 and any(ord(ch) > 0x3000 for ch in text)


def case_strings() -> list[str]:
    """Strings of the case files and address-like literals of the address tests."""
    out: list[str] = []
    for path in sorted((ROOT / "tests/normalize/cases").glob("*.yaml")):
        out += [s for s in _strings(yaml.safe_load(path.read_text("utf-8"))) if s.strip()]
    for folder in ("tests/normalize", "tests/linkage"):
        for path in sorted((ROOT / folder).glob("*.py")):
            tree = ast.parse(path.read_text("utf-8"))
            out += [
                n.value
                for n in ast.walk(tree)
                if isinstance(n, ast.Constant)
                and isinstance(n.value, str)
                and _looks_like_address(n.value)
            ]
    return out


def synth_strings() -> list[str]:
    from tenken.linkage import synth

    out: list[str] = []
    for seed in SYNTH_SEEDS:
        data = synth.generate(SYNTH_PEOPLE, seed)
        for table in (data.registry, data.records):
            out += [v for v in table.column("住所").to_pylist() if v]
    return out


def bench_strings() -> list[str]:
    import bench_normalize

    out: list[str] = []
    for seed in BENCH_SEEDS:
        out += bench_normalize.make_addresses(BENCH_COUNT, random.Random(seed))
    return out


def derived(cases: Iterable[str]) -> list[str]:
    """Cuts and notation changes of the case strings (paths the whole texts never take)."""
    rng = random.Random(15)
    out: list[str] = []
    for text in dict.fromkeys(cases):
        out += [text[:cut] for cut in range(1, len(text))]
        spaced = list(text)
        for _ in range(2):
            spaced.insert(rng.randrange(len(spaced) + 1), rng.choice([" ", "　"]))
        out += [
            "".join(spaced),
            text.translate(_WIDE),
            text.replace("-", rng.choice("‐−ーｰ―")),
            "〒100-0001 " + text,
        ]
    return out


def sample() -> list[str]:
    cases = case_strings()
    values = cases + synth_strings() + bench_strings() + derived(cases)
    return list(dict.fromkeys(values))


def results(values: list[str]) -> dict[str, Any]:
    from tenken.normalize.address import address_key, keys_agree, normalize_address, prepare

    keys = [address_key(v) for v in values]
    structs = [dataclasses.asdict(normalize_address(v)) for v in values]
    prepared = [prepare(v) for v in values]
    # keys_agree of each key with the next in sorted order (the near misses: same main, tails)
    ordered = sorted(set(keys))
    agree = [keys_agree(a, b) for a, b in itertools.pairwise(ordered)]
    return {"values": values, "keys": keys, "structs": structs, "prepared": prepared,
            "agree": agree}  # fmt: skip


def _differences(old: dict[str, Any], new: dict[str, Any]) -> Iterator[str]:
    for index, text in enumerate(old["values"]):
        for what in ("keys", "structs", "prepared"):
            if old[what][index] != new[what][index]:
                yield f"{what} {text!r}: {old[what][index]!r} -> {new[what][index]!r}"
    if old["agree"] != new["agree"]:
        yield "keys_agree of neighbouring keys differs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["record", "compare"])
    parser.add_argument("path", type=Path)
    args = parser.parse_args()
    started = time.process_time()
    if args.mode == "record":
        values = sample()
        data = results(values)
        with gzip.open(args.path, "wt", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False)
        print(f"recorded {len(values):,} texts in {time.process_time() - started:.0f} CPU s")
        return
    with gzip.open(args.path, "rt", encoding="utf-8") as handle:
        old = json.load(handle)
    if sample() != old["values"]:
        print("note: the sample differs from the recorded one; comparing the recorded texts")
    new = json.loads(json.dumps(results(old["values"]), ensure_ascii=False))  # tuples as lists
    diffs = list(_differences(old, new))
    fields = len(old["structs"][0]) if old["structs"] else 0
    compared = len(old["values"]) * (2 + fields) + len(old["agree"])
    print(f"{len(old['values']):,} texts, {compared:,} values compared "
          f"(key, prepare, {fields} Address fields each, {len(old['agree']):,} keys_agree): "
          f"{len(diffs)} differences  [{time.process_time() - started:.0f} CPU s]")  # fmt: skip
    for line in diffs[:30]:
        print("  " + line)
    sys.exit(1 if diffs else 0)


if __name__ == "__main__":
    main()
