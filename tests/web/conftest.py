"""Fixtures for the web tests: one administrator, one viewer and two organisations' respondents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tenken.store.models import Round
from tenken.survey.loader import DEFAULT_QUESTIONNAIRE, bundled_path, load_bundled
from tenken.web.accounts import services
from tenken.web.accounts.models import Membership, Role
from tenken.web.accounts.roster import parse_roster

PASSWORD = "correct-horse-battery-staple"
ROSTER = (
    "組織名,組織区分,メールアドレス\n"
    "14神奈川県相模原市,市区町村,a@example.lg.jp\n"
    "13東京都,都道府県,b@example.lg.jp\n"
)


@pytest.fixture(autouse=True)
def _fresh_caches() -> None:
    """Each test's database starts again from the same ids: forget per-process caches."""
    from tenken.web.site import entries, progress, views

    views._BODIES.clear()
    progress._CACHE.clear()
    progress._PAGES.clear()
    entries._IDS = None


@pytest.fixture(autouse=True)
def _fast_plain_http(settings: Any) -> None:
    """Tests talk plain HTTP to the test client and need no slow password hashing."""
    settings.SECURE_SSL_REDIRECT = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Site:
    """The people of a typical round (as in healthchecks' owner / member / outsider setup)."""

    round: Round
    admin: Any
    viewer: Any
    respondent: Any  # 14神奈川県相模原市
    other: Any  # 13東京都

    def client_for(self, user: Any) -> Client:
        client = Client()
        client.force_login(user)
        return client


@pytest.fixture
def site(db: None) -> Site:
    admin = services.create_staff("admin", Role.ADMIN, PASSWORD)
    viewer = services.create_staff("viewer", Role.VIEWER, PASSWORD)
    text = bundled_path(DEFAULT_QUESTIONNAIRE).read_text(encoding="utf-8")
    roster = parse_roster(ROSTER.encode("utf-8"), load_bundled())
    deadline = timezone.now() + timedelta(days=7)
    survey_round = services.create_round("テスト調査", text, roster, deadline, admin)
    respondents = {}
    for entry in survey_round.roster.all():
        user = Membership.objects.get(organisation__name=entry.org_name).user
        user.set_password(PASSWORD)
        user.save()
        respondents[entry.org_name] = user
    return Site(
        survey_round,
        admin,
        viewer,
        respondents["14神奈川県相模原市"],
        respondents["13東京都"],
    )
