"""The rule engine: for an answer document, every field's status, the problems and the two flags.

* 「情報未入力あり」: a field of the respondent block that the respondent fills is empty
  (or holds something that is not one of its choices).
* 「未回答あり」: an item that applies (by 組織区分 and the skip rules) has no valid answer,
  or a required follow-up is empty.

Relevance follows XLSForm: an item applies when its ``relevant`` expression holds, and the value
of an item that does not apply reads as empty in every other expression (so skips chain).
Answers in items that do not apply are kept in the document but never counted.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from tenken.errors import echo
from tenken.survey.document import AnswerDocument, AnswerValue
from tenken.survey.expr import Lookup, Value, to_bool
from tenken.survey.model import Attachment, ChoiceList, Field, Questionnaire

ProblemKind = Literal[
    "unanswered",
    "not_applicable",
    "invalid_choice",
    "missing_followup",
    "invalid_format",
    "missing_attachment",
]
FieldState = Literal["answered", "empty", "skipped", "invalid"]
FLAG_MISSING_INFO = "情報未入力あり"
FLAG_UNANSWERED = "未回答あり"

KIND_LABELS: dict[str, str] = {
    "unanswered": "未回答",
    "not_applicable": "回答対象外",
    "invalid_choice": "選択肢にない値",
    "missing_followup": "補足の記載漏れ",
    "invalid_format": "形式の誤り",
    "missing_attachment": "添付なし",
}


def flags_json(missing_info: bool, unanswered: bool) -> dict[str, bool]:
    """The two flags as every JSON output writes them (keys are the sheet's texts)."""
    return {FLAG_MISSING_INFO: missing_info, FLAG_UNANSWERED: unanswered}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an answer document; ``kind`` is a stable code."""

    item: str
    kind: ProblemKind
    message: str
    suggestion: str | None = None

    @classmethod
    def from_json(cls, data: dict[str, str]) -> Problem:
        """A problem as the store kept it (:meth:`to_json`)."""
        kind = cast(ProblemKind, data["kind"])
        return cls(data["item"], kind, data["message"], data.get("suggestion"))

    def to_json(self) -> dict[str, str]:
        data = {"item": self.item, "kind": self.kind, "message": self.message}
        if self.suggestion is not None:
            data["suggestion"] = self.suggestion
        return data


@dataclass(frozen=True)
class FieldStatus:
    """How one field stands: does it apply, and what state its answer is in."""

    name: str
    applies: bool
    state: FieldState
    value: AnswerValue


@dataclass(frozen=True)
class Evaluation:
    """The engine's verdict on one answer document."""

    questionnaire_id: str
    statuses: dict[str, FieldStatus]
    problems: tuple[Problem, ...]
    missing_info: bool
    unanswered: bool
    attachments: tuple[Attachment, ...] = field(default=())

    @property
    def flags(self) -> dict[str, bool]:
        return flags_json(self.missing_info, self.unanswered)

    @property
    def complete(self) -> bool:
        """True when nothing is missing or wrong (exit code 0 of ``tenken survey check``)."""
        return not self.problems and not self.missing_info and not self.unanswered

    def counted(self) -> dict[str, AnswerValue]:
        """Answers that count in tallies: fields that apply, with valid values only."""
        return {n: s.value for n, s in self.statuses.items() if s.applies and s.state == "answered"}

    def to_json(self) -> dict[str, Any]:
        return {
            "flags": self.flags,
            "problems": [p.to_json() for p in self.problems],
        }


def suggest_choice(value: str, choices: ChoiceList) -> str | None:
    """The code the respondent most likely meant: ``1``/``① 定めている``/``定めている`` → ``①``."""
    text = unicodedata.normalize("NFKC", value).strip()
    if not text:
        return None
    for choice in choices.choices:
        code_digit = unicodedata.normalize("NFKC", choice.name)
        if text == choice.name.strip() or text == code_digit:
            return choice.name
        if value.strip().startswith(choice.name) or text.startswith(code_digit + " "):
            return choice.name
        if text in (unicodedata.normalize("NFKC", choice.label), choice.label.rstrip("。")):
            return choice.name
    labels = {unicodedata.normalize("NFKC", c.label): c.name for c in choices.choices}
    close = difflib.get_close_matches(text, list(labels), n=1, cutoff=0.6)
    return labels[close[0]] if close else None


_NUMBER = {
    "integer": re.compile(r"[+-]?\d+"),
    "decimal": re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)"),
}
_FORMAT_MESSAGES = {
    "integer": "整数ではありません（例: 120）",
    "decimal": "数値ではありません（例: 12.5、小数点は「.」）",
    "date": "日付ではありません（年-月-日の形で、例: 2023-07-21）",
}


