"""Answer documents: the JSON shape respondents (or the Excel reader) hand to the engine.

```json
{"respondent": {"組織区分": "市区町村", "組織名": "14神奈川県相模原市"},
 "answers": {"1-1": "①", "2": "③", "2-予定年月": "2023-09", "6": ["①", "②"]}}
```

Parsing checks the shape (objects, strings, lists for multi-select) and that every key is a
field of the questionnaire; choice codes are checked later by the engine, which can suggest
the intended code. Numbers are accepted as text (``1`` → ``"1"``) so that the engine can say
``invalid_choice`` with a suggestion instead of a type error.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tenken.errors import InputError, Location, echo
from tenken.fileio import line_of, read_bytes, size_error
from tenken.survey.model import Questionnaire

AnswerValue = str | list[str]
# C0/C1 controls (newline and tab allowed in free text), bidi overrides and the like.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_TOP_KEYS = {"respondent", "answers", "questionnaire"}


@dataclass(frozen=True)
class AnswerDocument:
    """One organisation's answers: respondent block and items, values as given."""

    respondent: dict[str, str] = field(default_factory=dict)
    answers: dict[str, AnswerValue] = field(default_factory=dict)
    source: str = "<document>"
    issued_round: str = ""  # the round an Excel sheet was generated for ("" = any)
    issued_seido: str = ""  # the 制度 an Excel sheet was generated for ("" = not said)

    def value(self, name: str) -> AnswerValue:
        if name in self.respondent:
            return self.respondent[name]
        return self.answers.get(name, "")

    def to_json(self) -> dict[str, Any]:
        return {"respondent": dict(self.respondent), "answers": dict(self.answers)}


def load_json(path: Path, questionnaire: Questionnaire) -> AnswerDocument:
    """Read an answer document from a JSON file (InputError when unreadable or malformed)."""
    return parse_json_bytes(read_bytes(path), questionnaire, str(path))


MAX_JSON_BYTES = 10 * 1024 * 1024
"""Like the answer sheets' cap: an answer document is a few KB."""
MAX_DEPTH = 20
"""An answer document nests three levels; anything far deeper is not one."""
_OPENERS = frozenset(b"[{")


def parse_json_bytes(raw: bytes, questionnaire: Questionnaire, source: str) -> AnswerDocument:
    """An answer document from the bytes of a JSON file (UTF-8, with or without BOM).

    Bounded: size, nesting depth, and numbers kept as their text (Python refuses to convert an
    integer of more than 4,300 digits, and the engine reports a number as a wrong choice).
    """
    loc = Location(source)
    if len(raw) > MAX_JSON_BYTES:
        raise size_error(source, len(raw), MAX_JSON_BYTES, "回答ファイル").with_code("E-JSON-SIZE")
    _check_depth(raw, loc)
    try:
        data = json.loads(raw.decode("utf-8-sig"), parse_int=str, parse_constant=_no_constant)
    except UnicodeDecodeError as error:
        raise InputError(
            "UTF-8 のテキストではありません",
            location=Location(source, line_of(raw, error.start)),
            hint="回答ファイルは UTF-8 の JSON か、調査票の Excel ファイルです",
            code="E-INPUT-ENCODING",
        ) from error
    except json.JSONDecodeError as error:
        raise InputError(
            f"JSON として読めません: {error.msg}",
            location=Location(source, error.lineno, f"{error.colno}文字目"),
            code="E-JSON-SYNTAX",
        ) from error
    except (RecursionError, ValueError) as error:
        raise InputError(
            f"JSON として読めません（{type(error).__name__}）", location=loc, code="E-JSON-SYNTAX"
        ) from error
    return parse_document(data, questionnaire, source)


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def _check_depth(raw: bytes, loc: Location) -> None:
    """Refuse deep nesting before the recursive parser sees it (100,000 brackets used to raise
    RecursionError). Brackets inside strings are counted too: a bound, not a parse."""
    if raw.count(b"[") + raw.count(b"{") <= MAX_DEPTH:
        return
    depth = deepest = 0
    for byte in raw:
        if byte in _OPENERS:
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_DEPTH:
                raise InputError(
                    f"JSON の入れ子が深すぎます（{MAX_DEPTH} 段まで）", location=loc,
                    hint='回答は {"respondent": {...}, "answers": {...}} の形です',
                    code="E-JSON-DEPTH",
                )  # fmt: skip
        elif byte in (0x5D, 0x7D):
            depth = max(depth - 1, 0)


