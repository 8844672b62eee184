"""Hand-built case files whose full and partial matches are known by construction."""

from __future__ import annotations

from tenken.linkage.review.facts import Facts, State
from tenken.linkage.review.model import CaseFile
from tests.linkage.fixtures import number

HOME = "東京都千代田区千代田1丁目1番1号"
HOME_VARIANT = "東京都千代田区千代田１－１－１"
ELSEWHERE = "大阪府大阪市北区梅田2丁目3番4号"
RECORD = Facts("山田 太郎", "1980-01-02", "1", HOME)
SAME = Facts(
    "山田　太郎", "昭和55年1月2日", "男", HOME_VARIANT
)  # all four agree, as written otherwise
HOMONYM = Facts("山田　太郎", "1980-01-02", "1", ELSEWHERE)  # name, birth, sex only

CLAIMED = number(100)
RIGHT = number(101)
RIGHT_TOO = number(102)
PARTIAL = number(103)
UNKNOWN = number(104)


def case(
    rid: str = "R1",
    verdict: str = "suspected_mislink",
    full: tuple[str, ...] = (RIGHT,),
    partial: tuple[str, ...] = (PARTIAL,),
    claimed: str = CLAIMED,
) -> CaseFile:
    """A record linked to ``claimed`` (a homonym elsewhere); others agree fully or partly."""
    claimed_states = (State(claimed, HOMONYM, "2015-10-05"),) if claimed else ()
    others = tuple(State(n, SAME, "2015-10-05") for n in full) + tuple(
        State(n, HOMONYM, "2015-10-05") for n in partial
    )
    return CaseFile(rid, verdict, ("other_person_matches",), RECORD, "2020-01-01",
                    claimed, claimed_states, others)  # fmt: skip


KINDS = {
    "unique": case("R1"),
    "ambiguous": case("R2", full=(RIGHT, RIGHT_TOO)),
    "partial_only": case("R3", verdict="review", full=()),
    "unlinked_match": case("R4", verdict="unlinked_match", claimed=""),
    "unlinked_ambiguous": case(
        "R5", verdict="unlinked_ambiguous", full=(RIGHT, RIGHT_TOO), claimed=""
    ),
    "unlinked_partial": case("R6", verdict="unlinked_none", full=(), claimed=""),
}
FULL_BY_CONSTRUCTION = {
    "unique": {RIGHT}, "ambiguous": {RIGHT, RIGHT_TOO}, "partial_only": set(),
    "unlinked_match": {RIGHT}, "unlinked_ambiguous": {RIGHT, RIGHT_TOO}, "unlinked_partial": set(),
}  # fmt: skip