def typed_value(f: Field, text: str) -> Value | None:
    """The value of a typed-in answer as expressions see it; None when it has the wrong form.

    Numbers become floats (so ``. >= 0`` compares numbers), dates stay ISO text (which sorts as
    dates), full-width digits are accepted; text is returned as is.
    """
    if f.kind == "text":
        return text
    plain = unicodedata.normalize("NFKC", text).strip()
    if f.kind in _NUMBER:
        return float(plain) if _NUMBER[f.kind].fullmatch(plain) else None
    if f.kind == "date":
        try:
            return dt.date.fromisoformat(plain).isoformat() if len(plain) == 10 else None
        except ValueError:
            return None
    return text


def _is_empty(value: AnswerValue) -> bool:
    return not value if isinstance(value, list) else value.strip() == ""


class _Run:
    """One evaluation: memoised relevance, so expressions see skipped fields as empty."""

    def __init__(self, questionnaire: Questionnaire, document: AnswerDocument) -> None:
        self.q = questionnaire
        self.doc = document
        self.fields = {f.name: f for f in questionnaire.fields}
        self.applies_memo: dict[str, bool] = {}

    def effective(self, name: str) -> Value:
        """A field's value as other expressions see it: empty when it does not apply."""
        f = self.fields[name]
        if not self.applies(name):
            return [] if f.kind == "select_multiple" else ""
        value = self.doc.value(name)
        if isinstance(value, list):
            return list(value)
        if f.is_free and f.kind != "text":
            typed = typed_value(f, value)
            return value.strip() if typed is None else typed
        return value.strip()

    def applies(self, name: str) -> bool:
        if name not in self.applies_memo:
            f = self.fields[name]
            # The loader rejects cycles, so this recursion terminates.
            self.applies_memo[name] = f.relevant is None or f.relevant.truthy(self.effective)
        return self.applies_memo[name]

    def check(self, f: Field) -> tuple[FieldStatus, list[Problem]]:
        value = self.doc.value(f.name)
        applies = self.applies(f.name)
        if not applies:
            problems = [] if _is_empty(value) else [_not_applicable(f)]
            return FieldStatus(f.name, False, "skipped", value), problems
        if _is_empty(value):
            state: FieldState = "empty"
            needed = f.required and f.filled_by == "respondent"
            return FieldStatus(f.name, True, state, value), [_missing(f)] if needed else []
        problems = self.check_value(f, value)
        state = "invalid" if any(p.kind == "invalid_choice" for p in problems) else "answered"
        if isinstance(value, list) and state == "invalid":
            valid = [v for v in value if v in self.q.choices_of(f).codes()]
            state = "answered" if valid else "invalid"
            value = valid
        return FieldStatus(f.name, True, state, value), problems

    def check_value(self, f: Field, value: AnswerValue) -> list[Problem]:
        if f.is_select:
            choices = self.q.choices_of(f)
            values = value if isinstance(value, list) else [value]
            problems = [_invalid_choice(f, v, choices) for v in values if v not in choices.codes()]
            if isinstance(value, list) and len(set(value)) != len(value):
                problems.append(
                    Problem(f.name, "invalid_choice", f"{_title(f)}: 同じ選択肢が重複しています")
                )
            return problems
        typed = value if isinstance(value, list) else typed_value(f, value)
        if typed is None:
            message = f"{_title(f)}: {value!r} は{_FORMAT_MESSAGES[f.kind]}"
            return [Problem(f.name, "invalid_format", message)]
        if f.constraint is not None and not to_bool(f.constraint.evaluate(self.effective, typed)):
            message = f.constraint_message or "形式が正しくありません"
            return [Problem(f.name, "invalid_format", f"{_title(f)}: {message}")]
        return []


