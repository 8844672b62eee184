"""Invitation links: issued from the roster, exported as CSV, one-time and expiring."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from tenken.web.accounts.models import Invitation, hash_token
from tests.web.conftest import Site

NEW_PASSWORD = "kanagawa-sagamihara-2023"


def _export(site: Site) -> list[dict[str, str]]:
    response = site.client_for(site.admin).post(f"/rounds/{site.round.pk}/invitations.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def _unset_password(user: object) -> None:
    user.set_unusable_password()  # type: ignore[attr-defined]
    user.save()  # type: ignore[attr-defined]


def _token(row: dict[str, str]) -> str:
    return row["招待リンク"].rstrip("/").rsplit("/", 1)[1]


def test_admin_exports_one_link_per_respondent_without_password(site: Site) -> None:
    """The CSV lists each organisation that still needs a password, with username and link."""
    _unset_password(site.respondent)
    rows = _export(site)
    assert [r["組織名"] for r in rows] == ["14神奈川県相模原市"]
    assert rows[0]["ユーザー名"] == site.respondent.username
    assert rows[0]["メールアドレス"] == "a@example.lg.jp"
    assert rows[0]["招待リンク"].startswith("http://testserver/invite/")


def test_the_token_itself_is_not_stored(site: Site) -> None:
    """Only the token's SHA-256 is kept: the database alone gives no usable link."""
    _unset_password(site.respondent)
    token = _token(_export(site)[0])
    assert not Invitation.objects.filter(token_hash=token).exists()
    assert Invitation.objects.filter(token_hash=hash_token(token)).exists()


def test_a_link_sets_the_password_once_and_then_fails(site: Site) -> None:
    """The first use sets the password and logs in works; a second use of the same link fails."""
    _unset_password(site.respondent)
    url = f"/invite/{_token(_export(site)[0])}/"
    client = Client()
    assert client.get(url).status_code == 200
    data = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    assert client.post(url, data).status_code == 302
    site.respondent.refresh_from_db()
    assert site.respondent.check_password(NEW_PASSWORD)
    assert client.get(url).status_code == 410
    again = client.post(url, {"new_password1": "x" * 20, "new_password2": "x" * 20})
    assert again.status_code == 410
    site.respondent.refresh_from_db()
    assert site.respondent.check_password(NEW_PASSWORD)


def test_an_expired_link_fails(site: Site) -> None:
    """A link past its expiry date cannot set a password."""
    _unset_password(site.respondent)
    token = _token(_export(site)[0])
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    data = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    assert Client().post(f"/invite/{token}/", data).status_code == 410
    site.respondent.refresh_from_db()
    assert not site.respondent.has_usable_password()


def test_a_new_export_revokes_older_links(site: Site) -> None:
    """Only the latest export's links work: re-sending never leaves two valid links."""
    _unset_password(site.respondent)
    old = _token(_export(site)[0])
    new = _token(_export(site)[0])
    assert Client().get(f"/invite/{old}/").status_code == 410
    assert Client().get(f"/invite/{new}/").status_code == 200


def test_a_weak_password_is_refused_by_the_validators(site: Site) -> None:
    """Django's password validators apply: too short, common or numeric passwords fail."""
    _unset_password(site.respondent)
    url = f"/invite/{_token(_export(site)[0])}/"
    response = Client().post(url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert response.status_code == 200
    assert response.context["form"].errors
    site.respondent.refresh_from_db()
    assert not site.respondent.has_usable_password()


def test_an_unknown_token_fails(site: Site) -> None:
    """A made-up link is refused like an expired one."""
    assert Client().get("/invite/not-a-real-token/").status_code == 410


def test_only_the_admin_can_export_links(site: Site) -> None:
    """Viewers and respondents get 403 on the export."""
    for user in (site.viewer, site.respondent):
        url = f"/rounds/{site.round.pk}/invitations.csv"
        assert site.client_for(user).post(url).status_code == 403
