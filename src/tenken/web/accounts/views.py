"""Views of the accounts app: invitations and the administrator's survey rounds (glue only)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from tenken.store import api
from tenken.store.models import Round
from tenken.web.accounts import services
from tenken.web.accounts.forms import RoundForm
from tenken.web.accounts.models import Invitation, hash_token
from tenken.web.accounts.roles import access_of, require
from tenken.web.site.entries import get_entry, organisation_ids_cached
from tenken.web.site.views import PAGE_SIZE, page_of


def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Set a password with a one-time link; an expired, revoked or used link shows why it fails."""
    token_hash = hash_token(token)
    invitation = Invitation.objects.usable().filter(token_hash=token_hash).first()
    if invitation is None:
        return render(request, "tenken/invitation_invalid.html", status=410)
    form = SetPasswordForm(invitation.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            if services.redeem(token_hash) is None:
                return render(request, "tenken/invitation_invalid.html", status=410)
            form.save()
        messages.success(
            request, "パスワードを設定しました。ユーザー名とパスワードでログインしてください。"
        )
        return redirect("login")
    context = {"form": form, "username": invitation.user.username}
    return render(request, "tenken/invitation.html", context)


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    require(request, access_of(request.user).is_admin)
    return render(request, "tenken/rounds.html", {"rounds": Round.objects.all()})


@login_required
def round_create(request: HttpRequest) -> HttpResponse:
    require(request, access_of(request.user).is_admin)
    form = RoundForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        survey_round = services.create_round(
            form.cleaned_data["title"],
            form.questionnaire_text,
            form.roster,
            form.cleaned_data["deadline"],
            request.user,
            form.seido_list,
        )
        messages.success(
            request, f"調査「{survey_round.title}」を作成しました（{len(form.roster)} 団体）。"
        )
        return redirect("round_detail", round_id=survey_round.pk)
    return render(request, "tenken/round_form.html", {"form": form})


@login_required
def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    require(request, access_of(request.user).is_admin)
    survey_round = get_object_or_404(Round, pk=round_id)
    roster = survey_round.roster.order_by("org_name")
    total = roster.count()
    wanted = request.GET.get("q", "").strip()
    if wanted:
        roster = roster.filter(org_name__contains=wanted)
    found = roster.count() if wanted else total
    page = page_of(request.GET.get("page", ""), found)
    shown = list(
        roster.values_list("org_name", "org_kind", "prefecture", "email", "reopened")[
            (page - 1) * PAGE_SIZE : page * PAGE_SIZE
        ]
    )
    ids = organisation_ids_cached()[1]
    context = {
        "round": survey_round,
        "rows_html": roster_rows_html(shown, ids, survey_round.pk, get_token(request)),
        "total": total,
        "found": found,
        "q": wanted,
        "page": page,
        "pages": max(1, -(-found // PAGE_SIZE)),
    }
    return render(request, "tenken/round_detail.html", context)


_WITHDRAW = mark_safe('許可中 <button type="submit">取り消す</button>')
_ALLOW = mark_safe('<button type="submit">許可する</button>')


def roster_rows_html(
    rows: list[tuple[str, str, str, str, bool]], ids: dict[str, int], round_id: int, token: str
) -> SafeString:
    """The round page's roster rows (formatted in Python, as the dashboard's, for speed)."""
    parts = []
    for name, kind, prefecture, email, reopened in rows:
        org_id = ids.get(name)
        if org_id is None:
            parts.append(format_html(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>—</td></tr>",
                name, kind, prefecture, email,
            ))  # fmt: skip
            continue
        button = _WITHDRAW if reopened else _ALLOW
        parts.append(format_html(
            '<tr><td><a href="/rounds/{r}/answers/{o}/">{n}</a></td><td>{k}</td><td>{p}</td>'
            '<td>{e}</td><td><form method="post" action="/rounds/{r}/entries/{o}/reopen/">'
            '<input type="hidden" name="csrfmiddlewaretoken" value="{t}">{b}</form></td></tr>',
            r=round_id, o=org_id, n=name, k=kind, p=prefecture, e=email, t=token, b=button,
        ))  # fmt: skip
    return mark_safe("\n".join(parts))


@login_required
@require_POST
def invitations_csv(request: HttpRequest, round_id: int) -> HttpResponse:
    """Issue fresh links for respondents without a password and download them as CSV."""
    require(request, access_of(request.user).is_admin)
    survey_round = get_object_or_404(Round, pk=round_id)

    def link_for(token: str) -> str:
        return request.build_absolute_uri(reverse("invitation", args=[token]))

    issued = services.issue_invitations(survey_round, link_for)
    response = HttpResponse(
        services.invitations_csv(issued), content_type="text/csv; charset=utf-8"
    )
    filename = f"invitations-round{survey_round.pk}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def remind(request: HttpRequest, round_id: int) -> HttpResponse:
    """Remind every organisation that has not submitted or has problems: by e-mail over
    TENKEN_SMTP_*, or as a mail-merge CSV download when no SMTP server is configured."""
    from tenken.errors import InputError
    from tenken.store import reminders

    require(request, access_of(request.user).is_admin)
    survey_round = get_object_or_404(Round, pk=round_id)
    found = reminders.targets(survey_round)
    by = f"web:{request.user.get_username()}"
    try:
        smtp = reminders.smtp_from_env()
        sent, skipped = reminders.send(survey_round, found, smtp, by)
    except InputError as error:
        messages.error(request, error.message)
        return redirect("round_detail", round_id=round_id)
    if smtp is None:
        response = HttpResponse(
            reminders.mail_merge_csv(found), content_type="text/csv; charset=utf-8"
        )
        name = f"reminders-{survey_round.code}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    note = f"（メールアドレスがない {len(skipped)} 団体には送れませんでした）" if skipped else ""
    messages.success(request, f"督促メールを {sent} 件送信しました{note}。")
    return redirect("round_detail", round_id=round_id)


@login_required
@require_POST
def toggle_reopen(request: HttpRequest, round_id: int, org_id: int) -> HttpResponse:
    """The administrator lets one organisation edit after the deadline (or withdraws that)."""
    require(request, access_of(request.user).is_admin)
    entry = get_entry(round_id, org_id)
    api.set_reopened(entry.roster, not entry.roster.reopened, request.user)
    state = "期限後の修正を許可しました" if entry.reopened else "期限後の修正の許可を取り消しました"
    messages.success(request, f"{entry.organisation.name}: {state}。")
    return redirect("round_detail", round_id=round_id)
