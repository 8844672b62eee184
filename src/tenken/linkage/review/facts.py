"""Compare a record's four facts with a registry state, the way ``tenken inspect`` does.

The normalisers are the same ones inspect uses (name key with 異体字 folded, dates in any era
notation, sex codes, address keys that treat 「5丁目-4-3」「5-4-3」「5の4の3」 as equal, and
the same rule for when two keys agree, :func:`~tenken.normalize.address.keys_agree`), so
a fact shown as agreeing here is one inspect counted as agreeing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from tenken.errors import NormalizeError
from tenken.normalize.address import address_key, keys_agree
from tenken.normalize.date import parse_date
from tenken.normalize.name import compare_names
from tenken.normalize.sex import normalize_sex

FACTS = ("name", "birth", "sex", "address")
"""The four basic facts (基本4情報), in display order."""

FACT_LABELS = {
    "name": "氏名",
    "birth": "生年月日",
    "sex": "性別",
    "address": "住所",
    "kana": "氏名カナ",
}


class Agreement(StrEnum):
    AGREE = "agree"
    DIFFERS = "differs"
    HISTORY = "history"  # differs from the current state, agrees with an earlier one
    UNVERIFIABLE = "unverifiable"  # 外字 etc.: the name cannot be compared


AGREEMENT_LABELS = {
    Agreement.AGREE: "一致",
    Agreement.DIFFERS: "相違",
    Agreement.HISTORY: "履歴で一致",
    Agreement.UNVERIFIABLE: "照合不能（外字等）",
}


@dataclass(frozen=True)
class Facts:
    """Four facts as written (plus kana when the source has it)."""

    name: str = ""
    birth: str = ""
    sex: str = ""
    address: str = ""
    kana: str = ""


@dataclass(frozen=True)
class State:
    """One registry state of a person: the number, the facts and the validity dates."""

    number: str
    facts: Facts
    valid_from: str = ""
    valid_to: str = ""

    @property
    def is_current(self) -> bool:
        return not self.valid_to


def _date(text: str) -> dt.date | None:
    try:
        return parse_date(text) if text else None
    except NormalizeError:
        return None


def _sex(text: str) -> str | None:
    try:
        return normalize_sex(text) if text else None
    except NormalizeError:
        return None


def _address(text: str) -> str | None:
    try:
        return address_key(text) if text else None
    except NormalizeError:
        return None


def compare(record: Facts, state: Facts) -> dict[str, Agreement]:
    """Per fact: agree, differs or (names) unverifiable; kana only when both have it."""
    result: dict[str, Agreement] = {}
    name = compare_names(record.name, state.name) if record.name and state.name else "mismatch"
    result["name"] = {"match": Agreement.AGREE, "unverifiable": Agreement.UNVERIFIABLE}.get(
        name, Agreement.DIFFERS
    )
    birth = _date(record.birth)
    result["birth"] = _flag(birth is not None and birth == _date(state.birth))
    sex = _sex(record.sex)
    result["sex"] = _flag(sex is not None and sex == _sex(state.sex))
    if record.address and record.address == state.address:
        result["address"] = Agreement.AGREE  # most states: no normalisation needed
    else:
        key, other = _address(record.address), _address(state.address)
        result["address"] = _flag(key is not None and other is not None and keys_agree(key, other))
    if record.kana and state.kana:
        result["kana"] = _flag(compare_names(record.kana, state.kana, kana=True) == "match")
    return result


def _flag(ok: bool) -> Agreement:
    return Agreement.AGREE if ok else Agreement.DIFFERS


def all_four_agree(comparison: dict[str, Agreement]) -> bool:
    """True only when every one of the four facts agrees (an unverifiable name is not a match)."""
    return all(comparison.get(f) == Agreement.AGREE for f in FACTS)


def full_match(record: Facts, states: Sequence[State]) -> bool:
    """Some state agrees with the record on all four facts."""
    return any(all_four_agree(compare(record, s.facts)) for s in states)


def per_fact(record: Facts, states: Sequence[State]) -> dict[str, Agreement]:
    """Summary over a person's states: agree with the current state, else agree with an
    earlier state (history), else differs (the current state's verdict for an unverifiable name).
    """
    if not states:
        return {}
    ordered = sorted(states, key=lambda s: (s.is_current, s.valid_from))
    current = ordered[-1]
    now = compare(record, current.facts)
    earlier = [compare(record, s.facts) for s in ordered[:-1]]
    result: dict[str, Agreement] = {}
    for fact, value in now.items():
        if value == Agreement.DIFFERS and any(e.get(fact) == Agreement.AGREE for e in earlier):
            value = Agreement.HISTORY
        result[fact] = value
    return result
