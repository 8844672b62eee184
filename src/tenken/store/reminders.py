"""Reminders: one e-mail to every organisation of a round that has not submitted or whose
counted answer has problems (in a round with several 制度: one per such organisation and 制度),
over SMTP (``TENKEN_SMTP_*``), or a mail-merge CSV when no SMTP
server is configured. Every reminder is recorded (who, when, which template).
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from django.db import transaction

from tenken.errors import InputError
from tenken.store import api
from tenken.store.models import Reminder, Round
from tenken.survey.textcells import csv_text

TEMPLATES = {
    api.NOT_STARTED: "not_submitted",
    api.DRAFT: "not_submitted",
    api.SUBMITTED_WITH_PROBLEMS: "problems",
}
SUBJECT = "【{title}】{about}回答のお願い（期限 {deadline}）"
BODIES = {
    "not_submitted": (
        "{org} ご担当者様\n\n「{title}」{about}への回答をまだ受け付けていません。\n"
        "回答期限（{deadline}）までに、回答シートまたは Web の回答画面から提出をお願いします。\n"
        "すでに送付いただいている場合は、行き違いですのでご容赦ください。\n"
    ),
    "problems": (
        "{org} ご担当者様\n\n「{title}」{about}への回答を受け付けましたが、記入漏れ等（情報未入力・"
        "未回答・添付なし）があります。\n回答期限（{deadline}）までに、修正した回答の提出を"
        "お願いします。\n"
    ),
}


@dataclass(frozen=True)
class Smtp:
    host: str
    port: int
    starttls: bool
    user: str
    password: str
    sender: str


def smtp_from_env() -> Smtp | None:
    """The SMTP settings of TENKEN_SMTP_*, or None when no host is set (→ mail-merge CSV)."""
    from tenken.web import env

    host = env.raw("TENKEN_SMTP_HOST")
    if host is None:
        return None
    sender = env.raw("TENKEN_SMTP_SENDER")
    if sender is None:
        raise InputError("TENKEN_SMTP_SENDER（差出人アドレス）を設定してください")
    return Smtp(
        host,
        env.integer("TENKEN_SMTP_PORT"),
        env.boolean("TENKEN_SMTP_STARTTLS"),
        env.raw("TENKEN_SMTP_USER") or "",
        env.raw("TENKEN_SMTP_PASSWORD") or "",
        sender,
    )


@dataclass(frozen=True)
class Target:
    org_name: str
    email: str
    template: str
    subject: str
    body: str
    seido: str = ""


def targets(survey_round: Round, alias: str = "default", seido: str | None = None) -> list[Target]:
    """Who gets a reminder: not submitted, or submitted with problems (the store's one rule),
    per (organisation, 制度) the round asks (``seido`` given: that 制度 only)."""
    emails = dict(survey_round.roster.using(alias).values_list("org_name", "email"))
    deadline = api.local(survey_round.deadline).strftime("%Y年%-m月%-d日")
    found = []
    for line in api.overview(survey_round, alias, seido=seido):
        template = TEMPLATES.get(line.state)
        if template is None:
            continue
        about = f"（制度: {line.seido}）" if line.seido else ""
        values = {"org": line.org_name, "title": survey_round.title, "deadline": deadline}
        values["about"] = about
        found.append(
            Target(
                line.org_name,
                emails.get(line.org_name, ""),
                template,
                SUBJECT.format(**values),
                BODIES[template].format(**values),
                line.seido,
            )
        )
    return found


def mail_merge_csv(found: list[Target]) -> bytes:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    divided = any(t.seido for t in found)
    writer.writerow(
        ["組織名", *(["制度等"] if divided else []), "メールアドレス", "件名", "本文", "文面"]
    )
    for t in found:
        values = (
            t.org_name,
            *([t.seido] if divided else []),
            t.email,
            t.subject,
            t.body,
            t.template,
        )
        writer.writerow([csv_text(v) for v in values])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def send(
    survey_round: Round,
    found: list[Target],
    smtp: Smtp | None,
    sent_by: str,
    alias: str = "default",
) -> tuple[int, list[str]]:
    """Send (or, without SMTP, record as written to the CSV) each reminder; (sent, skipped).

    Organisations without an e-mail address are skipped and named. Each reminder is recorded
    as soon as the server accepted it, so a failure half-way leaves an exact record.
    """
    skipped = [t.org_name for t in found if not t.email]
    ready = [t for t in found if t.email]
    if smtp is None:
        _record(survey_round, ready, "csv", sent_by, alias)
        return len(ready), skipped
    sent = 0
    try:
        with smtplib.SMTP(smtp.host, smtp.port, timeout=30) as server:
            if smtp.starttls:
                server.starttls(context=ssl.create_default_context())
            if smtp.user:
                server.login(smtp.user, smtp.password)
            for t in ready:
                server.send_message(_message(smtp.sender, t))
                _record(survey_round, [t], "smtp", sent_by, alias)
                sent += 1
    except (OSError, smtplib.SMTPException) as error:
        raise InputError(
            f"督促メールを送れませんでした（{sent} 件送信済み）: {error}",
            hint="TENKEN_SMTP_HOST・PORT・STARTTLS・USER・PASSWORD を確認してください",
        ) from error
    return sent, skipped


def _message(sender: str, t: Target) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = t.email
    message["Subject"] = t.subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1] or "tenken")
    message.set_content(t.body)
    return message


def _record(
    survey_round: Round, found: list[Target], channel: str, sent_by: str, alias: str
) -> None:
    with transaction.atomic(using=alias):
        Reminder.objects.using(alias).bulk_create(
            Reminder(
                round=survey_round,
                org_name=t.org_name,
                seido=t.seido,
                email=t.email,
                template=t.template,
                channel=channel,
                sent_by=sent_by,
            )
            for t in found
        )
