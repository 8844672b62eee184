"""Format validators available to questionnaire expressions (``constraint``).

Each takes the value (``.``) and returns a bool; they are registered on import of this module,
which :mod:`tenken.survey.loader` does before parsing any questionnaire.
"""

from __future__ import annotations

import re
import unicodedata

from tenken.survey.expr import BinOp, Call, Node, Value, register_function, to_text
from tenken.survey.local_governments import lookup_org_name
from tenken.survey.model import ORG_NAME_FIELD, Questionnaire

_PHONE_EXTENSION = re.compile(r"[(（]?\s*内線\s*[0-9,、\s]+[)）]?$")
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
_YEAR_MONTH = re.compile(
    r"^(?:(?P<y>20\d\d)\s*[-/.年]\s*(?P<m>\d{1,2})\s*月?"
    r"|(?:令和|R)\s*(?P<ry>\d{1,2}|元)\s*[-/.年]\s*(?P<rm>\d{1,2})\s*月?)$",
    re.IGNORECASE,
)


def is_phone(value: Value) -> bool:
    """Japanese phone number: 10 or 11 digits from 0, hyphens optional, 内線 allowed."""
    text = unicodedata.normalize("NFKC", to_text(value)).strip()
    text = _PHONE_EXTENSION.sub("", text).strip()
    if not re.fullmatch(r"[0-9\-() ]+", text):
        return False
    digits = re.sub(r"\D", "", text)
    return digits.startswith("0") and len(digits) in (10, 11)


def is_email(value: Value) -> bool:
    text = unicodedata.normalize("NFKC", to_text(value)).strip()
    return len(text) <= 254 and _EMAIL.fullmatch(text) is not None


def is_year_month(value: Value) -> bool:
    """A planned month: ``2023-09``, ``2023年9月``, ``令和5年9月``, ``R5.9``."""
    text = unicodedata.normalize("NFKC", to_text(value)).strip()
    match = _YEAR_MONTH.fullmatch(text)
    if not match:
        return False
    month = int(match.group("m") or match.group("rm"))
    return 1 <= month <= 12


def is_local_government(value: Value, org_kind: Value) -> bool:
    """組織名 names a real local government of the given 組織区分 (``14神奈川県相模原市``)."""
    found = lookup_org_name(to_text(value))
    if found is None:
        return False
    kind = to_text(org_kind)
    return kind == "" or found.kind == kind


register_function("phone", 1, is_phone)
register_function("email", 1, is_email)
register_function("year-month", 1, is_year_month)
register_function("local-government", 2, is_local_government)


def names_local_governments(q: Questionnaire) -> bool:
    """Whether the questionnaire's 組織名 must be a local government (``local-government()``)."""
    f = next((f for f in q.respondent_fields if f.name == ORG_NAME_FIELD), None)
    return (
        f is not None and f.constraint is not None and _calls(f.constraint.node, "local-government")
    )


def _calls(node: Node, func: str) -> bool:
    if isinstance(node, Call):
        return node.func == func or any(_calls(a, func) for a in node.args)
    if isinstance(node, BinOp):
        return _calls(node.left, func) or _calls(node.right, func)
    return False
