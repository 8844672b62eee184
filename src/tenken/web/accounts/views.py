"""Views of the accounts app: invitations and the administrator's survey rounds (glue only)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tenken.store import api
from tenken.store.models import Round
from tenken.web.accounts import services
from tenken.web.accounts.forms import RoundForm
from tenken.web.accounts.models import Invitation, hash_token
from tenken.web.accounts.roles import access_of, require
from tenken.web.site.entries import entries_of_round, get_entry


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
    entries = entries_of_round(survey_round)
    return render(request, "tenken/round_detail.html", {"round": survey_round, "entries": entries})


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
def toggle_reopen(request: HttpRequest, round_id: int, org_id: int) -> HttpResponse:
    """The administrator lets one organisation edit after the deadline (or withdraws that)."""
    require(request, access_of(request.user).is_admin)
    entry = get_entry(round_id, org_id)
    api.set_reopened(entry.roster, not entry.roster.reopened, request.user)
    state = "期限後の修正を許可しました" if entry.reopened else "期限後の修正の許可を取り消しました"
    messages.success(request, f"{entry.organisation.name}: {state}。")
    return redirect("round_detail", round_id=round_id)
