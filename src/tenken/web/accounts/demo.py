"""Sample site content for demonstrations and browser tests: one account per role, one round.

Idempotent: running it again keeps existing accounts and reuses the stored demo passwords.
Passwords are random and written to ``<workspace>/demo-accounts.json`` (mode 0600).
"""

from __future__ import annotations

import json
import os
import secrets
from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from tenken.store.models import Round
from tenken.survey.loader import DEFAULT_QUESTIONNAIRE, load_bundled
from tenken.survey.pack import load_bundled_pack, pack_text
from tenken.web.accounts import services
from tenken.web.accounts.models import Membership, Role
from tenken.web.accounts.roster import parse_roster

DEMO_ROUND = "【デモ】職業転換給付金制度 マイナンバー情報連携関係実態調査"
DEMO_ROSTER = """組織名,組織区分,メールアドレス
14神奈川県相模原市,市区町村,fukushi@city.sagamihara.example.lg.jp
14神奈川県,都道府県,koyo@pref.kanagawa.example.lg.jp
13東京都,都道府県,koyo@metro.tokyo.example.lg.jp
13東京都八王子市,市区町村,fukushi@city.hachioji.example.lg.jp
27大阪府大阪市,市区町村,fukushi@city.osaka.example.lg.jp
"""

# Respondent accounts the demo can sign in as: a municipality, and a prefecture (which may
# record the municipalities it has delegated work to and answer for them).
DEMO_RESPONDENTS = {"respondent": "14神奈川県相模原市", "prefecture": "14神奈川県"}


def seed(workspace: Path) -> dict[str, dict[str, str]]:
    """Create the demo round and accounts; return {role: {username, password}}."""
    path = workspace / "demo-accounts.json"
    accounts: dict[str, dict[str, str]] = (
        json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    )
    with transaction.atomic():
        admin = _staff(accounts, "admin", "demo-admin", Role.ADMIN)
        _staff(accounts, "viewer", "demo-viewer", Role.VIEWER)
        survey_round = Round.objects.filter(title=DEMO_ROUND).first()
        if survey_round is None:
            pack = load_bundled_pack(DEFAULT_QUESTIONNAIRE)
            text, q = pack_text(pack), pack.questionnaire
            roster = parse_roster(DEMO_ROSTER.encode("utf-8"), q, "demo-roster.csv")
            deadline = timezone.now() + timedelta(days=14)
            survey_round = services.create_round(DEMO_ROUND, text, roster, deadline, admin)
        for key, org_name in DEMO_RESPONDENTS.items():
            member = Membership.objects.get(role=Role.RESPONDENT, organisation__name=org_name)
            _password(accounts, key, member.user)
    workspace.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(accounts, handle, ensure_ascii=False, indent=2)
    return accounts


def _staff(accounts: dict[str, dict[str, str]], key: str, username: str, role: Role) -> object:
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        user = services.create_staff(username, role, None)
    _password(accounts, key, user)
    return user


def _password(accounts: dict[str, dict[str, str]], key: str, user: object) -> None:
    known = accounts.get(key)
    password = known["password"] if known else secrets.token_urlsafe(12)
    user.set_password(password)  # type: ignore[attr-defined]
    user.save()  # type: ignore[attr-defined]
    accounts[key] = {"username": user.username, "password": password}  # type: ignore[attr-defined]


def ingest_sample_answers(answers: Path, skip: tuple[str, ...] = ("14神奈川県相模原市",)) -> int:
    """Ingest the demo's sample answer files of the roster's organisations (as the CLI does).

    The demo respondent's own organisation is skipped so that it starts with an empty form.
    """
    from tenken.store.ingest import ingest
    from tenken.survey.sources import load_answers

    q = load_bundled()
    wanted = {line.split(",")[0] for line in DEMO_ROSTER.splitlines()[1:]} - set(skip)
    paths = []
    for path in sorted(answers.glob("*.json")):
        document = load_answers(path, q)
        if document.respondent.get("組織名") in wanted:
            paths.append(path)
    survey_round = Round.objects.get(title=DEMO_ROUND)
    report = ingest(paths, survey_round, q, "default", workers=1)
    return report.count("current")
