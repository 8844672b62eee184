"""Account operations shared by the views, the CLI demo and the tests (no request objects here)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from tenken.store import api
from tenken.store.models import Round
from tenken.survey.model import Questionnaire
from tenken.survey.pack import Pack, stored_pack
from tenken.survey.textcells import csv_text
from tenken.web.accounts.models import Invitation, Membership, Organisation, Role
from tenken.web.accounts.roster import RosterRow

INVITATION_COLUMNS = (
    "組織名",
    "組織区分",
    "メールアドレス",
    "ユーザー名",
    "招待リンク",
    "有効期限",
)


def parse_questionnaire(text: str, source: str) -> Questionnaire:
    """Check a pack's or questionnaire's text with the survey loader (SpecError lists all)."""
    return stored_pack(text, source).questionnaire


def pack_of(survey_round: Round) -> Pack:
    """The pack a round was created with (questionnaire, report settings and risk rules)."""
    return api.pack_of(survey_round)


def questionnaire_of(survey_round: Round) -> Questionnaire:
    """The round's questionnaire (the store's rule: kept pack, else the bundled edition)."""
    return api.questionnaire_of(survey_round)


@transaction.atomic
def create_round(
    title: str,
    questionnaire_text: str,
    roster: Iterable[RosterRow],
    deadline: datetime,
    by: Any,
    seidos: Sequence[str] = (),
) -> Round:
    """A round in the store with its roster (and the 制度 it covers, each organisation then
    answering once per 制度); each organisation gets one respondent account (no password yet).
    ``by`` is the administrator (recorded by the audit trail when it lands).
    """
    questionnaire = parse_questionnaire(questionnaire_text, title)
    rows = list(roster)
    members = [api.Member(r.org_name, r.kind, r.prefecture, r.email) for r in rows]
    survey_round = api.create_round(
        None,
        title,
        questionnaire,
        deadline,
        members,
        questionnaire_yaml=questionnaire_text,
        actor=by,
        seidos=seidos,
    )
    for row in rows:
        organisation, _ = Organisation.objects.get_or_create(
            name=row.org_name, defaults={"kind": row.kind, "prefecture": row.prefecture}
        )
        ensure_respondent(organisation, row.username, row.email)
    return survey_round


def ensure_respondent(organisation: Organisation, username: str, email: str = "") -> Any:
    """The organisation's respondent account, created without a usable password when missing."""
    existing = Membership.objects.filter(organisation=organisation, role=Role.RESPONDENT).first()
    if existing is not None:
        return existing.user
    user = get_user_model().objects.create_user(username=username, email=email, password=None)
    user.first_name = organisation.name[:150]
    user.save(update_fields=["first_name"])
    Membership.objects.create(user=user, role=Role.RESPONDENT, organisation=organisation)
    return user


def create_staff(username: str, role: Role, password: str | None, email: str = "") -> Any:
    """An administrator or viewer account (no organisation)."""
    user = get_user_model().objects.create_user(username=username, email=email, password=password)
    Membership.objects.create(user=user, role=role)
    return user


@dataclass(frozen=True)
class IssuedInvitation:
    organisation: Organisation
    email: str
    username: str
    url: str
    expires_at: datetime


@transaction.atomic
def issue_invitations(
    survey_round: Round, link_for: Callable[[str], str]
) -> list[IssuedInvitation]:
    """New links for every respondent of the round who has not set a password yet.

    Older unused links of those users are revoked: only the latest export works.
    """
    issued: list[IssuedInvitation] = []
    emails = dict(survey_round.roster.values_list("org_name", "email"))
    members = (
        Membership.objects.filter(organisation__name__in=list(emails), role=Role.RESPONDENT)
        .select_related("user", "organisation")
        .order_by("organisation__name")
    )
    for membership in members:
        user = membership.user
        if user.has_usable_password():
            continue
        invitation, token = Invitation.issue(user)
        org = membership.organisation
        issued.append(
            IssuedInvitation(
                org, emails[org.name], user.username, link_for(token), invitation.expires_at
            )
        )
    return issued


def invitations_csv(issued: Iterable[IssuedInvitation]) -> bytes:
    """The links as CSV for mail merge (UTF-8 with BOM so that Excel opens it correctly)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(INVITATION_COLUMNS)
    for item in issued:
        expires = timezone.localtime(item.expires_at).strftime("%Y-%m-%d %H:%M")
        org = item.organisation
        row = [org.name, org.kind, item.email, item.username, item.url, expires]
        writer.writerow([csv_text(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def redeem(token_hash: str) -> Invitation | None:
    """Mark a usable invitation used (atomically, so a link works once even under races)."""
    invitation = Invitation.objects.usable().filter(token_hash=token_hash).first()
    if invitation is None:
        return None
    updated = Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(
        used_at=timezone.now()
    )
    return invitation if updated == 1 else None
