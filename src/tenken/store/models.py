"""Rounds, their rosters, responses and attachments. Keep these small: rules live in the engine
and in :mod:`tenken.store.api` (which response counts, what a status is)."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils import timezone


class RoundState(models.TextChoices):
    OPEN = "open", "受付中"
    CLOSED = "closed", "締切済み"


class Round(models.Model):
    """One run of a questionnaire: its own roster, deadline and answers.

    The questionnaire is kept by id, version and fingerprint (and its file as text when it is
    not a bundled one), so a round always knows exactly which edition it asked.
    """

    code = models.CharField("調査回ID", max_length=60, unique=True)
    title = models.CharField("調査名", max_length=200)
    questionnaire_id = models.CharField("調査票ID", max_length=100)
    questionnaire_version = models.CharField("調査票の版", max_length=40)
    questionnaire_fingerprint = models.CharField("調査票の指紋", max_length=64, blank=True)
    questionnaire_yaml = models.TextField("調査票ファイル", blank=True)
    # The 制度 the round covers, in order (each answered once per organisation); empty: the
    # round is undivided and every answer's 制度 key is "" (see tenken.survey.seido).
    seidos = models.JSONField("調査対象の制度等", default=list, blank=True)
    deadline = models.DateTimeField("回答期限")
    state = models.CharField(
        "状態", max_length=10, choices=RoundState.choices, default=RoundState.OPEN
    )
    created_at = models.DateTimeField("作成日時", auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.state == RoundState.OPEN

    def is_past_deadline(self, now: dt.datetime | None = None) -> bool:
        return (now or timezone.now()) > self.deadline


class RosterEntry(models.Model):
    """An organisation asked in a round (by its 組織名: the store knows no account tables).

    ``extended_until`` is a deadline of its own; ``reopened`` lets it edit after the deadline.
    """

    round = models.ForeignKey(Round, models.CASCADE, related_name="roster")
    org_name = models.CharField("組織名", max_length=200)
    org_kind = models.CharField("組織区分", max_length=40)
    prefecture = models.CharField("都道府県", max_length=10, blank=True)
    seido = models.CharField("制度等", max_length=200, blank=True)
    zokusei = models.CharField("属性", max_length=200, blank=True)
    email = models.CharField("連絡先メールアドレス", max_length=254, blank=True)
    extended_until = models.DateTimeField("延長後の期限", null=True, blank=True)
    reopened = models.BooleanField("期限後の修正を許可", default=False)

    class Meta:
        ordering = ["org_name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "org_name"], name="roster_org_once")
        ]

    def __str__(self) -> str:
        return self.org_name

    @property
    def deadline(self) -> dt.datetime:
        return self.extended_until or self.round.deadline

    def can_edit(self, now: dt.datetime | None = None) -> bool:
        """Open round, and before this organisation's deadline unless reopened."""
        if not self.round.is_open:
            return False
        return self.reopened or (now or timezone.now()) <= self.deadline


class Origin(models.TextChoices):
    FILE = "file", "ファイル"
    WEB_DRAFT = "web_draft", "Web一時保存"
    WEB_SUBMISSION = "web_submission", "Web提出"


SUBMITTED_ORIGINS = (Origin.FILE, Origin.WEB_SUBMISSION)


