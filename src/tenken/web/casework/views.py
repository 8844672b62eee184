"""Casework pages: runs, the case list, a case, the approver's queue, export, audit, grants.

Every view asks :mod:`.access` who may see the run and calls :mod:`tenken.store.casework.services`
to change anything; refusals of the workflow come back as messages, never as a changed row.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tenken.errors import InputError
from tenken.linkage.columns import REASONS, VERDICTS, reason_labels
from tenken.linkage.review.facts import AGREEMENT_LABELS, FACT_LABELS, FACTS, Agreement
from tenken.linkage.review.model import (
    ACTION_LABELS, NUMBER_SOURCE_LABELS, ROLE_LABELS, STATUS_LABELS, Action, Role, Status,
)  # fmt: skip
from tenken.linkage.review.workflow import WorkflowError, allowed_actions
from tenken.store.audit.models import AuditEntry
from tenken.store.casework import services
from tenken.store.casework.models import Case, Grant, Run
from tenken.web.casework import access, uploads

PAGE_SIZE = 50
_NUMBER_LIKE = re.compile(r"\d{12}")


def _runs_with_counts(runs: QuerySet[Run]) -> list[dict[str, Any]]:
    rows = []
    for run in runs:
        verdicts = dict(run.cases.values_list("verdict").annotate(n=Count("id")))
        progress = services.progress(run)
        total = sum(progress.values())
        done = progress[Status.APPROVED] + progress[Status.EXPORTED]
        rows.append({"run": run, "verdicts": [(VERDICTS[v], verdicts.get(v, 0)) for v in VERDICTS
                                               if v != "confirmed"],
                     "progress": [(STATUS_LABELS[Status(s)], n) for s, n in progress.items()],
                     "total": total, "percent": round(100 * done / total) if total else 100})  # fmt: skip
    return rows


@login_required
@never_cache
def runs(request: HttpRequest) -> HttpResponse:
    """Runs of the user's organisations; the ministry admin sees every run's counts only."""
    orgs = access.visible_organisations(request.user)
    ministry = access.is_ministry_admin(request.user)
    if not orgs and not ministry:
        raise PermissionDenied("総点検の権限がありません")
    mine = Run.objects.filter(organisation__in=orgs)
    others = Run.objects.exclude(organisation__in=orgs) if ministry else Run.objects.none()
    importers = [o for o in orgs if access.roles(request.user, o) & {Role.REVIEWER, Role.ORG_ADMIN}]
    return render(request, "tenken/review/runs.html", {
        "runs": _runs_with_counts(mine), "others": _runs_with_counts(others),
        "importers": importers, "orgs": orgs,
    })  # fmt: skip


@login_required
@require_POST
def run_import(request: HttpRequest) -> HttpResponse:
    """Import an inspect output uploaded as a zip (same checks as ``tenken review import``)."""
    org = request.POST.get("organisation", "")
    if not access.roles(request.user, org) & {Role.REVIEWER, Role.ORG_ADMIN}:
        raise PermissionDenied("この組織の点検を取り込む権限がありません")
    upload = request.FILES.get("archive")
    if upload is None:
        messages.error(request, "点検結果のフォルダを zip にしたファイルを選んでください")
        return redirect("review:runs")
    try:
        with uploads.extracted(upload) as folder:
            result = services.import_output(folder, org, request.POST.get("title") or None,
                                            request.user)  # fmt: skip
    except InputError as error:
        messages.error(request, uploads.public_message(error))
        return redirect("review:runs")
    state = "取り込みました" if result.created else "取り込み済みです（変更はありません）"
    messages.success(request, f"「{result.run.title}」を{state}")
    return redirect("review:cases", run_id=result.run.pk)


FILTERS = ("verdict", "reason", "status", "q")


def filtered_cases(run: Run, params: Any) -> QuerySet[Case]:
    """The run's cases narrowed by verdict, reason code, state and person (name, kana, ID)."""
    cases = run.cases.all()
    if params.get("verdict") in VERDICTS:
        cases = cases.filter(verdict=params["verdict"])
    if params.get("reason") in REASONS:
        cases = cases.filter(reasons__contains=params["reason"])
    if params.get("status") in {s.value for s in Status}:
        cases = cases.filter(status=params["status"])
    person = (params.get("q") or "").strip()
    if person:
        cases = cases.filter(Q(name__contains=person) | Q(kana__contains=person) | Q(rid=person))
    return cases.order_by("position")


