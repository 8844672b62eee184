"""Casework fixtures: an inspect output of the hand-written cases, staff of two organisations."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tenken.linkage.inspection import run
from tenken.linkage.review.model import Role
from tests.linkage import fixtures
from tests.web.conftest import site  # noqa: F401  (fixture: survey respondents)

ORG = "14神奈川県相模原市"
OTHER_ORG = "13東京都"
PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(autouse=True)
def _number_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: Any) -> Iterator[None]:
    """Each test has its own key file (never the workspace's)."""
    monkeypatch.setenv("TENKEN_NUMBER_KEY_FILE", str(tmp_path / "number_keys.json"))
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SECURE_SSL_REDIRECT = False
    yield


@pytest.fixture(scope="session")
def inspect_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("inspect")
    registry, records = fixtures.write(folder)
    run(registry, records, folder / "out")
    return folder / "out"


@dataclass
class Staff:
    reviewer: Any
    approver: Any
    both: Any
    auditor: Any
    org_admin: Any
    other_reviewer: Any  # of OTHER_ORG


@pytest.fixture
def staff(db: None) -> Staff:
    from django.contrib.auth import get_user_model

    from tenken.store.casework.services import grant

    users = {}
    for name in ("reviewer", "approver", "both", "auditor", "org_admin", "other_reviewer"):
        users[name] = get_user_model().objects.create_user(name, password=PASSWORD)
    grants = [("reviewer", ORG, Role.REVIEWER), ("approver", ORG, Role.APPROVER),
              ("both", ORG, Role.REVIEWER), ("both", ORG, Role.APPROVER),
              ("auditor", ORG, Role.AUDITOR), ("org_admin", ORG, Role.ORG_ADMIN),
              ("other_reviewer", OTHER_ORG, Role.REVIEWER),
              ("other_reviewer", OTHER_ORG, Role.APPROVER)]  # fmt: skip
    for name, org, role in grants:
        grant("cli:setup", users[name], org, role)
    return Staff(**users)


def case_by_rid(run: Any, rid: str) -> Any:
    return run.cases.get(rid=rid)
