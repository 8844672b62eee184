"""Reminders go to a real SMTP server started by the test (aiosmtpd on 127.0.0.1)."""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tenken.cli import app
from tenken.store.ingest import ingest
from tenken.store.models import Reminder
from tenken.survey.model import Questionnaire
from tests.store.conftest import Db, survey_round, write_answer

ROSTER_CSV = (
    "組織名,組織区分,メールアドレス\n"
    "14神奈川県相模原市,市区町村,a@city.example.lg.jp\n"
    "13東京都,都道府県,b@metro.example.lg.jp\n"
    "27大阪府,都道府県,\n"
    "01北海道,都道府県,d@pref.example.lg.jp\n"
)


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.content, policy=default))
        return "250 OK"


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    from aiosmtpd.controller import Controller

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("TENKEN_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("TENKEN_SMTP_PORT", str(port))
    monkeypatch.setenv("TENKEN_SMTP_STARTTLS", "false")
    monkeypatch.setenv("TENKEN_SMTP_SENDER", "chosa@mhlw.example.go.jp")
    try:
        yield inbox
    finally:
        controller.stop()


def _round_with_answers(
    db: Db, q: Questionnaire, blank: bytes, tmp_path: Path
) -> tuple[Any, list[str]]:
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER_CSV, encoding="utf-8")
    args = ["survey", "round", "create", "2023", "--title", "実態調査", "--deadline",
            "2023-07-21", "--roster", str(roster), *db.cli_args()]  # fmt: skip
    assert CliRunner().invoke(app, args).exit_code == 0
    r = survey_round(db)
    clean = write_answer(tmp_path / "a", "a.xlsx", q, blank)  # 相模原市: complete
    flagged = write_answer(
        tmp_path / "b", "b.xlsx", q, blank, example="problem-unanswered.json",
        組織名="13東京都", 組織区分="都道府県",
    )  # fmt: skip
    ingest([clean, flagged], r, q, db.alias, workers=1)
    return r, db.cli_args()


def test_remind_sends_to_the_unsubmitted_and_the_flagged_and_records_it(
    store_db: Db,
    questionnaire: Questionnaire,
    blank: bytes,
    tmp_path: Path,
    django_db_blocker: Any,
    smtp: Inbox,
) -> None:
    """東京都 (flags) and 北海道 (not submitted) get mail; 大阪府 has no address; 相模原市 none."""
    if store_db.options:
        pytest.skip("the CLI's --db cannot select the per-test PostgreSQL schema")
    with django_db_blocker.unblock():
        _r, db_args = _round_with_answers(store_db, questionnaire, blank, tmp_path)
        dry = CliRunner().invoke(app, ["survey", "remind", "--dry-run", *db_args])
        assert dry.exit_code == 0 and "督促の対象 3 件" in dry.output
        assert smtp.messages == [] and not Reminder.objects.using(store_db.alias).exists()
        result = CliRunner().invoke(app, ["survey", "remind", "--round", "2023", *db_args])
        assert result.exit_code == 0, result.output
        records = list(Reminder.objects.using(store_db.alias).values_list(
            "org_name", "template", "channel"))  # fmt: skip
    to = sorted(m["To"] for m in smtp.messages)
    assert to == ["b@metro.example.lg.jp", "d@pref.example.lg.jp"]
    tokyo = next(m for m in smtp.messages if m["To"] == "b@metro.example.lg.jp")
    assert "記入漏れ等" in tokyo.get_content() and "実態調査" in tokyo["Subject"]
    assert tokyo["From"] == "chosa@mhlw.example.go.jp"
    assert sorted(records) == [
        ("01北海道", "not_submitted", "smtp"),
        ("13東京都", "problems", "smtp"),
    ]
    assert "27大阪府" in result.output  # no address: named, not silently dropped


def test_without_smtp_a_mail_merge_csv_is_written(
    store_db: Db,
    questionnaire: Questionnaire,
    blank: bytes,
    tmp_path: Path,
    django_db_blocker: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No TENKEN_SMTP_HOST: the reminders go to a CSV (UTF-8 BOM) and are recorded as csv."""
    if store_db.options:
        pytest.skip("the CLI's --db cannot select the per-test PostgreSQL schema")
    monkeypatch.delenv("TENKEN_SMTP_HOST", raising=False)
    out = tmp_path / "督促.csv"
    with django_db_blocker.unblock():
        _r, db_args = _round_with_answers(store_db, questionnaire, blank, tmp_path)
        result = CliRunner().invoke(app, ["survey", "remind", "--out", str(out), *db_args])
        assert result.exit_code == 0, result.output
        channels = set(Reminder.objects.using(store_db.alias).values_list("channel", flat=True))
    text = out.read_text("utf-8-sig")
    assert "13東京都" in text and "01北海道" in text and "14神奈川県相模原市" not in text
    assert channels == {"csv"}


def _self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 (and its key), made for this test only."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "smtp.pem", folder / "smtp.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


class Logins:
    def __init__(self) -> None:
        self.users: list[str] = []

    def __call__(self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
        from aiosmtpd.smtp import AuthResult, LoginPassword

        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (b"chosa", b"pw")
        if ok:
            self.users.append(data.login.decode())
        return AuthResult(success=ok, handled=False)


def test_reminders_go_over_starttls_with_a_login(
    store_db: Db,
    questionnaire: Questionnaire,
    blank: bytes,
    tmp_path: Path,
    django_db_blocker: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """TENKEN_SMTP_STARTTLS=true: the server (which refuses mail and AUTH before STARTTLS) gets
    both reminders after a verified TLS handshake and a login; an untrusted certificate is a
    clean refusal that sends and records nothing."""
    import ssl

    from aiosmtpd.controller import Controller

    if store_db.options:
        pytest.skip("the CLI's --db cannot select the per-test PostgreSQL schema")
    cert, key = _self_signed(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    inbox, logins = Inbox(), Logins()
    controller = Controller(
        inbox, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True,
        authenticator=logins, auth_require_tls=True,
    )  # fmt: skip
    controller.start()
    for name, value in {"HOST": "127.0.0.1", "PORT": str(port), "STARTTLS": "true",
                        "USER": "chosa", "PASSWORD": "pw",
                        "SENDER": "chosa@mhlw.example.go.jp"}.items():  # fmt: skip
        monkeypatch.setenv(f"TENKEN_SMTP_{name}", value)
    try:
        with django_db_blocker.unblock():
            _r, db_args = _round_with_answers(store_db, questionnaire, blank, tmp_path)
            monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "none.pem"))  # not trusted
            refused = CliRunner().invoke(app, ["survey", "remind", *db_args])
            assert refused.exit_code != 0 and "督促メールを送れませんでした" in refused.output
            assert "CERTIFICATE_VERIFY_FAILED" in refused.output
            assert not Reminder.objects.using(store_db.alias).exists()
            monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the closed network's own CA
            result = CliRunner().invoke(app, ["survey", "remind", *db_args])
            assert result.exit_code == 0, result.output
            channels = list(
                Reminder.objects.using(store_db.alias).values_list("channel", flat=True)
            )
    finally:
        controller.stop()
    assert sorted(m["To"] for m in inbox.messages) == [
        "b@metro.example.lg.jp",
        "d@pref.example.lg.jp",
    ]
    assert logins.users == ["chosa"] and channels == ["smtp", "smtp"]
