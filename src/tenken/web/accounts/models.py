"""Who may do what: organisations, roles, invitations.

Rounds, their rosters and responses live in the survey store (``tenken.store``), shared with
the command line; this app only knows who belongs to which organisation.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


class Role(models.TextChoices):
    ADMIN = "admin", "省庁管理者"
    RESPONDENT = "respondent", "回答者"
    VIEWER = "viewer", "閲覧者"


class Organisation(models.Model):
    """A responding body: a prefecture or a municipality, named as the survey's 組織名."""

    name = models.CharField("組織名", max_length=200, unique=True)
    kind = models.CharField("組織区分", max_length=40)
    prefecture = models.CharField("都道府県", max_length=10, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's role; a respondent belongs to exactly one organisation."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="membership")
    role = models.CharField("役割", max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation, models.PROTECT, null=True, blank=True, related_name="members"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(role=Role.RESPONDENT, organisation__isnull=False)
                    | (~models.Q(role=Role.RESPONDENT) & models.Q(organisation__isnull=True))
                ),
                name="respondent_has_exactly_one_organisation",
            )
        ]


def hash_token(token: str) -> str:
    """Invitations are stored as SHA-256 of the token: a database leak reveals no usable link."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def usable(self) -> InvitationQuerySet:
        return self.filter(used_at__isnull=True, revoked=False, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """A one-time link to set a password; expires, works once, and a newer one revokes it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    objects = InvitationQuerySet.as_manager()

    @classmethod
    def issue(cls, user: models.Model, days: int | None = None) -> tuple[Invitation, str]:
        """Create an invitation for ``user`` (revoking older ones); returns it and the token."""
        cls.objects.filter(user=user, used_at__isnull=True).update(revoked=True)
        token = secrets.token_urlsafe(32)
        lifetime = timedelta(days=days or settings.TENKEN_INVITATION_DAYS)
        invitation = cls.objects.create(
            user=user, token_hash=hash_token(token), expires_at=timezone.now() + lifetime
        )
        return invitation, token