def _title(f: Field) -> str:
    return f.name if f.section == "respondent" else f"項番{f.name}"


def _missing(f: Field) -> Problem:
    if f.is_followup:
        return Problem(
            f.name,
            "missing_followup",
            f"{_title(f)}: 項番{f.followup_of}の補足「{f.label}」が未記載です",
        )
    if f.section == "respondent":
        return Problem(f.name, "unanswered", f"{f.name}が未入力です")
    return Problem(f.name, "unanswered", f"{_title(f)}が未回答です")


def _not_applicable(f: Field) -> Problem:
    return Problem(
        f.name,
        "not_applicable",
        f"{_title(f)}は組織区分または前の回答により回答不要ですが、回答があります"
        "（回答は保持しますが集計しません）",
    )


def _invalid_choice(f: Field, value: str, choices: ChoiceList) -> Problem:
    suggestion = suggest_choice(value, choices)
    allowed = "、".join(choices.codes())
    message = f"{_title(f)}: '{echo(value)}' は選択肢にありません（{allowed}）"
    if suggestion:
        message += f"。'{suggestion}' のことですか？"
    return Problem(f.name, "invalid_choice", message, suggestion)


def evaluate(
    questionnaire: Questionnaire,
    document: AnswerDocument,
    attached: Iterable[str] | None = None,
) -> Evaluation:
    """Check ``document`` against ``questionnaire``: statuses, problems and the two flags.

    ``attached`` names the files (or the site's attachment labels) that came with the answer;
    when given, each required attachment the answer calls for and that is not among them is a
    ``missing_attachment`` problem (not a flag of the sheet: 提出済み（不備あり）). ``None``
    means the caller does not know the attachments (a sheet checked on its own).
    """
    run = _Run(questionnaire, document)
    statuses: dict[str, FieldStatus] = {}
    problems: list[Problem] = []
    for f in questionnaire.fields:
        status, found = run.check(f)
        statuses[f.name] = status
        problems.extend(found)
    missing_info = any(
        f.filled_by == "respondent"
        and f.required
        and statuses[f.name].state in ("empty", "invalid")
        for f in questionnaire.respondent_fields
        if statuses[f.name].applies
    )
    unanswered = any(
        f.required and statuses[f.name].state in ("empty", "invalid")
        for f in questionnaire.items
        if statuses[f.name].applies
    )
    attachments = tuple(
        a
        for a in (
            *questionnaire.attachments,
            *(a for f in questionnaire.fields for a in f.attachments),
        )
        if a.relevant is None or a.relevant.truthy(run.effective)
    )
    if attached is not None:
        problems.extend(missing_attachments(questionnaire, attachments, list(attached)))
    return Evaluation(
        questionnaire.id, statuses, tuple(problems), missing_info, unanswered, attachments
    )


def attachment_given(attachment: Attachment, attached: list[str]) -> bool:
    """A file (or site label) gives ``attachment`` when it names it: ``10-概要.pdf``,
    ``14神奈川県相模原市_紐付け誤り事例の概要.docx``, ``紐付け誤り事例の概要: 事例.pdf``."""
    return any(attachment.name in a or attachment.label in a for a in attached)


def missing_attachments(
    questionnaire: Questionnaire, requested: Iterable[Attachment], attached: list[str]
) -> list[Problem]:
    owners = {a.name: f for f in questionnaire.fields for a in f.attachments}
    problems = []
    for a in requested:
        if a.required and not attachment_given(a, attached):
            owner = owners.get(a.name)
            item = owner.name if owner is not None else a.name
            where = f"{_title(owner)}の回答により" if owner is not None else ""
            problems.append(
                Problem(
                    item,
                    "missing_attachment",
                    f"{where}「{a.label}」の添付が必要ですが、ありません",
                )
            )
    return problems


def effective_lookup(questionnaire: Questionnaire, document: AnswerDocument) -> Lookup:
    """Field values exactly as ``relevant`` expressions see them (a skipped field reads as empty).

    For other rule sets over the same answers (e.g. risk rules), so that they share the
    engine's notion of what applies instead of reimplementing it.
    """
    return _Run(questionnaire, document).effective
