"""The questionnaire as plain JSON-ready data (``tenken survey spec --json``)."""

from __future__ import annotations

from typing import Any

from tenken.survey.model import Attachment, Field, Questionnaire


def _attachment(a: Attachment) -> dict[str, Any]:
    return {
        "name": a.name,
        "label": a.label,
        "relevant": str(a.relevant) if a.relevant else None,
        "required": a.required,
    }


def _field(q: Questionnaire, f: Field) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": f.name,
        "type": f"{f.kind} {f.list_name}" if f.list_name else f.kind,
        "section": f.section,
        "label": f.label,
        "question": f.question,
        "notes": list(f.notes),
        "hint": f.hint,
        "filled_by": f.filled_by,
        "relevant": str(f.relevant) if f.relevant else None,
        "required": f.required,
        "constraint": str(f.constraint) if f.constraint else None,
        "constraint_message": f.constraint_message,
        "followup_of": f.followup_of,
        "attachments": [_attachment(a) for a in f.attachments],
    }
    if f.list_name:
        data["choices"] = [{"name": c.name, "label": c.label} for c in q.choices_of(f).choices]
    return data


def questionnaire_to_json(q: Questionnaire) -> dict[str, Any]:
    return {
        "id": q.id,
        "version": q.version,
        "title": q.title,
        "meta": q.meta,
        "attachments": [_attachment(a) for a in q.attachments],
        "fields": [_field(q, f) for f in q.fields],
    }
