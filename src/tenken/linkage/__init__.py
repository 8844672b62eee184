"""Inspection and linking of records against the resident registry (総点検・紐付け)."""

from __future__ import annotations

import importlib.util

_NORMALIZERS = ("address", "name", "date", "sex")


def normalizers_available() -> bool:
    """True when tenken.normalize has the four normalisers the inspection needs (issue 5)."""
    return all(importlib.util.find_spec(f"tenken.normalize.{m}") for m in _NORMALIZERS)
