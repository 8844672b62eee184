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
from django.shortcuts import redirect, render
from django.urls import reverse

from tenken.store import api
from tenken.survey.document import AnswerDocument
from tenken.survey.engine import FLAG_MISSING_INFO, FLAG_UNANSWERED, evaluate
from tenken.survey.model import Questionnaire
from tenken.web.accounts.roles import access_of, require
from tenken.web.accounts.services import parse_questionnaire
from tenken.web.site import formspec, store
from tenken.web.site.entries import Entry, get_entry


@lru_cache(maxsize=16)
def _questionnaire(text: str, source: str) -> Questionnaire:
    return parse_questionnaire(text, source)


def questionnaire_for(entry: Entry) -> Questionnaire:
    survey_round = entry.survey_round
    if survey_round.questionnaire_yaml:
        return _questionnaire(survey_round.questionnaire_yaml, survey_round.title)
    return api.questionnaire_of(survey_round)


def _readonly_reason(can_answer: bool, entry: Entry) -> str:
    if not can_answer:
        return "閲覧のみです（回答の変更は、その団体の回答者だけが行えます）。"
    if not entry.survey_round.is_open:
        return "この調査は締め切られたため、閲覧のみです。"
    return "回答期限を過ぎたため、閲覧のみです。修正が必要な場合は調査の担当者にご連絡ください。"


# What the form asks before a save that the respondent might not mean (one rule for both
# paths: an answer with problems is accepted, as an uploaded sheet with flags is, and the
# ministry follows up; a draft never withdraws a submission).
CONFIRM_PROBLEMS = (
    "不備が {n} 件あります。このまま提出すると「提出済み（不備あり）」となり、調査の担当者から"
    "確認の連絡が入ることがあります。よろしければ「不備ありのまま提出する」を押してください。"
)
CONFIRM_DRAFT = (
    "提出済みの回答があります。一時保存しても、新しい回答を提出するまでは提出済みの回答が"
    "集計に使われます。よろしければ「一時保存する（提出済みの回答はそのまま）」を押してください。"
)


def _question(action: str, evaluation: Any, entry: Entry, confirmed: bool) -> str:
    """The question to ask before saving, or "" when the save can go ahead."""
    if confirmed:
        return ""
    if action == "submit" and evaluation.problems:
        return CONFIRM_PROBLEMS.format(n=len(evaluation.problems))
    if action == "draft" and store.has_submission(entry):
        return CONFIRM_DRAFT
    return ""


@login_required
def answer(request: HttpRequest, round_id: int, org_id: int) -> HttpResponse:
    entry = get_entry(round_id, org_id, request.GET.get("seido"))
    access = access_of(request.user)
    require(request, access.can_read(entry.organisation))
    if entry.seido is None:
        return _pick(request, entry)
    can_answer = access.can_answer(entry.organisation)
    editable = can_answer and entry.can_edit()
    questionnaire = questionnaire_for(entry)
    fixed = fixed_for(entry, questionnaire)
    org = entry.organisation
    source = f"{entry.survey_round.title}/{org.name}"

    if request.method == "POST":
        require(request, editable)
        document = formspec.read_post(questionnaire, request.POST, fixed, source)
        document = formspec.without_skipped(document, evaluate(questionnaire, document))
        evaluation = evaluate(questionnaire, document, attached_names(entry))
        action = request.POST.get("action", "check")
        question = ""
        refused = formspec.control_character_problems(questionnaire, document)
        if refused:
            for message in refused:
                messages.error(request, message)
        elif action in ("draft", "submit") and store.available():
            confirmed = request.POST.get("confirm") == action
            question = _question(action, evaluation, entry, confirmed)
            if not question:
                username = request.user.get_username()
                submit = action == "submit"
                store.save(
                    entry, questionnaire, document, evaluation, submit, username, request.user
                )
                messages.success(request, _done_message(action, evaluation))
                return redirect(answer_url(entry))
        view = _View(entry, questionnaire, fixed, editable, can_answer, store.load(entry))
        return _render(request, view, document, checked=True, question=(action, question))

    stored = store.load(entry)
    document = stored.document if stored else AnswerDocument(dict(fixed), {}, source)
    view = _View(entry, questionnaire, fixed, editable, can_answer, stored)
    return _render(request, view, document, checked=False)


