"""Delegated municipalities on the site (thin views over :mod:`tenken.store.delegation`).

* the prefecture's page: record delegates (each gets an invitation link and a sheet), upload
  a delegate's returned sheet, see every answer side by side with the proposal, change an item
  with a reason, submit one consolidated answer;
* the delegate's page, reached through its link (no account): the same form and sheet;
* the ministry (administrators, viewers) reads the prefecture's page: the submitted answer's
  provenance, item by item.

In a round with several 制度 all of this is per (prefecture, 制度): the page is the entry's of one
制度 (``?seido=N``, as the answer page), its delegates and consolidated answer are that 制度's, and
a delegate's link and sheet are of its delegation's 制度.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tenken.errors import InputError
from tenken.store import api
from tenken.store import delegation as store_delegation
from tenken.store.models import Delegation
from tenken.survey.delegation import RULE_LABELS, Change, Consolidated, Source, consolidate
from tenken.survey.document import AnswerDocument, AnswerValue
from tenken.survey.engine import evaluate
from tenken.survey.model import Questionnaire
from tenken.survey.seido import divided
from tenken.survey.xlsx.fill import fill_sheet
from tenken.survey.xlsx.layout import ROUND_KEY, SEIDO_KEY
from tenken.survey.xlsx.writer import form_bytes
from tenken.web.accounts.roles import access_of, require
from tenken.web.site import formspec, store
from tenken.web.site.answer_views import fixed_for, flag_badges, questionnaire_for
from tenken.web.site.entries import Entry, get_entry
from tenken.web.site.sheet_views import MAX_SHEET_BYTES, XLSX

PREFECTURE_KIND = "都道府県"
MUNICIPALITY_KIND = "市区町村"


def _prefecture_entry(request: HttpRequest, round_id: int, org_id: int) -> Entry:
    """The URL's prefecture, of one 制度 (``?seido=N`` when it answers several; 404 if none)."""
    entry = get_entry(round_id, org_id, request.GET.get("seido"))
    if entry.organisation.kind != PREFECTURE_KIND:
        raise Http404("委任先を登録できるのは都道府県です")
    entry.unit  # noqa: B018  (404 when no 制度 is picked)
    return entry


def _page_url(entry: Entry) -> str:
    """The delegation page of the entry's prefecture and 制度."""
    page = reverse("delegation", args=[entry.survey_round_id, entry.organisation_id])
    return page + entry.query


def _back(entry: Entry) -> HttpResponse:
    return redirect(_page_url(entry))


def page_links(entry: Entry) -> dict[str, Any]:
    """What the answer page shows of delegation: the link, and whose answers the counted one
    consolidates."""
    if entry.organisation.kind != PREFECTURE_KIND:
        return {}
    counted = api.counted_one(entry.survey_round, entry.organisation.name, seido=entry.unit)
    found = store_delegation.consolidation_of(counted)
    return {
        "delegation_url": _page_url(entry),
        "consolidated_from": found.delegates if found else [],
    }


# ---------------------------------------------------------------- the prefecture's page


def _changes(q: Questionnaire, post: Any) -> dict[str, Change]:
    """The items the prefecture changed: ``change-<item>`` (a code, codes, or text) and why."""
    changes = {}
    for f in q.items:
        raw = str(post.get(f"change-{f.name}", "")).strip()
        if not raw:
            continue
        value: AnswerValue = (
            [c for c in re.split(r"[\s,、，]+", raw) if c] if f.kind == "select_multiple" else raw
        )
        changes[f.name] = Change(value, str(post.get(f"reason-{f.name}", "")).strip())
    return changes


def _own_source(entry: Entry, q: Questionnaire, found: store_delegation.Sources) -> Source:
    if found.own is not None:
        return found.own
    return Source(entry.organisation.name, AnswerDocument(fixed_for(entry, q)))


def _shown(value: AnswerValue) -> str:
    return "・".join(value) if isinstance(value, list) else value


@dataclass(frozen=True)
class Row:
    """One item of the side-by-side table."""

    item: str
    title: str
    kind: str
    codes: tuple[str, ...]
    answers: list[str]  # own, then each delegate ("" where not answered or not applicable)
    proposed: str
    proposed_source: str
    value: str
    source: str
    rule: str
    reason: str
    change: str
    differs: bool


