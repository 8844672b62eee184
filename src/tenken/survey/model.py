"""The questionnaire model: immutable dataclasses built by :mod:`tenken.survey.loader`.

Vocabulary follows XLSForm: a questionnaire is a list of fields (XLSForm's "survey" sheet rows)
with ``type`` (``select_one LIST``, ``select_multiple LIST``, ``text``, ``integer``,
``decimal``, ``date``), ``name``, ``label``,
``relevant``, ``required``, ``constraint`` and ``constraint_message``; choices live in lists
keyed by ``list_name`` (XLSForm's "choices" sheet).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from tenken.survey.expr import Expr

# Every questionnaire's respondent block names the answering organisation with these two fields
# (the 別添2 convention); the site fixes them, tallies group by the kind.
ORG_NAME_FIELD = "組織名"
ORG_KIND_FIELD = "組織区分"
SEIDO_FIELD = "制度等"  # the 制度 an answer is about (see tenken.survey.seido)

FieldKind = Literal["select_one", "select_multiple", "text", "integer", "decimal", "date"]
KIND_NAMES: dict[str, str] = {
    "select_one": "単一選択",
    "select_multiple": "複数選択",
    "text": "自由記載",
    "integer": "整数",
    "decimal": "数値",
    "date": "日付",
}
Section = Literal["respondent", "items"]
FilledBy = Literal["ministry", "respondent"]


@dataclass(frozen=True)
class Choice:
    """One option: ``name`` is the stored code (e.g. ``①``), ``label`` the wording."""

    name: str
    label: str
    note: str | None = None


@dataclass(frozen=True)
class ChoiceList:
    """The options of one ``list_name``."""

    name: str
    choices: tuple[Choice, ...]

    def codes(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.choices)

    def label_of(self, code: str) -> str:
        for choice in self.choices:
            if choice.name == code:
                return choice.label
        raise KeyError(code)


@dataclass(frozen=True)
class Attachment:
    """A document the respondent is asked to send with the sheet."""

    name: str
    label: str
    relevant: Expr | None = None
    required: bool = False
    note: str | None = None


@dataclass(frozen=True)
class Field:
    """One row of the questionnaire: a respondent-block field, an item or a follow-up."""

    name: str
    kind: FieldKind
    section: Section
    label: str
    list_name: str | None = None
    question: str | None = None
    notes: tuple[str, ...] = ()
    hint: str | None = None
    filled_by: FilledBy = "respondent"
    relevant: Expr | None = None
    required: bool = True
    constraint: Expr | None = None
    constraint_message: str | None = None
    followup_of: str | None = None
    attachments: tuple[Attachment, ...] = ()

    @property
    def is_select(self) -> bool:
        return self.kind in ("select_one", "select_multiple")

    @property
    def is_number(self) -> bool:
        return self.kind in ("integer", "decimal")

    @property
    def is_free(self) -> bool:
        """Typed in by the respondent (text, number or date) rather than chosen from a list."""
        return not self.is_select

    @property
    def is_followup(self) -> bool:
        return self.followup_of is not None


@dataclass(frozen=True)
class Questionnaire:
    """A whole questionnaire: fields in sheet order and their choice lists."""

    id: str
    version: str
    title: str
    fields: tuple[Field, ...]
    lists: dict[str, ChoiceList]
    meta: dict[str, str] = field(default_factory=dict)
    attachments: tuple[Attachment, ...] = ()

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def respondent_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.section == "respondent")

    @property
    def items(self) -> tuple[Field, ...]:
        """Items and their follow-ups, in sheet order."""
        return tuple(f for f in self.fields if f.section == "items")

    def choices_of(self, f: Field) -> ChoiceList:
        if f.list_name is None:
            raise KeyError(f"{f.name} has no choice list")
        return self.lists[f.list_name]
