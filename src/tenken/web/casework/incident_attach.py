"""Attach the organisation's Q10 概要 to its survey answer in one step, from the register.

Allowed only to someone who may both edit the organisation's incident register and change its
survey answer in that round (its respondent, before the deadline or when reopened).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from tenken.linkage.review import incident_doc
from tenken.store.audit import record
from tenken.survey.engine import attachment_given
from tenken.survey.model import Attachment
from tenken.web.accounts.models import Organisation
from tenken.web.accounts.roles import access_of
from tenken.web.casework import incident_views
from tenken.web.site import attachments, sheet_views, store
from tenken.web.site.entries import Entry, entries_of_organisation


@dataclass(frozen=True)
class Target:
    """A round's answer the user may attach the 概要 to, with what that answer asks for."""

    entry: Entry
    requested: list[Attachment]
    default: str  # name of the first required attachment still missing ("" when none)
    answered: bool


def targets(user: Any, org: str) -> list[Target]:
    """The open rounds of ``org`` whose answer this user may change (none for others)."""
    if org not in incident_views.editable(user):
        return []
    organisation = Organisation.objects.filter(name=org).first()
    if organisation is None or not access_of(user).can_answer(organisation):
        return []
    found = []
    for entry in entries_of_organisation(int(organisation.pk)):
        if entry.can_edit():
            # a round with several 制度: one answer (and target) per 制度
            found.extend(_target(entry.picked(seido)) for seido in entry.seidos)
    return found


def _target(entry: Entry) -> Target:
    asked = sheet_views.requested_attachments(entry)
    attached = [a.name for a in store.attachments(entry)]
    missing = [a.name for a in asked if a.required and not attachment_given(a, attached)]
    return Target(entry, asked, missing[0] if missing else "", store.load(entry) is not None)


def all_targets(user: Any, orgs: list[str]) -> dict[str, list[Target]]:
    return {org: found for org in orgs if (found := targets(user, org))}


@login_required
@require_POST
def attach_summary(request: HttpRequest) -> HttpResponse:
    """Make the 概要 (xlsx or HTML), keep it like an upload, attach it to the current answer."""
    org = request.POST.get("organisation", "")
    back = redirect("review:incidents")
    if org not in incident_views.editable(request.user):
        raise PermissionDenied("この組織の事例の登録簿を変更する権限がありません")
    round_id, seido = request.POST.get("round", ""), request.POST.get("seido", "")
    chosen = [
        t
        for t in targets(request.user, org)
        if str(t.entry.survey_round_id) == round_id and (t.entry.seido or "") == seido
    ]
    if not chosen:
        raise PermissionDenied(
            "この組織の調査の回答を変更する権限がありません（回答者のみ、期限内）"
        )
    target = chosen[0]
    labels = {a.name: a.label for a in target.requested}
    wanted, fmt = request.POST.get("requested", ""), request.POST.get("format", "")
    if not target.answered:
        messages.error(
            request, "調査の回答がまだありません。先に回答を一時保存してから添付してください。"
        )
        return back
    if wanted not in labels or fmt not in ("xlsx", "html"):
        messages.error(request, "添付する書類（この回答が求めるもの）と形式を選んでください。")
        return back
    today = dt.date.today()
    made = incident_views.lines(org)
    data = (incident_doc.xlsx_bytes(org, made, today) if fmt == "xlsx"
            else incident_doc.html_bytes(org, made, today))  # fmt: skip
    checked = attachments.generated(f"{labels[wanted]}_{today:%Y%m%d}.{fmt}", data)
    attachments.keep(settings.WORKSPACE / "uploads", checked)
    detail = {"format": fmt, "incidents": len(made), "round": target.entry.survey_round.code}
    record(request.user, "incident.summary", ("organisation", org), detail, org)
    name = f"{labels[wanted]}: {checked.name}"
    if not store.add_attachment(target.entry, name, len(data), checked.sha256, request.user):
        messages.error(
            request, "調査の回答がまだありません。先に回答を一時保存してから添付してください。"
        )
        return back
    round_name = target.entry.survey_round.title
    messages.success(
        request, f"概要の資料を「{round_name}」の回答に「{labels[wanted]}」として添付しました。"
    )
    return back