def _rows(q: Questionnaire, consolidated: Consolidated, columns: list[str], post: Any) -> list[Row]:
    rows = []
    for result in consolidated.items:
        f = q.field(result.item)
        given = dict(result.candidates)
        rows.append(
            Row(
                result.item,
                formspec.title_of(f),
                f.kind,
                q.choices_of(f).codes() if f.is_select else (),
                [_shown(given.get(c, "")) for c in columns],
                _shown(result.proposed),
                result.proposed_source,
                _shown(result.value),
                result.source or "—",
                RULE_LABELS[result.rule],
                result.reason,
                str(post.get(f"change-{result.item}", "")) if post else "",
                result.differs,
            )
        )
    return rows


def provenance_rows(q: Questionnaire, provenance: dict[str, Any]) -> list[dict[str, Any]]:
    """The kept provenance of a submitted consolidated answer, for the ministry."""
    rows = []
    for item, p in provenance.items():
        title = formspec.title_of(q.field(item)) if item in q.names() else item
        rows.append(
            {
                "item": item,
                "title": title,
                "value": _shown(p.get("value", "")),
                "source": str(p.get("source", "")) or "（回答なし）",
                "rule": RULE_LABELS.get(str(p.get("rule")), str(p.get("rule"))),
                "proposed": f"{_shown(p.get('proposed', ''))}（{p.get('proposed_source') or '—'}）",
                "reason": str(p.get("reason", "")),
                "candidates": [(str(o), _shown(v)) for o, v in p.get("candidates", [])],
            }
        )
    return rows


@login_required
def delegation(request: HttpRequest, round_id: int, org_id: int) -> HttpResponse:
    entry = _prefecture_entry(request, round_id, org_id)
    access = access_of(request.user)
    require(request, access.can_read(entry.organisation))
    editable = access.can_answer(entry.organisation) and entry.can_edit()
    q = questionnaire_for(entry)
    survey_round, prefecture = entry.survey_round, entry.organisation.name
    post = request.POST if request.method == "POST" else None
    if post is not None:
        require(request, editable)
        action = post.get("action", "")
        if action == "add":
            return _add(request, entry)
        if action == "relink":
            return _relink(request, entry)
    found = store_delegation.sources(survey_round, prefecture, seido=entry.unit)
    caution = api.pack_of(survey_round).caution
    changes = _changes(q, post) if post is not None else {}
    own = _own_source(entry, q, found)
    attached = [a.name for a in store.attachments(entry)]
    consolidated = consolidate(q, caution, own, found.answered, changes, attached)
    if post is not None and post.get("action") == "submit":
        try:
            store_delegation.submit_consolidated(
                survey_round,
                store.member_of(entry),
                q,
                consolidated,
                username=request.user.get_username(),
                seido=entry.unit,
                actor=request.user,
            )
        except InputError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "統合した回答を提出しました。")
            return _back(entry)
    columns = [prefecture, *(s.org_name for s in found.answered)]
    counted = api.counted_one(survey_round, prefecture, seido=entry.unit)
    kept = store_delegation.consolidation_of(counted)
    context = {
        "entry": entry,
        "questionnaire": q,
        "editable": editable,
        "delegates": [_delegate_line(entry, d, s) for d, s in found.delegates],
        "columns": columns,
        "own_answered": found.own is not None,
        "rows": _rows(q, consolidated, columns, post),
        "evaluation": consolidated.evaluation,
        "flag_badges": flag_badges(
            consolidated.evaluation.missing_info, consolidated.evaluation.unanswered
        ),
        "caution_quote": caution.quote,
        "has_caution": bool(caution.items),
        "provenance": provenance_rows(q, kept.provenance) if kept else [],
        "kept": kept,
        "status_label": store.state_label(entry),
    }
    return render(request, "tenken/delegation.html", context)


