"""Sex codes map to 1/2/9 and anything else is refused."""

from __future__ import annotations

import pytest

from tenken.errors import NormalizeError
from tenken.normalize.sex import normalize_sex


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("1", "1"), ("男", "1"), ("男性", "1"), ("M", "1"), ("m", "1"), ("１", "1"), (" 男 ", "1"),
        ("2", "2"), ("女", "2"), ("女性", "2"), ("F", "2"), ("ｆ", "2"),
        ("9", "9"), ("不明", "9"),
    ],
)  # fmt: skip
def test_known_codes(text: str, code: str) -> None:
    """Every notation we promise maps to its registry code."""
    assert normalize_sex(text) == code


@pytest.mark.parametrize("text", ["", "3", "X", "男女", "x" * 10_000_000, "\U0001f600"])
def test_unknown_codes_raise(text: str) -> None:
    """Unknown codes raise NormalizeError with a hint, whatever their size."""
    with pytest.raises(NormalizeError) as info:
        normalize_sex(text)
    assert "性別" in info.value.message
    assert info.value.hint
