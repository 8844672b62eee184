"""The answer form, generated from a questionnaire: what each field shows and how a POST reads.

Pure functions over the survey model and engine (no requests, no database): views hand them
the questionnaire, the organisation's fixed facts and the posted data.

Field inputs are named ``q:<field name>``; ministry-filled fields and the organisation's own
組織区分・組織名 are fixed by the site, never taken from the POST (a respondent cannot answer
as another organisation by editing the form).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tenken.survey.document import AnswerDocument, AnswerValue
from tenken.survey.engine import Evaluation, Problem
from tenken.survey.expr import BinOp, Call, Current, Literal_, Node, Ref
from tenken.survey.model import (
    ORG_KIND_FIELD,
    ORG_NAME_FIELD,
    SEIDO_FIELD,
    Choice,
    Field,
    Questionnaire,
)
from tenken.survey.textcells import control_characters

PREFIX = "q:"
FIXED_BY_SITE = (ORG_KIND_FIELD, ORG_NAME_FIELD)


def node_json(node: Node) -> Any:
    """An expression tree as JSON for static/tenken/answer.js (same semantics as survey.expr)."""
    if isinstance(node, Literal_):
        return {"lit": node.value}
    if isinstance(node, Ref):
        return {"ref": node.name}
    if isinstance(node, Current):
        return {"cur": True}
    if isinstance(node, Call):
        return {"call": node.func, "args": [node_json(a) for a in node.args]}
    if isinstance(node, BinOp):
        return {"op": node.op, "l": node_json(node.left), "r": node_json(node.right)}
    raise TypeError(node)


@dataclass
class FieldView:
    """One field as the template draws it."""

    field: Field
    input_name: str
    value: AnswerValue
    applies: bool
    editable: bool
    choices: tuple[Choice, ...] = ()
    problems: list[Problem] = field(default_factory=list)
    relevant_json: str = ""

    @property
    def title(self) -> str:
        return title_of(self.field)

    @property
    def label(self) -> str:
        """The question as the web form words it (the sheet's 「○」 instruction replaced)."""
        return web_wording(self.field.label)

    @property
    def selected(self) -> list[str]:
        return self.value if isinstance(self.value, list) else [self.value]


def title_of(f: Field) -> str:
    return f.name if f.section == "respondent" else f"項番{f.name}"


_SHEET_ONLY = re.compile(r"\s*[（(]\s*該当箇所全てに「○」を入れてください\s*[）)]")


def web_wording(text: str) -> str:
    """Wording that belongs to the Excel sheet, said the way a web form says it."""
    return _SHEET_ONLY.sub("（該当するものをすべて選んでください）", text)


def control_character_problems(q: Questionnaire, document: AnswerDocument) -> list[str]:
    """A message per field holding a control character (refused at input: no writer takes it)."""
    found = []
    for f in q.fields:
        value = document.value(f.name)
        chars = control_characters("".join(value) if isinstance(value, list) else value)
        if chars:
            found.append(
                f"{title_of(f)} に使えない文字（制御文字 {'、'.join(chars)}）が含まれています。"
                "削除してから保存してください。"
            )
    return found


def fixed_values(
    questionnaire: Questionnaire, kind: str, org_name: str, seido: str = ""
) -> dict[str, str]:
    """Respondent-block values the site fills: the organisation, single-choice ministry fields,
    and the 制度 of the form (a round with a 制度 list: one form per 制度)."""
    values = {ORG_KIND_FIELD: kind, ORG_NAME_FIELD: org_name}
    for f in questionnaire.respondent_fields:
        if f.filled_by == "ministry" and f.is_select:
            codes = questionnaire.choices_of(f).codes()
            if len(codes) == 1:
                values[f.name] = codes[0]
    if seido:
        values[SEIDO_FIELD] = seido
    return values


def read_post(
    questionnaire: Questionnaire, post: Any, fixed: Mapping[str, str], source: str
) -> AnswerDocument:
    """Build the answer document from a POST (a QueryDict or a dict of lists)."""
    respondent: dict[str, str] = {}
    answers: dict[str, AnswerValue] = {}
    for f in questionnaire.fields:
        if f.section == "respondent" and (f.name in fixed or f.filled_by == "ministry"):
            respondent[f.name] = fixed.get(f.name, "")
            continue
        key = PREFIX + f.name
        if f.kind == "select_multiple":
            value: AnswerValue = [v for v in _getlist(post, key) if v]
        else:
            value = (_getlist(post, key) or [""])[-1].strip()
        if f.section == "respondent":
            respondent[f.name] = value if isinstance(value, str) else ""
        elif value:
            answers[f.name] = value
    return AnswerDocument(respondent, answers, source)


def _getlist(post: Any, key: str) -> list[str]:
    if hasattr(post, "getlist"):
        return [str(v) for v in post.getlist(key)]
    value = post.get(key, [])
    return [str(v) for v in (value if isinstance(value, list) else [value])]


def without_skipped(document: AnswerDocument, evaluation: Evaluation) -> AnswerDocument:
    """Drop answers of items that do not apply: the form showed them disabled, so they are void."""
    kept = {n: v for n, v in document.answers.items() if evaluation.statuses[n].applies}
    return AnswerDocument(dict(document.respondent), kept, document.source)


def field_views(
    questionnaire: Questionnaire,
    document: AnswerDocument,
    evaluation: Evaluation,
    fixed: Mapping[str, str],
    editable: bool,
    show_problems: bool = True,
) -> list[FieldView]:
    """Every field with its value, whether it applies, its problems and its skip rule for JS.

    ``show_problems`` is False for a form nobody has touched yet: it is not drawn all in red.
    """
    problems: dict[str, list[Problem]] = {}
    for problem in evaluation.problems if show_problems else ():
        problems.setdefault(problem.item, []).append(problem)
    views = []
    for f in questionnaire.fields:
        fixed_here = f.name in fixed or f.filled_by == "ministry"
        relevant = json.dumps(node_json(f.relevant.node), ensure_ascii=False) if f.relevant else ""
        views.append(
            FieldView(
                field=f,
                input_name=PREFIX + f.name,
                value=document.value(f.name),
                applies=evaluation.statuses[f.name].applies,
                editable=editable and not fixed_here,
                choices=questionnaire.choices_of(f).choices if f.is_select else (),
                problems=problems.get(f.name, []),
                relevant_json=relevant,
            )
        )
    return views


def sections(views: list[FieldView]) -> list[tuple[str, list[FieldView]]]:
    """The form's two headed parts, in questionnaire order."""
    return [
        ("回答者情報", [v for v in views if v.field.section == "respondent"]),
        ("調査項目", [v for v in views if v.field.section == "items"]),
    ]