def _delegate_line(entry: Entry, d: Delegation, source: Source | None) -> dict[str, Any]:
    current = store_delegation.current_answer(d)
    if source is not None:
        state = "提出済み"
    elif current is not None:
        state = "一時保存"
    else:
        state = "未着手"
    args = [entry.survey_round_id, entry.organisation_id, d.pk]
    return {
        "id": d.pk,
        "name": d.municipality,
        "email": d.email,
        "state": state,
        "received_at": current.received_at if current else None,
        "sheet_url": reverse("delegate_sheet", args=args) + entry.query,
        "upload_url": reverse("delegate_sheet_upload", args=args) + entry.query,
    }


def _add(request: HttpRequest, entry: Entry) -> HttpResponse:
    back = _back(entry)
    try:
        _d, token = store_delegation.add_delegate(
            entry.survey_round,
            entry.organisation.name,
            str(request.POST.get("municipality", "")),
            seido=entry.unit,
            email=str(request.POST.get("email", "")),
            actor=request.user,
        )
    except InputError as error:
        messages.error(request, error.message)
        return back
    messages.success(request, "委任先として登録しました。" + _link_message(request, token))
    return back


def _link_message(request: HttpRequest, token: str) -> str:
    link = request.build_absolute_uri(reverse("delegate_answer", args=[token]))
    return f"回答用リンク（この画面でのみ表示。委任先へお送りください）: {link}"


def _relink(request: HttpRequest, entry: Entry) -> HttpResponse:
    """A new link for one delegate (the old one stops working)."""
    raw = str(request.POST.get("delegation", ""))
    d = _delegation_of(entry, int(raw) if raw.isdigit() else 0)
    token = store_delegation.renew_link(d, actor=request.user)
    messages.success(
        request, f"{d.municipality} のリンクを再発行しました。" + _link_message(request, token)
    )
    return _back(entry)


def _delegation_of(entry: Entry, delegation_id: int) -> Delegation:
    found = store_delegation.delegations(
        entry.survey_round, entry.organisation.name, seido=entry.unit
    )
    match = next((d for d in found if d.pk == delegation_id), None)
    if match is None:
        raise Http404("委任先がありません")
    return match


def _delegate_fixed(q: Questionnaire, d: Delegation) -> dict[str, str]:
    """What the site fills in a delegate's respondent block (as :func:`fixed_for` for an
    organisation): the municipality, and its delegation's 制度."""
    return formspec.fixed_values(q, MUNICIPALITY_KIND, d.municipality, d.seido)


