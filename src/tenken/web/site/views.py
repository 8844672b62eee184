"""Pages every role sees: the home page that sends each role to its place, and the dashboard."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from tenken.survey.report.html import CSP as REPORT_CSP
from tenken.web.accounts.models import RosterEntry, SurveyRound
from tenken.web.accounts.roles import access_of, require
from tenken.web.site import answer_views, progress, reports, store


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Administrators and viewers go to the dashboard; respondents to their answers."""
    access = access_of(request.user)
    if access.can_see_dashboard:
        return redirect("dashboard")
    entries = []
    if access.is_respondent:
        found = RosterEntry.objects.filter(organisation_id=access.organisation_id)
        for entry in found.select_related("survey_round", "organisation"):
            url = reverse("answer", args=[entry.survey_round_id, entry.organisation_id])
            status = answer_views.status_label(store.load(entry))
            entries.append({"entry": entry, "status": status, "url": url})
    return render(request, "tenken/home.html", {"access": access, "entries": entries})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Progress against the roster of one round, filtered by prefecture, 組織区分 and state."""
    access = access_of(request.user)
    require(request, access.can_see_dashboard)
    rounds = list(SurveyRound.objects.all())
    context: dict[str, Any] = {"rounds": rounds}
    if not rounds:
        return render(request, "tenken/dashboard.html", context)
    chosen = _chosen_round(rounds, request.GET.get("round", ""))
    entries = list(chosen.roster.select_related("organisation"))
    filters = {key: request.GET.get(key, "") for key in ("prefecture", "kind", "state")}
    context.update(
        round=chosen,
        filters=filters,
        prefectures=sorted({e.organisation.prefecture for e in entries}, key=_pref_order),
        kinds=sorted({e.organisation.kind for e in entries}),
        states=progress.STATES,
        progress=progress.progress(entries, store.load_round(entries), **filters),
    )
    return render(request, "tenken/dashboard.html", context)


def _chosen_round(rounds: list[SurveyRound], wanted: str) -> SurveyRound:
    for survey_round in rounds:
        if str(survey_round.pk) == wanted:
            return survey_round
    return rounds[0]


def _pref_order(name: str) -> str:
    """Prefectures in JIS code order (北海道 first), unknown names last."""
    from tenken.survey.local_governments import all_local_governments

    codes = {lg.prefecture: lg.code for lg in all_local_governments() if lg.kind == "都道府県"}
    return codes.get(name, "99" + name)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "tenken/403.html", status=403)


REPORT_FORMATS = {
    "html": ("text/html; charset=utf-8", reports.as_html),
    "json": ("application/json", reports.as_json),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", reports.as_xlsx),
}


@login_required
def report(request: HttpRequest, round_id: int, fmt: str) -> HttpResponse:
    """The round's report: HTML shown in the browser (or downloaded), Excel and JSON downloads."""
    require(request, access_of(request.user).can_see_dashboard)
    survey_round = get_object_or_404(SurveyRound, pk=round_id)
    if fmt not in REPORT_FORMATS:
        raise Http404("unknown report format")
    content_type, render_as = REPORT_FORMATS[fmt]
    response = HttpResponse(
        render_as(reports.round_report(survey_round)), content_type=content_type
    )
    if fmt == "html":
        # The report is a standalone page with its own inline styles and no script at all;
        # the dashboard shows it in a frame, so only this site may frame it.
        response.headers["Content-Security-Policy"] = f"{REPORT_CSP}; frame-ancestors 'self'"
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
    if fmt != "html" or request.GET.get("download"):
        name = f"report-round{survey_round.pk}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
