"""The answer form of one organisation in one round: read, check (点検), save a draft, submit.

Permission is decided by :mod:`tenken.web.accounts.roles` before anything else: only the
organisation's own respondent may change its answer (and only before the deadline unless the
administrator reopened it); administrators and viewers read it; everybody else gets 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from tenken.survey.document import AnswerDocument
from tenken.survey.engine import FLAG_MISSING_INFO, FLAG_UNANSWERED, evaluate
from tenken.survey.model import Questionnaire
from tenken.web.accounts.models import RosterEntry
from tenken.web.accounts.roles import access_of, require
from tenken.web.accounts.services import parse_questionnaire
from tenken.web.site import formspec, store


@lru_cache(maxsize=16)
def _questionnaire(text: str, source: str) -> Questionnaire:
    return parse_questionnaire(text, source)


def questionnaire_for(entry: RosterEntry) -> Questionnaire:
    survey_round = entry.survey_round
    return _questionnaire(survey_round.questionnaire_yaml, survey_round.title)


def _readonly_reason(can_answer: bool, entry: RosterEntry) -> str:
    if not can_answer:
        return "閲覧のみです（回答の変更は、その団体の回答者だけが行えます）。"
    return "回答期限を過ぎたため、閲覧のみです。修正が必要な場合は調査の担当者にご連絡ください。"


@login_required
def answer(request: HttpRequest, round_id: int, org_id: int) -> HttpResponse:
    entry = get_object_or_404(
        RosterEntry.objects.select_related("survey_round", "organisation"),
        survey_round_id=round_id,
        organisation_id=org_id,
    )
    access = access_of(request.user)
    require(request, access.can_read(entry.organisation))
    can_answer = access.can_answer(entry.organisation)
    editable = can_answer and entry.can_edit()
    questionnaire = questionnaire_for(entry)
    org = entry.organisation
    fixed = formspec.fixed_values(questionnaire, org.kind, org.name)
    source = f"{entry.survey_round.title}/{org.name}"

    if request.method == "POST":
        require(request, editable)
        document = formspec.read_post(questionnaire, request.POST, fixed, source)
        document = formspec.without_skipped(document, evaluate(questionnaire, document))
        evaluation = evaluate(questionnaire, document)
        action = request.POST.get("action", "check")
        if action in ("draft", "submit") and store.available():
            if action == "submit" and not evaluation.complete:
                messages.error(
                    request, "不備があるため提出できません。各項目の表示を確認してください。"
                )
            else:
                username = request.user.get_username()
                store.save(entry, questionnaire, document, evaluation, action == "submit", username)
                done = "提出しました" if action == "submit" else "一時保存しました"
                messages.success(request, f"{done}。")
                return redirect("answer", round_id=round_id, org_id=org_id)
        view = _View(entry, questionnaire, fixed, editable, can_answer, store.load(entry))
        return _render(request, view, document, checked=True)

    stored = store.load(entry)
    document = stored.document if stored else AnswerDocument(dict(fixed), {}, source)
    view = _View(entry, questionnaire, fixed, editable, can_answer, stored)
    return _render(request, view, document, checked=False)


@dataclass(frozen=True)
class _View:
    """What the form page needs besides the document being shown."""

    entry: RosterEntry
    questionnaire: Questionnaire
    fixed: dict[str, str]
    editable: bool
    can_answer: bool
    stored: store.Stored | None


def _render(
    request: HttpRequest, view: _View, document: AnswerDocument, checked: bool
) -> HttpResponse:
    q, fixed = view.questionnaire, view.fixed
    document = AnswerDocument({**document.respondent, **fixed}, document.answers, document.source)
    evaluation = evaluate(q, document)
    context: dict[str, Any] = {
        "entry": view.entry,
        "questionnaire": q,
        "evaluation": evaluation,
        "sections": formspec.sections(
            formspec.field_views(q, document, evaluation, fixed, view.editable)
        ),
        "attachments": evaluation.attachments,
        "attached": store.attachments(view.entry),
        "editable": view.editable,
        "readonly_reason": _readonly_reason(view.can_answer, view.entry),
        "can_save": store.available(),
        "checked": checked or view.stored is not None,
        "status_label": status_label(view.stored),
        "history": store.history(view.entry),
        "flag_missing": FLAG_MISSING_INFO,
        "flag_unanswered": FLAG_UNANSWERED,
    }
    return render(request, "tenken/answer.html", context, status=200)


def status_label(stored: store.Stored | None) -> str:
    if stored is None:
        return "未着手"
    return "提出済み" if stored.submitted else "一時保存"