def parse_document(data: Any, questionnaire: Questionnaire, source: str) -> AnswerDocument:
    """Check the shape of ``data`` and build an :class:`AnswerDocument`."""
    loc = Location(source)
    if not isinstance(data, Mapping):
        raise InputError("JSON の最上位はオブジェクト（{...}）である必要があります", location=loc)
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise InputError(
            f"未知のキー {echo(sorted(map(str, unknown)))} があります",
            location=loc,
            hint='最上位のキーは "respondent" と "answers" です',
        )
    _check_questionnaire(data.get("questionnaire"), questionnaire, loc)
    respondent_names = [f.name for f in questionnaire.respondent_fields]
    item_fields = {f.name: f for f in questionnaire.items}
    respondent = {
        key: _as_text(value, f"respondent.{key}", loc)
        for key, value in _section(data, "respondent", respondent_names, loc).items()
    }
    answers: dict[str, AnswerValue] = {}
    for key, value in _section(data, "answers", list(item_fields), loc).items():
        where = f"answers.{key}"
        if item_fields[key].kind == "select_multiple":
            answers[key] = _as_list(value, where, loc)
        else:
            answers[key] = _as_text(value, where, loc)
    return AnswerDocument(respondent, answers, source)


def _check_questionnaire(declared: Any, questionnaire: Questionnaire, loc: Location) -> None:
    if declared is None:
        return
    declared_id = declared.get("id") if isinstance(declared, Mapping) else declared
    if declared_id != questionnaire.id:
        raise InputError(
            f"別の調査票（{declared_id}）の回答です",
            location=loc,
            hint=f"この点検は {questionnaire.id} の回答が対象です",
        )


def _section(data: Mapping[str, Any], key: str, names: list[str], loc: Location) -> dict[str, Any]:
    section = data.get(key)
    if section is None:
        return {}
    if not isinstance(section, Mapping):
        raise InputError(
            f'"{key}" はオブジェクト（{{...}}）である必要があります', location=loc,
            code="E-JSON-SHAPE",
        )  # fmt: skip
    for name in section:
        if name not in names:
            close = difflib.get_close_matches(str(name), names, n=1, cutoff=0.5)
            hint = f"もしかして '{close[0]}'？" if close else f"使える項目: {', '.join(names)}"
            raise InputError(
                f"\"{key}\" に未知の項目 '{echo(name)}' があります", location=loc, hint=hint,
                code="E-JSON-KEY",
            )  # fmt: skip
    return dict(section)


def check_text(text: str, where: str, loc: Location) -> str:
    """``text`` when it holds no control character (newline and tab allowed), else an error.

    One rule for every answer format (JSON here, Excel cells in the sheet reader): escape
    sequences and bidi overrides would otherwise be stored and printed raw to a terminal.
    """
    bad = _CONTROL.search(text)
    if bad:
        raise InputError(
            f"{where} に制御文字（U+{ord(bad.group(0)):04X}）があります",
            location=loc,
            hint="改行・タブ以外の制御文字を取り除いてください",
            code="E-INPUT-CONTROL",
        )
    return text


def _as_text(value: Any, where: str, loc: Location) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise InputError(
            f"{where} は文字列である必要があります（{type(value).__name__} です）", location=loc
        )
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return check_text(str(value), where, loc)


def _as_list(value: Any, where: str, loc: Location) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(
            f"{where} は複数選択の項目です: 選択肢の配列で指定してください",
            location=loc,
            hint='例: ["①", "②"]',
        )
    return [_as_text(v, where, loc) for v in value]