@login_required
@never_cache
def cases(request: HttpRequest, run_id: int) -> HttpResponse:
    run = access.run_for(request.user, run_id)
    chosen = {k: request.GET.get(k, "") for k in FILTERS}
    if _NUMBER_LIKE.search(unicodedata.normalize("NFKC", chosen["q"])):
        # Never echo a typed number back into the page or the paging links.
        chosen["q"] = ""
        messages.warning(
            request, "個人番号では検索できません（氏名・カナ・制度固有番号で検索してください）"
        )
    page = Paginator(
        filtered_cases(run, chosen).only(
            "id", "rid", "verdict", "reasons", "name", "status", "action", "claimed_mask"
        ), PAGE_SIZE,
    ).get_page(request.GET.get("page"))  # fmt: skip
    query = urlencode({k: v for k, v in chosen.items() if v})
    roles = access.roles(request.user, run.organisation)
    return render(request, "tenken/review/cases.html", {
        "run": run, "page": page, "filters": chosen, "query": query,
        "rows": [_list_row(c) for c in page.object_list],
        "verdicts": [(k, v) for k, v in VERDICTS.items() if k != "confirmed"],
        "reasons": list(REASONS.items()), "statuses": list(STATUS_LABELS.items()),
        "bulk_actions": [(a.value, ACTION_LABELS[a]) for a in (Action.CORRECT, Action.MISLINK,
                         Action.UNLINK, Action.LINK, Action.HOLD)],
        "can_decide": Role.REVIEWER in roles, "can_approve": Role.APPROVER in roles,
        "progress": services.progress(run), "status_labels": STATUS_LABELS,
    })  # fmt: skip


def _list_row(case: Case) -> dict[str, Any]:
    return {"case": case, "verdict": VERDICTS[case.verdict], "reasons": reason_labels(case.reasons),
            "status": STATUS_LABELS[Status(case.status)],
            "action": ACTION_LABELS[Action(case.action)] if case.action else ""}  # fmt: skip


@login_required
@require_POST
def bulk_decide(request: HttpRequest, run_id: int) -> HttpResponse:
    """One decision over the filtered list, applied and audited case by case."""
    run = access.run_for(request.user, run_id)
    if not access.can(request.user, run.organisation, Role.REVIEWER):
        raise PermissionDenied("判断には点検担当者の権限が必要です")
    try:
        action = Action(request.POST.get("action", ""))
    except ValueError:
        messages.error(request, "判断を選んでください")
        return redirect("review:cases", run_id=run.pk)
    chosen = {k: request.POST.get(k, "") for k in FILTERS}
    ids = list(filtered_cases(run, chosen).filter(status__in=[Status.OPEN, Status.HELD])
               .values_list("pk", flat=True)[:2000])  # fmt: skip
    done, refused = services.decide_many(ids, request.user, action, request.POST.get("reason", ""))
    messages.success(request, f"{done} 件を「{ACTION_LABELS[action]}」と判断しました")
    if refused:
        rid, why = refused[0]
        messages.error(request, f"{len(refused)} 件は判断できませんでした（例: {rid}: {why}）")
    query = urlencode({k: v for k, v in chosen.items() if v})
    return redirect(reverse("review:cases", args=[run.pk]) + (f"?{query}" if query else ""))


def _state_rows(case: Case) -> list[dict[str, Any]]:
    rows = []
    for s in case.states.all():
        cells = []
        for fact in (*FACTS, "kana"):
            flag = s.agreement.get(fact, "")
            cells.append({"value": getattr(s, fact), "flag": flag,
                          "label": AGREEMENT_LABELS.get(Agreement(flag), "") if flag else ""})  # fmt: skip
        rows.append({"state": s, "cells": cells,
                     "kind": "紐付いている番号" if s.role == "claimed" else "別人（候補）"})  # fmt: skip
    return rows


def _history(case: Case) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(object_type="case", object_id=str(case.pk)).exclude(
        action="case.view").order_by("seq")  # fmt: skip


def _case_context(request: HttpRequest, case: Case) -> dict[str, Any]:
    roles = access.roles(request.user, case.run.organisation)
    file = services.case_file(case) if Role.REVIEWER in roles else None
    actions = allowed_actions(file) if file is not None else ()
    record = [{"label": FACT_LABELS[f], "value": getattr(case, f),
               "flag": case.facts.get(f, ""),
               "flag_label": AGREEMENT_LABELS.get(Agreement(case.facts[f]), "")
               if case.facts.get(f) else ""} for f in (*FACTS, "kana")]  # fmt: skip
    return {
        "case": case, "run": case.run, "record": record, "states": _state_rows(case),
        "fact_labels": [FACT_LABELS[f] for f in (*FACTS, "kana")],
        "verdict": VERDICTS[case.verdict], "reasons": reason_labels(case.reasons),
        "status": STATUS_LABELS[Status(case.status)],
        "action": ACTION_LABELS[Action(case.action)] if case.action else "",
        "number_source": NUMBER_SOURCE_LABELS.get(case.number_source, ""),  # type: ignore[call-overload]
        "actions": [(a.value, ACTION_LABELS[a]) for a in actions],
        "can_decide": Role.REVIEWER in roles and case.status in (Status.OPEN, Status.HELD),
        "can_approve": Role.APPROVER in roles and case.status == Status.DECIDED
        and case.decided_by_id != request.user.pk,
        "own_decision": case.decided_by_id == request.user.pk,
        "can_reveal": bool(roles & {Role.REVIEWER, Role.APPROVER}),
        "history": _history(case), "action_labels": ACTION_LABELS,
        **_incident_offer(request, case, roles),
    }  # fmt: skip


