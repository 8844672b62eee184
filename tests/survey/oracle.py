"""The seed's rules written out by hand, independently of the YAML and the engine.

Used by the tests as an oracle: 1-1 only for 市区町村, 1-2 only for 都道府県; skips 3=② → 6,
5=① → 10, 7-2=② → 9, 8-1=② or ③ → 9; 7-3 only when 7-2=①; 7-4 only when 7-3=①;
8-2 only when 8-1=①; follow-ups 2-予定年月 when 2=③ and 8-1-概要 when 8-1=①.
"""

from __future__ import annotations

from collections.abc import Mapping

ITEMS = ("1-1", "1-2", "2", "2-予定年月", "3", "4", "5", "6", "7-1", "7-2", "7-3", "7-4",
         "8-1", "8-1-概要", "8-2", "9", "10")  # fmt: skip
CODES: dict[str, tuple[str, ...]] = {
    "1-1": ("①", "②"), "1-2": ("①", "②"), "2": ("①", "②", "③", "④"), "3": ("①", "②"),
    "4": ("①", "②", "③"), "5": ("①", "②"), "6": ("①", "②"), "7-1": ("①", "②"),
    "7-2": ("①", "②"), "7-3": ("①", "②"), "7-4": ("①", "②", "③", "④", "⑤"),
    "8-1": ("①", "②", "③"), "8-2": ("①", "②"), "9": ("①", "②", "③", "④"),
    "10": ("①", "②", "③", "④"),
}  # fmt: skip
MULTI = ("6", "7-4")
FOLLOWUPS = {"2-予定年月": ("2", "③"), "8-1-概要": ("8-1", "①")}


def applicable(kubun: str, answers: Mapping[str, object]) -> set[str]:
    """The items that apply for this 組織区分 and these answers, by the seed's rules."""
    out: set[str] = {"2", "3", "10"}
    if kubun == "市区町村":
        out.add("1-1")
    if kubun == "都道府県":
        out.add("1-2")

    def val(item: str) -> object:
        return answers.get(item) if item in out else None

    if val("2") == "③":
        out.add("2-予定年月")
    if val("3") != "②":
        out |= {"4", "5"}
    if val("5") != "①":
        out |= {"6", "7-1", "7-2", "9"}
    if val("7-2") == "①":
        out.add("7-3")
    if val("7-3") == "①":
        out.add("7-4")
    if "7-2" in out and val("7-2") != "②":
        out.add("8-1")
    if val("8-1") == "①":
        out |= {"8-1-概要", "8-2"}
    return out
