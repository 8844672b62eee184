"""Sex codes: 1/2, 男/女, 男性/女性, M/F (and 9/不明 for unknown) → "1" | "2" | "9"."""

from __future__ import annotations

from typing import Literal

from tenken.errors import NormalizeError
from tenken.normalize._text import clean

SexCode = Literal["1", "2", "9"]

_CODES: dict[str, SexCode] = {
    "1": "1", "男": "1", "男性": "1", "M": "1", "MALE": "1", "おとこ": "1",
    "2": "2", "女": "2", "女性": "2", "F": "2", "FEMALE": "2", "おんな": "2",
    "9": "9", "0": "9", "不明": "9", "未記載": "9", "U": "9", "UNKNOWN": "9",
}  # fmt: skip


def normalize_sex(text: str) -> SexCode:
    """The registry sex code for ``text``; raises NormalizeError for anything else."""
    value = clean(text, limit=40).replace(" ", "").upper() if isinstance(text, str) else ""
    code = _CODES.get(value)
    if code is None:
        shown = value[:20] or "（空）"
        raise NormalizeError(
            f"性別として読めません: {shown}", hint="1/2/9、男/女/不明、男性/女性、M/F のいずれか"
        )
    return code