def answer_url(entry: Entry) -> str:
    """The answer page of the entry's organisation and 制度."""
    page = reverse("answer", args=[entry.survey_round_id, entry.organisation_id])
    return page + entry.query


def fixed_for(entry: Entry, q: Questionnaire) -> dict[str, str]:
    """What the site fills in the respondent block of the entry's form (its 制度 included)."""
    org = entry.organisation
    return formspec.fixed_values(q, org.kind, org.name, entry.unit)


def _pick(request: HttpRequest, entry: Entry) -> HttpResponse:
    """The 制度 the organisation answers in the round, each with its state and form."""
    seidos = [
        {
            "seido": s,
            "status": store.state_label(entry.picked(s)),
            "url": answer_url(entry.picked(s)),
        }
        for s in entry.seidos
    ]
    context = {"entry": entry, "questionnaire": questionnaire_for(entry), "seidos": seidos}
    return render(request, "tenken/answer_pick.html", context)


@dataclass(frozen=True)
class _View:
    """What the form page needs besides the document being shown."""

    entry: Entry
    questionnaire: Questionnaire
    fixed: dict[str, str]
    editable: bool
    can_answer: bool
    stored: store.Stored | None


def attached_names(entry: Entry) -> list[str]:
    """What the organisation attached so far ("<requested label>: <file name>")."""
    return [a.name for a in store.attachments(entry)]


def flag_badges(missing_info: bool, unanswered: bool) -> list[tuple[str, bool]]:
    """The two flags as badges: 「情報未入力あり」 when set, 「情報未入力なし」 when not."""
    return [
        (name if on else name.removesuffix("あり") + "なし", on)
        for name, on in ((FLAG_MISSING_INFO, missing_info), (FLAG_UNANSWERED, unanswered))
    ]


def _problem_list(q: Questionnaire, evaluation: Any) -> list[dict[str, str]]:
    """Every problem with the item it belongs to, for the list at the top of the form."""
    titles = {f.name: formspec.title_of(f) for f in q.fields}
    return [
        {"anchor": f"field-{p.item}", "title": titles.get(p.item, p.item), "message": p.message}
        for p in evaluation.problems
    ]


def _done_message(action: str, evaluation: Any) -> str:
    if action == "draft":
        return "一時保存しました。"
    if evaluation.problems:
        return f"提出しました（不備 {len(evaluation.problems)} 件あり）。"
    return "提出しました。"


def _render(
    request: HttpRequest,
    view: _View,
    document: AnswerDocument,
    checked: bool,
    question: tuple[str, str] = ("", ""),
) -> HttpResponse:
    q, fixed = view.questionnaire, view.fixed
    document = AnswerDocument({**document.respondent, **fixed}, document.answers, document.source)
    evaluation = evaluate(q, document, attached_names(view.entry))
    shown = checked or view.stored is not None
    context: dict[str, Any] = {
        "entry": view.entry,
        "questionnaire": q,
        "evaluation": evaluation,
        "sections": formspec.sections(
            formspec.field_views(q, document, evaluation, fixed, view.editable, shown)
        ),
        "problem_list": _problem_list(q, evaluation) if shown else [],
        "flag_badges": flag_badges(evaluation.missing_info, evaluation.unanswered),
        "attachments": evaluation.attachments,
        "attached": store.attachments(view.entry),
        "editable": view.editable,
        "readonly_reason": _readonly_reason(view.can_answer, view.entry),
        "can_save": store.available(),
        "checked": shown,
        "status_label": store.state_label(view.entry),
        "confirm_action": question[0] if question[1] else "",
        "confirm_question": question[1],
        "history": store.history(view.entry),
        "flag_missing": FLAG_MISSING_INFO,
        "flag_unanswered": FLAG_UNANSWERED,
        **_delegation_links(view.entry),
    }
    return render(request, "tenken/answer.html", context, status=200)


def _delegation_links(entry: Entry) -> dict[str, Any]:
    from tenken.web.site.delegation_views import page_links

    return page_links(entry)
