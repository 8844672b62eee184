"""Where the number to set may come from: nowhere but a unique full match or a checked number.

The 2023 mislinks came from linking whoever a partial query (kana name + birth date) returned.
So a number is accepted only when some registry state of that number agrees with the record on
all four facts: either it is the one person the inspection found agreeing on all four
(proposed), or the reviewer typed it and it is checked here against the registry's four facts.
A partial match never yields a number, on any path.
"""

from __future__ import annotations

from dataclasses import dataclass

from tenken.linkage.review.facts import State, full_match
from tenken.linkage.review.model import CaseFile, NumberSource
from tenken.normalize.mynumber import clean, is_valid, mask


class NumberRefused(ValueError):
    """The number cannot be used; the message says why (the number is masked)."""


def _by_number(case: CaseFile) -> dict[str, list[State]]:
    people: dict[str, list[State]] = {}
    for state in case.others:
        people.setdefault(state.number, []).append(state)
    return people


def full_match_numbers(case: CaseFile) -> list[str]:
    """Other persons agreeing with the record on all four facts in some state, sorted."""
    people = _by_number(case)
    return sorted(n for n, states in people.items() if full_match(case.record, states))


def proposed_number(case: CaseFile) -> str:
    """The number of the one person agreeing on all four facts, or '' (none, or several)."""
    found = full_match_numbers(case)
    return found[0] if len(found) == 1 else ""


@dataclass(frozen=True)
class CheckedNumber:
    number: str
    source: NumberSource


def check_number(case: CaseFile, typed: str) -> CheckedNumber:
    """Accept ``typed`` (or, when empty, the proposed number) only on a full four-fact match."""
    number = clean(typed)
    if not number:
        proposed = proposed_number(case)
        if not proposed:
            raise NumberRefused(
                "基本4情報がすべて一致する人が一意に見つかっていません。"
                "正しい番号を入力してください（住基の基本4情報と照合します）"
            )
        return CheckedNumber(proposed, NumberSource.FULL_MATCH)
    if not is_valid(number):
        raise NumberRefused(f"個人番号として正しくありません（{mask(number)}）")
    if number == clean(case.claimed_number):
        raise NumberRefused("いま紐付いている番号と同じです（正しい紐付けを選んでください）")
    if number == proposed_number(case):
        return CheckedNumber(number, NumberSource.FULL_MATCH)
    states = _by_number(case).get(number, [])
    if not states:
        raise NumberRefused(
            f"番号 {mask(number)} は、この記録と照合した住基の抜粋にありません"
            "（氏名・生年月日・性別が一致する人の番号だけを照合できます）"
        )
    if not full_match(case.record, states):
        raise NumberRefused(
            f"番号 {mask(number)} の住基の基本4情報は、記録と一部しか一致しません"
            "（部分一致では紐付けできません）"
        )
    return CheckedNumber(number, NumberSource.TYPED_CHECKED)
