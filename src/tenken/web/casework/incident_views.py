"""The incident register (survey Q10): incidents of an organisation, their cases, the 概要."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from tenken.linkage.review import incident_doc
from tenken.linkage.review.model import Action, Role, Status
from tenken.store.audit import record
from tenken.store.casework.models import Case, Cause, Incident
from tenken.web.casework import access

EDITORS = frozenset({Role.REVIEWER, Role.APPROVER, Role.ORG_ADMIN})
DATE_FIELDS = ("found_on", "reported_on", "published_on", "fixed_on")


def _orgs(user: Any, roles: frozenset[Role] = access.CASE_READERS) -> list[str]:
    return [o for o in access.visible_organisations(user) if access.roles(user, o) & roles]


def editable(user: Any) -> list[str]:
    """Organisations whose incident register this user may change."""
    return _orgs(user, EDITORS)


def mislink_cases(organisation: str) -> Any:
    """Approved (or exported) cases decided as mislinks: the ones an incident may cover."""
    return Case.objects.filter(run__organisation=organisation,
                               status__in=[Status.APPROVED, Status.EXPORTED],
                               action__in=[Action.MISLINK, Action.UNLINK])  # fmt: skip


@login_required
@never_cache
def incidents(request: HttpRequest) -> HttpResponse:
    from tenken.web.casework.incident_attach import all_targets  # it builds on this module

    orgs = _orgs(request.user)
    if not orgs:
        raise PermissionDenied("紐付け誤り事例の登録簿を見る権限がありません")
    found = Incident.objects.filter(organisation__in=orgs).prefetch_related("cases")
    return render(request, "tenken/review/incidents.html", {
        "incidents": found, "orgs": orgs, "editable": _orgs(request.user, EDITORS),
        "causes": Cause.choices, "attach": all_targets(request.user, editable(request.user)),
    })  # fmt: skip


def _date(text: str, label: str, required: bool = False) -> dt.date | None:
    if not text:
        if required:
            raise ValueError(f"{label}を入力してください")
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise ValueError(f"{label}の日付を読めません（YYYY-MM-DD）") from error


def _fields(post: Any) -> dict[str, Any]:
    labels = {"found_on": "発見日", "reported_on": "報告日", "published_on": "公表日",
              "fixed_on": "改善日"}  # fmt: skip
    values: dict[str, Any] = {f: _date(post.get(f, ""), labels[f], f == "found_on")
                              for f in DATE_FIELDS}  # fmt: skip
    cause = post.get("cause", "")
    if cause not in Cause.values:
        raise ValueError("原因を選んでください")
    title = post.get("title", "").strip()
    if not title:
        raise ValueError("件名を入力してください")
    try:
        affected = int(post.get("records_affected") or 0)
    except ValueError as error:
        raise ValueError("影響を受けた記録の件数は数字で入力してください") from error
    return {**values, "cause": cause, "title": title[:200], "records_affected": max(0, affected),
            "summary": post.get("summary", "")[:10000]}  # fmt: skip


def _details(incident: Incident) -> dict[str, Any]:
    return {"title": incident.title, "cause": incident.cause,
            "records_affected": incident.records_affected,
            **{f: str(getattr(incident, f) or "") for f in DATE_FIELDS}}  # fmt: skip


@login_required
def incident_new(request: HttpRequest) -> HttpResponse:
    """Register an incident; from a case page it starts with that case."""
    if request.method != "POST":
        return redirect("review:incidents")
    org = request.POST.get("organisation", "")
    if org not in _orgs(request.user, EDITORS):
        raise PermissionDenied("この組織の事例は登録できません")
    try:
        fields = _fields(request.POST)
    except ValueError as error:
        messages.error(request, str(error))
        return redirect("review:incidents")
    with transaction.atomic():
        incident = Incident.objects.create(organisation=org, created_by=request.user.get_username(),
                                           **fields)  # fmt: skip
        record(request.user, "incident.create", incident, _details(incident), org)
    messages.success(request, f"事例「{incident.title}」を登録しました")
    return redirect("review:incident", incident_id=incident.pk)


@login_required
@never_cache
def incident_detail(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = Incident.objects.filter(pk=incident_id, organisation__in=_orgs(request.user)).first()
    if incident is None:
        raise Http404("事例が見つかりません")
    editable = incident.organisation in _orgs(request.user, EDITORS)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied("この事例は変更できません")
        _update(request, incident)
        return redirect("review:incident", incident_id=incident.pk)
    candidates = mislink_cases(incident.organisation).exclude(incidents=incident)
    return render(request, "tenken/review/incident.html", {
        "incident": incident, "editable": editable, "causes": Cause.choices,
        "cases": incident.cases.select_related("run"), "candidates": candidates[:200],
    })  # fmt: skip


def _update(request: HttpRequest, incident: Incident) -> None:
    add = request.POST.get("add_case", "")
    with transaction.atomic():
        if add:
            case = (
                mislink_cases(incident.organisation)
                .filter(pk=int(add) if add.isdigit() else 0)
                .first()
            )
            if case is None:
                messages.error(request, "追加できるのは承認済みの誤紐付けの事案だけです")
                return
            incident.cases.add(case)
            record(request.user, "incident.add_case", incident, {"case": case.pk, "rid": case.rid},
                   incident.organisation)  # fmt: skip
            messages.success(request, f"事案 {case.rid} を追加しました")
            return
        try:
            fields = _fields(request.POST)
        except ValueError as error:
            messages.error(request, str(error))
            return
        for key, value in fields.items():
            setattr(incident, key, value)
        incident.save()
        record(request.user, "incident.update", incident, _details(incident), incident.organisation)
        messages.success(request, "事例を更新しました")


def lines(organisation: str) -> list[incident_doc.IncidentLine]:
    labels = dict(Cause.choices)
    result = []
    for i in Incident.objects.filter(organisation=organisation).order_by("found_on", "pk"):
        rids = "、".join(i.cases.order_by("rid").values_list("rid", flat=True))
        result.append(incident_doc.IncidentLine(
            i.title, i.found_on, str(labels[i.cause]), i.records_affected, rids, i.reported_on,
            i.published_on, i.fixed_on, i.summary, i.cause == Cause.UNKNOWN))  # fmt: skip
    return result


@login_required
def summary(request: HttpRequest, fmt: str) -> HttpResponse:
    """The organisation's 概要 document for Q10 (xlsx or self-contained HTML)."""
    org = request.GET.get("organisation", "")
    if org not in _orgs(request.user) or fmt not in ("xlsx", "html"):
        raise Http404("組織が見つかりません")
    today = dt.date.today()
    made = lines(org)
    record(request.user, "incident.summary", ("organisation", org), {"format": fmt,
           "incidents": len(made)}, org)  # fmt: skip
    if fmt == "xlsx":
        data = incident_doc.xlsx_bytes(org, made, today)
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        data, kind = incident_doc.html_bytes(org, made, today), "text/html; charset=utf-8"
    response = HttpResponse(data, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="q10-incidents-{today:%Y%m%d}.{fmt}"'
    return response


@login_required
def case_to_incident(request: HttpRequest, case_id: int) -> HttpResponse:
    """From an approved mislink's page: add the case to an incident (a new one if asked)."""
    case = access.case_for(request.user, case_id)
    org = case.run.organisation
    if request.method != "POST" or org not in _orgs(request.user, EDITORS):
        raise PermissionDenied("事例に追加する権限がありません")
    if not mislink_cases(org).filter(pk=case.pk).exists():
        messages.error(request, "事例に追加できるのは承認済みの誤紐付けの事案だけです")
        return redirect("review:case", case_id=case.pk)
    chosen = request.POST.get("incident", "")
    with transaction.atomic():
        if chosen == "new":
            incident = Incident.objects.create(
                organisation=org, title=f"誤紐付け {case.rid}", found_on=dt.date.today(),
                cause=request.POST.get("cause") if request.POST.get("cause") in Cause.values
                else Cause.OTHER, records_affected=1, created_by=request.user.get_username(),
            )  # fmt: skip
            record(request.user, "incident.create", incident, _details(incident), org)
        else:
            incident = Incident.objects.filter(
                organisation=org, pk=int(chosen) if chosen.isdigit() else 0).first()  # fmt: skip
            if incident is None:
                raise Http404("事例が見つかりません")
        incident.cases.add(case)
        record(request.user, "incident.add_case", incident, {"case": case.pk, "rid": case.rid}, org)
    messages.success(request, f"事案 {case.rid} を事例「{incident.title}」に追加しました")
    return redirect("review:incident", incident_id=incident.pk)
