"""Who may see and do what in casework, in one place (views ask here, never decide alone).

* a user sees an organisation's runs and cases only with a casework role in it (点検担当者,
  承認者, 監査 or 組織管理者); other organisations' runs do not exist for them (404);
* the ministry's survey admin sees counts per run, never a case;
* respondents and viewers of the survey see nothing of casework.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from tenken.linkage.review.model import Role
from tenken.store.casework.models import Case, Run
from tenken.store.casework.services import organisations_of, roles_of
from tenken.web.accounts.roles import access_of

CASE_READERS = frozenset({Role.REVIEWER, Role.APPROVER, Role.AUDITOR, Role.ORG_ADMIN})


def is_ministry_admin(user: Any) -> bool:
    return access_of(user).is_admin


def roles(user: Any, organisation: str) -> frozenset[Role]:
    return roles_of(user, organisation)


def run_for(user: Any, run_id: int) -> Run:
    """The run, when ``user`` may open its cases; otherwise 404."""
    run = Run.objects.filter(pk=run_id).first()
    if run is None or not roles(user, run.organisation) & CASE_READERS:
        raise Http404("点検が見つかりません")
    return run


def case_for(user: Any, case_id: int) -> Case:
    case = Case.objects.select_related("run").filter(pk=case_id).first()
    if case is None or not roles(user, case.run.organisation) & CASE_READERS:
        raise Http404("事案が見つかりません")
    return case


def visible_organisations(user: Any) -> list[str]:
    return organisations_of(user)


def can(user: Any, organisation: str, role: Role) -> bool:
    return role in roles(user, organisation)


def nav_context(request: Any) -> dict[str, Any]:
    """Template context: whether to show the 総点検 link."""
    from tenken.linkage.review.model import ROLE_LABELS

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"casework_nav": False}
    orgs = organisations_of(user)
    held = sorted({r for o in orgs for r in roles(user, o)}, key=list(ROLE_LABELS).index)
    return {"casework_nav": bool(orgs) or is_ministry_admin(user),
            "casework_roles": "・".join(ROLE_LABELS[r] for r in held)}  # fmt: skip