def _incident_offer(request: HttpRequest, case: Case, roles: frozenset[Role]) -> dict[str, Any]:
    """An approved mislink may be added to an incident of the register (survey Q10)."""
    from tenken.store.casework.models import Cause, Incident

    offer = (case.status in (Status.APPROVED, Status.EXPORTED)
             and case.action in (Action.MISLINK, Action.UNLINK)
             and bool(roles & {Role.REVIEWER, Role.APPROVER, Role.ORG_ADMIN}))  # fmt: skip
    if not offer:
        return {"incident_offer": False}
    return {"incident_offer": True, "causes": Cause.choices,
            "incidents": Incident.objects.filter(organisation=case.run.organisation),
            "in_incidents": case.incidents.all()}  # fmt: skip


@login_required
@never_cache
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.case_for(request.user, case_id)
    services.record_view(case, request.user)
    return render(request, "tenken/review/case.html", _case_context(request, case))


def _workflow_step(request: HttpRequest, case_id: int, step: Any, done: str) -> HttpResponse:
    case = access.case_for(request.user, case_id)
    try:
        step(case)
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("review:case", case_id=case.pk)


@login_required
@require_POST
def decide(request: HttpRequest, case_id: int) -> HttpResponse:
    def step(case: Case) -> None:
        try:
            action = Action(request.POST.get("action", ""))
        except ValueError as error:
            raise WorkflowError("判断を選んでください") from error
        services.decide(case.pk, request.user, action, request.POST.get("reason", ""),
                        request.POST.get("number", ""))  # fmt: skip

    return _workflow_step(request, case_id, step, "判断を記録しました（承認待ち）")


@login_required
@require_POST
def approve(request: HttpRequest, case_id: int) -> HttpResponse:
    # Only the signed-in user can approve: any user field in the form is ignored.
    return _workflow_step(request, case_id, lambda c: services.approve(c.pk, request.user),
                          "承認しました")  # fmt: skip


@login_required
@require_POST
def send_back(request: HttpRequest, case_id: int) -> HttpResponse:
    return _workflow_step(request, case_id, lambda c: services.return_case(
        c.pk, request.user, request.POST.get("reason", "")), "差し戻しました")  # fmt: skip


@login_required
@require_POST
@never_cache
def reveal(request: HttpRequest, case_id: int) -> HttpResponse:
    """Show one full number after a typed reason (audited); the page is never cached."""
    case = access.case_for(request.user, case_id)
    try:
        number = services.reveal(case, request.user, request.POST.get("what", ""),
                                 request.POST.get("reason", ""))  # fmt: skip
    except WorkflowError as error:
        messages.error(request, str(error))
        return redirect("review:case", case_id=case.pk)
    context = {**_case_context(request, case), "revealed": number,
               "revealed_what": request.POST.get("what", "")}  # fmt: skip
    return render(request, "tenken/review/case.html", context)


@login_required
@never_cache
def queue(request: HttpRequest, run_id: int) -> HttpResponse:
    """The approver's queue: decided cases someone else decided."""
    run = access.run_for(request.user, run_id)
    if not access.can(request.user, run.organisation, Role.APPROVER):
        raise PermissionDenied("承認者の権限が必要です")
    waiting = run.cases.filter(status=Status.DECIDED).exclude(decided_by=request.user)
    page = Paginator(waiting.select_related("decided_by").order_by("decided_at", "position"),
                     PAGE_SIZE).get_page(request.GET.get("page"))  # fmt: skip
    own = run.cases.filter(status=Status.DECIDED, decided_by=request.user).count()
    return render(request, "tenken/review/queue.html", {
        "run": run, "page": page, "own": own, "action_labels": ACTION_LABELS,
        "rows": [{**_list_row(c), "decided_by": c.decided_by} for c in page.object_list],
    })  # fmt: skip


