"""Pages every role sees: the home page that sends each role to its place, and the dashboard."""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from tenken.store.models import Round
from tenken.survey.report.html import CSP as REPORT_CSP
from tenken.web.accounts.roles import access_of, require
from tenken.web.site import entries, progress, reports, store

PAGE_SIZE = 100


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Administrators and viewers go to the dashboard; respondents to their answers."""
    access = access_of(request.user)
    if access.can_see_dashboard:
        return redirect("dashboard")
    found = []
    if access.is_respondent and access.organisation_id is not None:
        for entry in entries.entries_of_organisation(access.organisation_id):
            url = reverse("answer", args=[entry.survey_round_id, entry.organisation_id])
            found.append({"entry": entry, "status": store.state_label(entry), "url": url})
    return render(request, "tenken/home.html", {"access": access, "entries": found})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Progress against the roster of one round: filters (prefecture, 組織区分, state, flags, risk)
    over the whole roster, counts over the filtered rows, and the rows a page at a time."""
    access = access_of(request.user)
    require(request, access.can_see_dashboard)
    rounds = list(Round.objects.all())
    context: dict[str, Any] = {"rounds": rounds}
    if not rounds:
        return render(request, "tenken/dashboard.html", context)
    chosen = _chosen_round(rounds, request.GET.get("round", ""))
    keys = ("prefecture", "kind", "state", "flag", "risk", "seido")
    filters = {key: request.GET.get(key, "") for key in keys}
    shown = progress.dashboard_page(
        chosen,
        entries.organisation_ids_cached(),
        filters,
        request.GET.get("page", ""),
        PAGE_SIZE,
        _pref_order,
    )
    query = urlencode({k: v for k, v in {"round": chosen.pk, **filters}.items() if v})
    body = {
        "rounds": rounds,
        "round": chosen,
        "filters": filters,
        "prefectures": shown.prefectures,
        "kinds": shown.kinds,
        "states": progress.STATES,
        "risk_levels": progress.RISK_LEVELS,
        "progress": shown.progress,
        "rows_html": shown.rows_html,
        "page": shown.page,
        "pages": shown.pages,
        "query": query,
    }
    context.update(body, body_html=_body_html(shown, rounds, chosen, body))
    response = render(request, "tenken/dashboard.html", context)
    response["Cache-Control"] = "no-store"
    return response


_BODIES: dict[tuple[Any, ...], str] = {}


def _body_html(shown: Any, rounds: list[Round], chosen: Round, body: dict[str, Any]) -> str:
    """The dashboard's content (the same for every viewer: no user data, no CSRF token),
    rendered once per cached page, round list and deadline."""
    key = (shown.key, tuple((r.pk, r.title) for r in rounds), chosen.deadline)
    html = _BODIES.get(key)
    if html is None:
        from django.template.loader import render_to_string

        html = render_to_string("tenken/dashboard_body.html", body)
        if len(_BODIES) > 512:
            _BODIES.clear()
        _BODIES[key] = html
    return html


def page_of(text: str, total: int) -> int:
    pages = max(1, -(-total // PAGE_SIZE))
    return min(max(int(text), 1), pages) if text.isdigit() else 1


def _chosen_round(rounds: list[Round], wanted: str) -> Round:
    for survey_round in rounds:
        if str(survey_round.pk) == wanted:
            return survey_round
    return rounds[0]


def _pref_order(name: str) -> str:
    """Prefectures in JIS code order (北海道 first), unknown names last."""
    return _prefecture_codes().get(name, "99" + name)


@lru_cache(maxsize=1)
def _prefecture_codes() -> dict[str, str]:
    from tenken.survey.local_governments import all_local_governments

    return {lg.prefecture: lg.code for lg in all_local_governments() if lg.kind == "都道府県"}


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "tenken/403.html", status=403)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "tenken/400.html", status=400)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Japanese 404 page; the exception's own text (English, or internal) is never shown."""
    return render(request, "tenken/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """Japanese 500 page, rendered without context processors or the database (they may be
    what failed)."""
    from django.template import loader

    body = loader.get_template("tenken/500.html").render()
    return HttpResponse(body, status=500, headers={"Cache-Control": "no-store"})


@login_required
def export(request: HttpRequest, round_id: int, fmt: str) -> HttpResponse:
    """Every answer of the round, one row per organisation (xlsx; CSV, ?encoding=cp932)."""
    from tenken.store import api
    from tenken.survey import export as raw

    require(request, access_of(request.user).can_see_dashboard)
    survey_round = get_object_or_404(Round, pk=round_id)
    if fmt not in ("xlsx", "csv"):
        raise Http404("unknown export format")
    data = raw.table(api.questionnaire_of(survey_round), api.export_rows(survey_round))
    if fmt == "xlsx":
        payload, content_type = raw.to_xlsx(data), REPORT_FORMATS["xlsx"][0]
    else:
        cp932 = request.GET.get("encoding") == "cp932"
        payload = raw.to_csv(data, "cp932" if cp932 else "utf-8")[0]
        content_type = f"text/csv; charset={'shift_jis' if cp932 else 'utf-8'}"
    response = HttpResponse(payload, content_type=content_type)
    name = f"answers-{survey_round.code}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


_REPORTS: dict[tuple[Any, ...], Any] = {}
_REPORT_LOCK = threading.Lock()


def _report_body(survey_round: Round, fmt: str, render_as: Any) -> Any:
    """The report in ``fmt``, built once per version of the round's answers (about 2 s for
    1,679 answers; the dashboard shows it in a frame on every visit)."""
    from tenken.store import api

    key = (api.overview_version(survey_round), fmt)
    body = _REPORTS.get(key)
    if body is None:
        with _REPORT_LOCK:  # one thread builds it; viewers arriving meanwhile wait for that
            body = _REPORTS.get(key)
            if body is None:
                body = render_as(reports.round_report(survey_round))
                if len(_REPORTS) > 32:
                    _REPORTS.clear()
                _REPORTS[key] = body
    return body


REPORT_FORMATS = {
    "html": ("text/html; charset=utf-8", reports.as_html),
    "json": ("application/json", reports.as_json),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", reports.as_xlsx),
}


@login_required
def report(request: HttpRequest, round_id: int, fmt: str) -> HttpResponse:
    """The round's report: HTML shown in the browser (or downloaded), Excel and JSON downloads."""
    require(request, access_of(request.user).can_see_dashboard)
    survey_round = get_object_or_404(Round, pk=round_id)
    if fmt not in REPORT_FORMATS:
        raise Http404("unknown report format")
    content_type, render_as = REPORT_FORMATS[fmt]
    response = HttpResponse(_report_body(survey_round, fmt, render_as), content_type=content_type)
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
