"""The organisation's answer sheet (Excel): download pre-filled; upload goes through ingest.

The sheet is the one ``tenken survey form`` writes (tenken.survey.xlsx), pre-filled with the
organisation's fixed facts and its current answers, so a respondent may answer offline and
send it back instead of answering online.
"""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from tenken.survey.document import AnswerDocument
from tenken.survey.engine import evaluate
from tenken.survey.model import Attachment
from tenken.survey.xlsx.fill import fill_sheet
from tenken.survey.xlsx.layout import ROUND_KEY, SEIDO_KEY
from tenken.survey.xlsx.writer import form_bytes
from tenken.web.accounts.roles import access_of, require
from tenken.web.site import attachments, store
from tenken.web.site.answer_views import answer_url, fixed_for, questionnaire_for
from tenken.web.site.entries import Entry, get_entry

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _entry(request: HttpRequest, round_id: int, org_id: int) -> Entry:
    """The URL's entry, of one 制度 (``?seido=N`` when the organisation answers several)."""
    entry = get_entry(round_id, org_id, request.GET.get("seido"))
    entry.unit  # noqa: B018  (404 when no 制度 is picked)
    return entry


@login_required
def download_sheet(request: HttpRequest, round_id: int, org_id: int) -> HttpResponse:
    """The answer sheet with this organisation's facts and current answers filled in."""
    entry = _entry(request, round_id, org_id)
    require(request, access_of(request.user).can_read(entry.organisation))
    q = questionnaire_for(entry)
    org = entry.organisation
    fixed = fixed_for(entry, q)
    data = form_bytes(q, {**fixed, ROUND_KEY: entry.survey_round.code, SEIDO_KEY: entry.unit})
    stored = store.load(entry)
    if stored is not None:
        document = stored.document
        data = fill_sheet(
            data, q, AnswerDocument({**document.respondent, **fixed}, document.answers)
        )
    response = HttpResponse(data, content_type=XLSX)
    about = f"_{entry.unit}" if entry.query else ""
    filename = quote(f"{org.name}{about}_回答シート.xlsx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    response["Cache-Control"] = "no-store"
    return response


MAX_SHEET_BYTES = 5 * 1024 * 1024


@login_required
@require_POST
def upload_sheet(request: HttpRequest, round_id: int, org_id: int) -> HttpResponse:
    """A filled sheet instead of answering online: checked and stored by the CLI's ingest."""
    entry = _entry(request, round_id, org_id)
    require(request, access_of(request.user).can_answer(entry.organisation) and entry.can_edit())
    upload = request.FILES.get("sheet")
    back = redirect(answer_url(entry))
    if upload is None:
        messages.error(request, "ファイルを選んでください。")
        return back
    if not upload.name.lower().endswith(".xlsx"):
        messages.error(request, "Excel ブック（.xlsx）を選んでください（マクロ有効ブックは不可）。")
        return back
    if upload.size > MAX_SHEET_BYTES:
        messages.error(request, "ファイルが大きすぎます（5MB まで）。")
        return back
    folder = settings.WORKSPACE / "uploads"
    try:
        outcome = store.ingest_upload(
            entry, questionnaire_for(entry), folder, upload.name, upload.read(), request.user
        )
    except ValueError as error:
        messages.error(request, f"回答シートを受け付けられませんでした: {error}")
        return back
    if outcome == "duplicate":
        messages.info(request, "同じ内容の回答シートは受付済みです。")
    else:
        messages.success(
            request, "回答シートを受け付けました。点検結果は下の各項目に表示されます。"
        )
    return back


@login_required
@require_POST
def upload_attachment(request: HttpRequest, round_id: int, org_id: int) -> HttpResponse:
    """One requested document (e.g. 事務取扱要領), checked by type and size, then attached."""
    entry = _entry(request, round_id, org_id)
    require(request, access_of(request.user).can_answer(entry.organisation) and entry.can_edit())
    back = redirect(answer_url(entry))
    requested = request.POST.get("requested", "")
    labels = {a.name: a.label for a in requested_attachments(entry)}
    upload = request.FILES.get("file")
    if requested not in labels or upload is None:
        messages.error(request, "添付する書類とファイルを選んでください。")
        return back
    if upload.size > attachments.MAX_BYTES:
        messages.error(request, "ファイルが大きすぎます（10MB まで）。")
        return back
    try:
        checked = attachments.check(upload.name, upload.read())
    except attachments.AttachmentError as error:
        messages.error(request, f"添付できませんでした: {error}")
        return back
    attachments.keep(settings.WORKSPACE / "uploads", checked)
    name = f"{labels[requested]}: {checked.name}"
    if store.add_attachment(entry, name, len(checked.data), checked.sha256, request.user):
        messages.success(request, f"「{labels[requested]}」を添付しました。")
    else:
        messages.error(request, "先に回答を一時保存してから添付してください。")
    return back


def requested_attachments(entry: Entry) -> list[Attachment]:
    """Attachments the questionnaire asks of this organisation's current answer."""
    q = questionnaire_for(entry)
    stored = store.load(entry)
    document = stored.document if stored else AnswerDocument(fixed_for(entry, q))
    return list(evaluate(q, document).attachments)


@login_required
def download_attachment(
    request: HttpRequest, round_id: int, org_id: int, attachment_id: int
) -> HttpResponse:
    """An attached file, for whoever may read the organisation's answer."""
    entry = _entry(request, round_id, org_id)
    require(request, access_of(request.user).can_read(entry.organisation))
    found = {a.id: a for a in store.attachments(entry)}
    if attachment_id not in found:
        raise Http404("添付ファイルがありません")
    item = found[attachment_id]
    path = attachments.blob_path(settings.WORKSPACE / "uploads", item.sha256)
    if not path.exists():
        raise Http404("添付ファイルの本体がありません（ファイルで取り込まれた回答の添付です）")
    filename = item.name.split(": ", 1)[-1]
    response = FileResponse(path.open("rb"), as_attachment=True, filename=filename)
    response["Content-Type"] = "application/octet-stream"
    response["Cache-Control"] = "no-store"
    return response
