"""Pages every role sees: the home page that sends each role to its place, and the dashboard."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from tenken.web.accounts.models import RosterEntry
from tenken.web.accounts.roles import access_of, require
from tenken.web.site import answer_views, store


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
    access = access_of(request.user)
    require(request, access.can_see_dashboard)
    return render(request, "tenken/dashboard.html", {})


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "tenken/403.html", status=403)