class Response(models.Model):
    """One answer of one organisation for one 制度 in one round: a file, a web draft or a web
    submission (``seido`` is "" in a round without a 制度 list).

    ``is_current`` marks the latest version (what the form shows); ``is_counted`` the latest
    submitted one (what status, dashboard, reports and risk count), each per (organisation,
    制度): see ``store.api``.
    """

    round = models.ForeignKey(Round, models.PROTECT, related_name="responses")
    questionnaire_id = models.CharField("調査票ID", max_length=100)
    questionnaire_version = models.CharField("調査票の版", max_length=40)
    org_name = models.CharField("組織名", max_length=200)
    org_kind = models.CharField("組織区分", max_length=40, blank=True)
    seido = models.CharField("制度等", max_length=200, blank=True, default="")
    origin = models.CharField("受付経路", max_length=20, choices=Origin.choices)
    respondent = models.JSONField("回答者情報")
    answers = models.JSONField("回答")
    problems = models.JSONField("不備")
    missing_info = models.BooleanField("情報未入力あり")
    unanswered = models.BooleanField("未回答あり")
    attachments_requested = models.JSONField("提出を求める添付", default=list)
    sha256 = models.CharField("SHA-256", max_length=64)
    source_name = models.CharField("ファイル名", max_length=500)
    received_at = models.DateTimeField("受信日時")
    ingested_at = models.DateTimeField("取り込み日時", auto_now_add=True)
    is_current = models.BooleanField("最新", default=False)
    is_counted = models.BooleanField("集計対象", default=False)

    class Meta:
        ordering = ["org_name", "-received_at"]
        indexes = [models.Index(fields=["round", "org_name"], name="response_round_org")]
        constraints = [
            models.UniqueConstraint(fields=["round", "sha256"], name="response_file_once"),
            models.UniqueConstraint(
                fields=["round", "org_name", "seido"],
                condition=Q(is_current=True),
                name="response_one_current",
            ),
            models.UniqueConstraint(
                fields=["round", "org_name", "seido"],
                condition=Q(is_counted=True),
                name="response_one_counted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.org_name} {self.source_name}"

    @property
    def flagged(self) -> bool:
        return self.missing_info or self.unanswered

    @property
    def submitted(self) -> bool:
        return self.origin in SUBMITTED_ORIGINS


class ResponseAttachment(models.Model):
    """A file that came with the sheet (e.g. the procedures manual): name, size and hash."""

    response = models.ForeignKey(Response, models.CASCADE, related_name="attachments")
    name = models.CharField("ファイル名", max_length=500)
    size = models.BigIntegerField("サイズ")
    sha256 = models.CharField("SHA-256", max_length=64)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Reminder(models.Model):
    """A reminder sent (or written to the mail-merge file) to one organisation of a round, about
    one of its 制度 (``seido`` "" in a round without a 制度 list)."""

    round = models.ForeignKey(Round, models.CASCADE, related_name="reminders")
    org_name = models.CharField("組織名", max_length=200)
    seido = models.CharField("制度等", max_length=200, blank=True, default="")
    email = models.CharField("宛先", max_length=254, blank=True)
    template = models.CharField("文面", max_length=60)
    channel = models.CharField("送り方", max_length=20)  # smtp / csv
    sent_by = models.CharField("送信者", max_length=150)
    sent_at = models.DateTimeField("送信日時", auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "org_name"]

    def __str__(self) -> str:
        return f"{self.org_name} {self.sent_at:%Y-%m-%d %H:%M}"


class Delegation(models.Model):
    """A municipality a prefecture has delegated work to (「条例等により一部の事務を管内市区町村に
    委任」), asked the same questionnaire so that the prefecture answers for both.

    Keyed per (round, prefecture, 制度): ``seido`` is "" in a round without a 制度 list. The
    invitation link's token is kept as its SHA-256 only (a database leak reveals no usable link).
    """

    round = models.ForeignKey(Round, models.CASCADE, related_name="delegations")
    prefecture = models.CharField("都道府県（組織名）", max_length=200)
    seido = models.CharField("制度等", max_length=200, blank=True, default="")
    municipality = models.CharField("委任先の市区町村（組織名）", max_length=200)
    email = models.CharField("連絡先メールアドレス", max_length=254, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.CharField("登録者", max_length=150)
    created_at = models.DateTimeField("登録日時", auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "prefecture", "seido", "municipality"],
                name="delegation_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.prefecture} → {self.municipality}"


class DelegateAnswer(models.Model):
    """One version of a delegated municipality's answer (web form or sheet).

    A table of its own, not a :class:`Response`: a delegate's answer is evidence for the
    prefecture's consolidated answer and never counts as a submission of its own.
    """

    delegation = models.ForeignKey(Delegation, models.CASCADE, related_name="answers")
    origin = models.CharField("受付経路", max_length=20, choices=Origin.choices)
    respondent = models.JSONField("回答者情報")
    answers = models.JSONField("回答")
    problems = models.JSONField("不備")
    missing_info = models.BooleanField("情報未入力あり")
    unanswered = models.BooleanField("未回答あり")
    sha256 = models.CharField("SHA-256", max_length=64)
    source_name = models.CharField("ファイル名", max_length=500)
    received_at = models.DateTimeField("受信日時")
    is_current = models.BooleanField("最新", default=False)

    class Meta:
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["delegation", "sha256"], name="delegate_answer_once"),
            models.UniqueConstraint(
                fields=["delegation"],
                condition=Q(is_current=True),
                name="delegate_answer_one_current",
            ),
        ]

    @property
    def submitted(self) -> bool:
        return self.origin in SUBMITTED_ORIGINS


class Consolidation(models.Model):
    """The provenance of a prefecture's consolidated submission: per item, whose answer it is,
    what was proposed and, when the prefecture changed it, why."""

    response = models.OneToOneField(Response, models.PROTECT, related_name="consolidation")
    prefecture = models.CharField("都道府県（組織名）", max_length=200)
    seido = models.CharField("制度等", max_length=200, blank=True, default="")
    provenance = models.JSONField("回答の出所")
    delegates = models.JSONField("委任先", default=list)
    created_by = models.CharField("提出者", max_length=150)
    created_at = models.DateTimeField("提出日時", auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
