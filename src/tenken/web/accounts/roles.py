"""What a signed-in user may see and do, in one place; views ask here, never decide alone."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from tenken.web.accounts.models import Membership, Organisation, Role


@dataclass(frozen=True)
class Access:
    """A user's role and, for a respondent, the one organisation they answer for."""

    role: str | None
    organisation_id: int | None = None

    @property
    def label(self) -> str:
        return Role(self.role).label if self.role else "権限なし"

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_respondent(self) -> bool:
        return self.role == Role.RESPONDENT

    @property
    def can_see_dashboard(self) -> bool:
        return self.role in (Role.ADMIN, Role.VIEWER)

    def can_read(self, organisation: Organisation) -> bool:
        if self.role in (Role.ADMIN, Role.VIEWER):
            return True
        return self.is_respondent and organisation.pk == self.organisation_id

    def can_answer(self, organisation: Organisation) -> bool:
        """Only the organisation's own respondents change its answer (deadline checked apart)."""
        return self.is_respondent and organisation.pk == self.organisation_id


def access_of(user: AbstractBaseUser | AnonymousUser) -> Access:
    """The user's role; looked up once per request (the view and the template both ask)."""
    if not user.is_authenticated:
        return Access(None)
    cached: Access | None = getattr(user, "_tenken_access", None)
    if cached is None:
        membership = Membership.objects.filter(user=user).first()
        cached = (
            Access(None)
            if membership is None
            else Access(membership.role, membership.organisation_id)
        )
        user._tenken_access = cached
    return cached


def require(request: HttpRequest, allowed: bool) -> None:
    """Refuse with 403 unless ``allowed``."""
    if not allowed:
        raise PermissionDenied("この操作を行う権限がありません")


def role_context(request: HttpRequest) -> dict[str, Any]:
    """Template context: ``role`` is the signed-in user's :class:`Access`; the login lockout's
    length (shown by the lockout page, whichever throttle refused the login)."""
    from django.conf import settings

    user = getattr(request, "user", None)
    return {
        "role": access_of(user) if user is not None else Access(None),
        "tenken_cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
