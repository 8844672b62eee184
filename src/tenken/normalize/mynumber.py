"""My Number (個人番号): check-digit validation and the one masking helper.

Never print, log or put in a URL a full My Number: always pass it through :func:`mask`.
"""

from __future__ import annotations

import unicodedata

from stdnum.jp import in_ as _stdnum_in

_MASK = "****"


def clean(value: str | None) -> str:
    """Digits only: NFKC (full-width digits), spaces and hyphens removed."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    return "".join(ch for ch in text if ch not in " -\u3000\t")


def is_valid(value: str | None) -> bool:
    """True when ``value`` is 12 digits with a correct check digit."""
    digits = clean(value)
    return len(digits) == 12 and digits.isdigit() and bool(_stdnum_in.is_valid(digits))


def check_digit(first11: str) -> str:
    """The check digit for the first 11 digits of a My Number."""
    return str(_stdnum_in.calc_check_digit(first11))


def mask(value: str | None) -> str:
    """Mask a My Number for display: ``**** **** 0257`` (only the last 4 digits shown).

    Anything that is not 12 digits is masked whole, so no partial number leaks either.
    """
    digits = clean(value)
    if not digits:
        return ""
    if len(digits) == 12 and digits.isdigit():
        return f"{_MASK} {_MASK} {digits[-4:]}"
    return "*" * min(len(digits), 12)
