"""The organisation's answer sheet (Excel): download pre-filled; upload goes through ingest.

The sheet is the one ``tenken survey form`` writes (tenken.survey.xlsx), pre-filled with the
organisation's fixed facts and its current answers, so a respondent may answer offline and
send it back instead of answering online.
"""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from tenken.survey.document import AnswerDocument
from tenken.survey.xlsx.fill import fill_sheet
from tenken.survey.xlsx.writer import form_bytes
from tenken.web.accounts.models import RosterEntry
from tenken.web.accounts.roles import access_of, require
from tenken.web.site import formspec, store
from tenken.web.site.answer_views import questionnaire_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _entry(round_id: int, org_id: int) -> RosterEntry:
    return get_object_or_404(
        RosterEntry.objects.select_related("survey_round", "organisation"),
        survey_round_id=round_id,
        organisation_id=org_id,
    )


@login_required
def download_sheet(request: HttpRequest, round_id: int, org_id: int) -> HttpResponse:
    """The answer sheet with this organisation's facts and current answers filled in."""
    entry = _entry(round_id, org_id)
    require(request, access_of(request.user).can_read(entry.organisation))
    q = questionnaire_for(entry)
    org = entry.organisation
    fixed = formspec.fixed_values(q, org.kind, org.name)
    data = form_bytes(q, fixed)
    stored = store.load(entry)
    if stored is not None:
        document = stored.document
        data = fill_sheet(
            data, q, AnswerDocument({**document.respondent, **fixed}, document.answers)
        )
    response = HttpResponse(data, content_type=XLSX)
    filename = quote(f"{org.name}_回答シート.xlsx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    response["Cache-Control"] = "no-store"
    return response
