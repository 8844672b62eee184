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
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tenken.errors import InputError, Location
from tenken.inputs import read_bytes
from tenken.survey.model import Questionnaire

AnswerValue = str | list[str]
_TOP_KEYS = {"respondent", "answers", "questionnaire"}


@dataclass(frozen=True)
class AnswerDocument:
    """One organisation's answers: respondent block and items, values as given."""

    respondent: dict[str, str] = field(default_factory=dict)
    answers: dict[str, AnswerValue] = field(default_factory=dict)
    source: str = "<document>"
    issued_round: str = ""  # the round an Excel sheet was generated for ("" = any)

    def value(self, name: str) -> AnswerValue:
        if name in self.respondent:
            return self.respondent[name]
        return self.answers.get(name, "")

    def to_json(self) -> dict[str, Any]:
        return {"respondent": dict(self.respondent), "answers": dict(self.answers)}


def load_json(path: Path, questionnaire: Questionnaire) -> AnswerDocument:
    """Read an answer document from a JSON file (InputError when unreadable or malformed)."""
    return parse_json_bytes(read_bytes(path), questionnaire, str(path))


def parse_json_bytes(raw: bytes, questionnaire: Questionnaire, source: str) -> AnswerDocument:
    """An answer document from the bytes of a JSON file (UTF-8, with or without BOM)."""
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise InputError(
            "UTF-8 のテキストではありません",
            location=Location(source),
            hint="回答ファイルは UTF-8 の JSON か、調査票の Excel ファイルです",
        ) from error
    except json.JSONDecodeError as error:
        raise InputError(
            f"JSON として読めません: {error.msg}",
            location=Location(source, error.lineno, str(error.colno)),
        ) from error
    return parse_document(data, questionnaire, source)


def parse_document(data: Any, questionnaire: Questionnaire, source: str) -> AnswerDocument:
    """Check the shape of ``data`` and build an :class:`AnswerDocument`."""
    loc = Location(source)
    if not isinstance(data, Mapping):
        raise InputError("JSON の最上位はオブジェクト（{...}）である必要があります", location=loc)
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise InputError(
            f"未知のキー {sorted(unknown)} があります",
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
    section = data.get(key) or {}
    if not isinstance(section, Mapping):
        raise InputError(f'"{key}" はオブジェクト（{{...}}）である必要があります', location=loc)
    for name in section:
        if name not in names:
            close = difflib.get_close_matches(str(name), names, n=1, cutoff=0.5)
            hint = f"もしかして {close[0]!r}？" if close else f"使える項目: {', '.join(names)}"
            raise InputError(f'"{key}" に未知の項目 {name!r} があります', location=loc, hint=hint)
    return dict(section)


def _as_text(value: Any, where: str, loc: Location) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise InputError(
            f"{where} は文字列である必要があります（{type(value).__name__} です）", location=loc
        )
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


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