@login_required
@require_POST
def export(request: HttpRequest, run_id: int) -> HttpResponse:
    """Download the corrections of approved cases (reason required; audited)."""
    run = access.run_for(request.user, run_id)
    if not access.roles(request.user, run.organisation) & {Role.APPROVER, Role.ORG_ADMIN}:
        raise PermissionDenied("訂正一覧の出力には承認者の権限が必要です")
    fmt = request.POST.get("format", "csv")
    encoding = "cp932" if request.POST.get("encoding") == "cp932" else "utf-8"
    name = f"corrections-{run.pk}-{dt.date.today():%Y%m%d}.{fmt if fmt == 'xlsx' else 'csv'}"
    try:
        result = services.export_corrections(
            run, request.user, fmt, encoding=encoding, again=request.POST.get("all") == "1",
            reason=request.POST.get("reason", ""), name=name,
        )  # fmt: skip
    except (InputError, WorkflowError) as error:
        messages.error(request, uploads.public_message(error))
        return redirect("review:cases", run_id=run.pk)
    kind = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" if fmt == "xlsx"
            else f"text/csv; charset={'shift_jis' if encoding == 'cp932' else 'utf-8'}")  # fmt: skip
    response = HttpResponse(result.data, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


AUDIT_FILTERS = ("actor", "action", "from", "to", "case")


def audit_entries(user: Any, params: Any) -> QuerySet[AuditEntry]:
    """The entries ``user`` may read, filtered: all for the ministry admin; an organisation's
    監査 and 組織管理者 see that organisation's entries."""
    entries = AuditEntry.objects.order_by("-seq")
    if not access.is_ministry_admin(user):
        orgs = [o for o in access.visible_organisations(user)
                if access.roles(user, o) & {Role.AUDITOR, Role.ORG_ADMIN}]  # fmt: skip
        if not orgs:
            raise PermissionDenied("監査証跡を見る権限がありません")
        entries = entries.filter(organisation__in=orgs)
    if params.get("actor"):
        entries = entries.filter(actor__contains=params["actor"])
    if params.get("action"):
        entries = entries.filter(action__startswith=params["action"])
    for key, lookup in (("from", "at__date__gte"), ("to", "at__date__lte")):
        try:
            if params.get(key):
                entries = entries.filter(**{lookup: dt.date.fromisoformat(params[key])})
        except ValueError:
            pass
    if params.get("case"):
        wanted = str(params["case"]).strip()
        ids = [str(pk) for pk in Case.objects.filter(rid=wanted).values_list("pk", flat=True)]
        entries = entries.filter(object_type="case", object_id__in=[*ids, wanted])
    return entries


@login_required
@never_cache
def audit(request: HttpRequest) -> HttpResponse:
    chosen = {k: request.GET.get(k, "") for k in AUDIT_FILTERS}
    entries = audit_entries(request.user, chosen)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    actions = sorted(set(AuditEntry.objects.values_list("action", flat=True).distinct()))
    return render(request, "tenken/review/audit.html", {
        "page": page, "filters": chosen, "actions": actions,
        "query": urlencode({k: v for k, v in chosen.items() if v}),
    })  # fmt: skip


@login_required
@never_cache
def grants(request: HttpRequest) -> HttpResponse:
    """An organisation's 組織管理者 grants roles in it (the ministry admin may grant any)."""
    ministry = access.is_ministry_admin(request.user)
    admin_of = [o for o in access.visible_organisations(request.user)
                if access.can(request.user, o, Role.ORG_ADMIN)]  # fmt: skip
    if not admin_of and not ministry:
        raise PermissionDenied("役割を付与する権限がありません")
    if request.method == "POST":
        _grant_from_form(request, admin_of, ministry)
        return redirect("review:grants")
    shown = Grant.objects.select_related("user").order_by("organisation", "user__username")
    if not ministry:
        shown = shown.filter(organisation__in=admin_of)
    return render(request, "tenken/review/grants.html", {
        "grants": shown, "roles": list(ROLE_LABELS.items()), "role_labels": ROLE_LABELS,
        "admin_of": admin_of, "ministry": ministry,
    })  # fmt: skip


def _grant_from_form(request: HttpRequest, admin_of: list[str], ministry: bool) -> None:
    org = request.POST.get("organisation", "").strip()
    if not (ministry or org in admin_of) or not org:
        raise PermissionDenied("この組織の役割は付与できません")
    user = get_user_model().objects.filter(username=request.POST.get("username", "")).first()
    try:
        role = Role(request.POST.get("role", ""))
    except ValueError:
        role = None
    if user is None or role is None:
        messages.error(request, "利用者名と役割を確かめてください")
        return
    if request.POST.get("remove") == "1":
        services.revoke(request.user, user, org, role)
        messages.success(request, f"{user.get_username()} の{ROLE_LABELS[role]}を外しました")
    else:
        services.grant(request.user, user, org, role)
        messages.success(request, f"{user.get_username()} に{ROLE_LABELS[role]}を付与しました")
