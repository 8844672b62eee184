"""The review pages' per-fact comparison (``review.facts.compare``) says what inspect's SQL
said, on every linked record of synthetic populations with every notation habit synth writes.

An official clears a case on the page's 一致/相違 marks, so a fact inspect counted as agreeing
must never show as 相違 there, nor the reverse.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from tenken.linkage import synth
from tenken.linkage.inspection import run
from tenken.linkage.review.facts import Agreement, Facts, compare

# reason in verdicts.csv -> (fact, the Agreement facts.compare must give when it is listed)
_REASON_OF = {
    "name": ("name_differs", Agreement.DIFFERS),
    "birth": ("birth_differs", Agreement.DIFFERS),
    "sex": ("sex_differs", Agreement.DIFFERS),
    "address": ("address_differs", Agreement.DIFFERS),
    "kana": ("kana_differs", Agreement.DIFFERS),
}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _facts(row: dict[str, str]) -> Facts:
    return Facts(row["氏名"], row["生年月日"], row["性別"], row["住所"], row.get("氏名カナ", ""))


@pytest.mark.parametrize("seed", [5, 6])
def test_each_fact_of_the_chosen_state_compares_as_inspect_said(tmp_path: Path, seed: int) -> None:
    paths = synth.write(synth.generate(3000, seed), tmp_path / "data")
    run(paths["registry"], paths["records"], tmp_path / "out")
    states: dict[tuple[str, str, str], dict[str, str]] = {}
    for row in _rows(paths["registry"]):
        states[(row["個人番号"], row["有効開始日"], row["有効終了日"])] = row
    records = {row["制度固有番号"]: row for row in _rows(paths["records"])}
    checked: defaultdict[str, int] = defaultdict(int)
    for verdict in _rows(tmp_path / "out" / "verdicts.csv"):
        record = records[verdict["制度固有番号"]]
        key = (record["個人番号"], verdict["state_from"], verdict["state_to"])
        if not verdict["state_from"] or key not in states:
            continue  # not linked to a registry state (invalid number, unlinked, not found)
        reasons = set(filter(None, verdict["reasons"].split(";")))
        comparison = compare(_facts(record), _facts(states[key]))
        for fact, (reason, differs) in _REASON_OF.items():
            if fact not in comparison:
                continue
            said = comparison[fact]
            if fact == "name" and "name_unverifiable" in reasons:
                assert said == Agreement.UNVERIFIABLE, (verdict, record)
            else:
                assert (said == differs) == (reason in reasons), (fact, said, verdict, record)
            checked[f"{fact}:{said}"] += 1
    assert checked["address:agree"] > 1000 and checked["name:agree"] > 1000
    assert checked["address:differs"] > 0 and checked["name:differs"] > 0  # both sides were met
