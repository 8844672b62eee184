"""My Number check digit and masking."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tenken.normalize import mynumber


def _valid_from(first11: str) -> str:
    return first11 + mynumber.check_digit(first11)


def test_known_valid_number_is_accepted_in_any_notation() -> None:
    """Full-width digits, spaces and hyphens do not change validity."""
    number = _valid_from("12345678901")
    assert mynumber.is_valid(number)
    spaced = f"{number[:4]} {number[4:8]}-{number[8:]}"
    assert mynumber.is_valid(spaced)
    wide = number.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert mynumber.is_valid(wide)


@given(st.from_regex(r"\A[0-9]{11}\Z"), st.integers(1, 9))
def test_any_wrong_check_digit_is_rejected(first11: str, delta: int) -> None:
    """Changing the check digit always makes the number invalid."""
    good = mynumber.check_digit(first11)
    bad = str((int(good) + delta) % 10)
    assert mynumber.is_valid(_valid_from(first11))
    assert not mynumber.is_valid(first11 + bad)


@given(st.from_regex(r"\A[0-9]{12}\Z"))
def test_mask_never_reveals_more_than_last_four_digits(number: str) -> None:
    """The masked form shows exactly the last four digits."""
    masked = mynumber.mask(number)
    assert masked == f"**** **** {number[-4:]}"
    assert number[:8] not in masked.replace(" ", "")


def test_mask_of_malformed_input_reveals_nothing() -> None:
    """Something that is not 12 digits is masked whole."""
    assert mynumber.mask("12345") == "*****"
    assert mynumber.mask("") == ""
    assert mynumber.mask(None) == ""