def _sheet(q: Questionnaire, d: Delegation) -> HttpResponse:
    """The delegate's answer sheet: its 組織名, 組織区分 and 制度 filled, its current answers."""
    fixed = _delegate_fixed(q, d)
    data = form_bytes(q, {**fixed, ROUND_KEY: d.round.code, SEIDO_KEY: d.seido})
    current = store_delegation.current_answer(d)
    if current is not None:
        document = AnswerDocument({**current.respondent, **fixed}, dict(current.answers))
        data = fill_sheet(data, q, document)
    response = HttpResponse(data, content_type=XLSX)
    from urllib.parse import quote

    about = f"_{d.seido}" if divided(d.round.seidos) else ""
    filename = quote(f"{d.municipality}{about}_回答シート.xlsx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


@login_required
def delegate_sheet(request: HttpRequest, round_id: int, org_id: int, delegation_id: int) -> Any:
    entry = _prefecture_entry(request, round_id, org_id)
    require(request, access_of(request.user).can_read(entry.organisation))
    return _sheet(questionnaire_for(entry), _delegation_of(entry, delegation_id))


def _ingest(request: HttpRequest, d: Delegation, q: Questionnaire, actor: Any) -> None:
    """Check and keep an uploaded sheet of the delegate (messages say what happened)."""
    from tenken.survey.prepare import Rejected, prepare

    upload = request.FILES.get("sheet")
    if upload is None or not upload.name.lower().endswith(".xlsx"):
        messages.error(request, "Excel ブック（.xlsx）を選んでください。")
        return
    if upload.size > MAX_SHEET_BYTES:
        messages.error(request, "ファイルが大きすぎます（5MB まで）。")
        return
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S%f")
    folder = settings.WORKSPACE / "uploads" / f"round{d.round_id}" / f"delegate{d.pk}" / stamp
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{d.municipality}.xlsx"
    path.write_bytes(upload.read())
    prepared = prepare((path, []), q)
    if isinstance(prepared, Rejected):
        messages.error(request, store.site_message(prepared, upload.name))
        return
    prepared = replace(prepared, received_at=timezone.now())
    try:
        kept = store_delegation.ingest_delegate_sheet(d, prepared, actor=actor)
    except InputError as error:
        messages.error(request, f"回答シートを受け付けられませんでした: {error.message}")
        return
    if kept is None:
        messages.info(request, "同じ内容の回答シートは受付済みです。")
    else:
        messages.success(request, f"{d.municipality} の回答シートを受け付けました。")


@login_required
@require_POST
def delegate_sheet_upload(
    request: HttpRequest, round_id: int, org_id: int, delegation_id: int
) -> HttpResponse:
    """The prefecture sends in a sheet a delegate returned to it (e.g. by e-mail)."""
    entry = _prefecture_entry(request, round_id, org_id)
    require(request, access_of(request.user).can_answer(entry.organisation) and entry.can_edit())
    _ingest(request, _delegation_of(entry, delegation_id), questionnaire_for(entry), request.user)
    return _back(entry)


# ---------------------------------------------------------------- the delegate's page


def _by_token(token: str) -> tuple[Delegation, Entry]:
    d = store_delegation.by_token(token)
    if d is None:
        raise Http404("このリンクは使えません")
    from tenken.web.accounts.models import Organisation

    organisation = Organisation.objects.filter(name=d.prefecture).first()
    if organisation is None:
        raise Http404("このリンクは使えません")
    # The prefecture's entry of the delegation's 制度 (its deadline and questionnaire apply).
    return d, get_entry(d.round_id, int(organisation.pk)).picked(d.seido)


def delegate_answer(request: HttpRequest, token: str) -> HttpResponse:
    """A delegated municipality answers through its link (no account): the prefecture's
    deadline applies."""
    d, entry = _by_token(token)
    q = questionnaire_for(entry)
    editable = entry.can_edit()
    fixed = _delegate_fixed(q, d)
    source = f"{entry.survey_round.title}/{d.municipality}"
    actor = f"delegate:{d.municipality}"
    current = store_delegation.current_answer(d)
    if request.method == "POST":
        require(request, editable)
        if request.FILES.get("sheet") is not None:
            _ingest(request, d, q, actor)
            return redirect("delegate_answer", token=token)
        document = formspec.read_post(q, request.POST, fixed, source)
        document = formspec.without_skipped(document, evaluate(q, document))
        action = request.POST.get("action", "check")
        refused = formspec.control_character_problems(q, document)
        for message in refused:
            messages.error(request, message)
        if action in ("draft", "submit") and not refused:
            evaluation = evaluate(q, document)
            store_delegation.save_delegate_answer(
                d, document, evaluation, submit=action == "submit", actor=actor
            )
            messages.success(
                request, "提出しました。" if action == "submit" else "一時保存しました。"
            )
            return redirect("delegate_answer", token=token)
        checked = True
    else:
        stored = (
            AnswerDocument(dict(current.respondent), dict(current.answers)) if current else None
        )
        document = stored or AnswerDocument(dict(fixed), {}, source)
        checked = current is not None
    document = AnswerDocument({**document.respondent, **fixed}, document.answers, document.source)
    evaluation = evaluate(q, document)
    context = {
        "delegation": d,
        "entry": entry,
        "questionnaire": q,
        "token": token,
        "evaluation": evaluation,
        "sections": formspec.sections(
            formspec.field_views(q, document, evaluation, fixed, editable, checked)
        ),
        "flag_badges": flag_badges(evaluation.missing_info, evaluation.unanswered),
        "editable": editable,
        "checked": checked,
        "state": ("提出済み" if current.submitted else "一時保存") if current else "未着手",
    }
    return render(request, "tenken/delegate_answer.html", context)


def delegate_own_sheet(request: HttpRequest, token: str) -> HttpResponse:
    d, entry = _by_token(token)
    return _sheet(questionnaire_for(entry), d)
