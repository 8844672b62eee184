"""Runs, cases, their registry evidence, role grants and incidents. Rules: linkage.review."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from tenken.linkage.review.model import (
    ACTION_LABELS,
    NUMBER_SOURCE_LABELS,
    ROLE_LABELS,
    STATUS_LABELS,
    Action,
    NumberSource,
    Role,
    Status,
)  # fmt: skip

ROLE_CHOICES = [(r.value, label) for r, label in ROLE_LABELS.items()]
STATUS_CHOICES = [(s.value, label) for s, label in STATUS_LABELS.items()]
ACTION_CHOICES = [(a.value, label) for a, label in ACTION_LABELS.items()]
SOURCE_CHOICES = [(s.value, label) for s, label in NUMBER_SOURCE_LABELS.items()]


class Grant(models.Model):
    """A role in the casework of one organisation (named by its 組織名)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="case_grants")
    organisation = models.CharField("組織名", max_length=200)
    role = models.CharField("役割", max_length=20, choices=ROLE_CHOICES)
    granted_by = models.CharField("付与した人", max_length=150)
    granted_at = models.DateTimeField("付与日時", auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="grant_once")
        ]


class Run(models.Model):
    """One imported inspect output of one organisation."""

    organisation = models.CharField("組織名", max_length=200, db_index=True)
    title = models.CharField("名称", max_length=200)
    fingerprint = models.CharField("出力の SHA-256", max_length=64, unique=True)
    source = models.CharField("取り込んだフォルダ", max_length=500)
    summary = models.JSONField("summary.json")
    record_rows = models.IntegerField("記録件数")
    imported_by = models.CharField("取り込んだ人", max_length=150)
    imported_at = models.DateTimeField("取り込み日時", auto_now_add=True)

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return self.title


class Case(models.Model):
    """A record whose verdict is not confirmed, its evidence summary and its workflow state."""

    run = models.ForeignKey(Run, models.CASCADE, related_name="cases")
    position = models.IntegerField("順番")
    rid = models.CharField("制度固有番号", max_length=200)
    verdict = models.CharField("判定", max_length=40)
    reasons = models.CharField("理由コード", max_length=500, blank=True)
    candidates = models.TextField("候補（マスク済み）", blank=True)
    # the record's facts as written
    name = models.CharField("氏名", max_length=200, blank=True)
    kana = models.CharField("氏名カナ", max_length=200, blank=True)
    birth = models.CharField("生年月日", max_length=40, blank=True)
    sex = models.CharField("性別", max_length=20, blank=True)
    address = models.CharField("住所", max_length=500, blank=True)
    linked_on = models.CharField("紐付け日", max_length=40, blank=True)
    claimed_enc = models.TextField("紐付いている番号（暗号化）", blank=True)
    claimed_mask = models.CharField("紐付いている番号", max_length=20, blank=True)
    facts = models.JSONField("基本4情報の照合", default=dict)
    proposed_enc = models.TextField("一意に一致した人の番号（暗号化）", blank=True)
    proposed_mask = models.CharField("一意に一致した人の番号", max_length=20, blank=True)
    full_matches = models.IntegerField("4情報が一致する別人", default=0)
    # workflow
    status = models.CharField("状態", max_length=20, choices=STATUS_CHOICES, default=Status.OPEN)
    action = models.CharField("判断", max_length=20, choices=ACTION_CHOICES, blank=True)
    reason = models.TextField("判断の理由", blank=True)
    number_enc = models.TextField("設定する番号（暗号化）", blank=True)
    number_mask = models.CharField("設定する番号", max_length=20, blank=True)
    number_source = models.CharField("番号の根拠", max_length=20, choices=SOURCE_CHOICES,
                                     blank=True)  # fmt: skip
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                   blank=True, related_name="+")  # fmt: skip
    decided_at = models.DateTimeField("判断日時", null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                    blank=True, related_name="+")  # fmt: skip
    approved_at = models.DateTimeField("承認日時", null=True, blank=True)
    returned_reason = models.TextField("差し戻しの理由", blank=True)
    exported_at = models.DateTimeField("出力日時", null=True, blank=True)

    class Meta:
        ordering = ["run", "position"]
        indexes = [
            models.Index(fields=["run", "status", "position"], name="case_run_status"),
            models.Index(fields=["run", "verdict", "position"], name="case_run_verdict"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["run", "rid"], name="case_rid_once"),
            # The four-eyes rule in the database too: no row may name the same person as the
            # decider and the approver, however it is written.
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True)
                | (Q(decided_by__isnull=False) & ~Q(approved_by=F("decided_by"))),
                name="approver_is_not_decider",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[Status.APPROVED, Status.EXPORTED])
                | Q(approved_by__isnull=False),
                name="approved_case_has_approver",
            ),
            models.CheckConstraint(
                condition=~Q(action__in=[Action.MISLINK, Action.LINK])
                | Q(number_source__in=[s.value for s in NumberSource]),
                name="number_has_a_source",
            ),
        ]

    def __str__(self) -> str:
        return self.rid


class EvidenceState(models.Model):
    """A registry state shown with a case: of the claimed number, or of another person."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="states")
    role = models.CharField("種類", max_length=10)  # claimed / other
    position = models.IntegerField("順番")
    number_enc = models.TextField("個人番号（暗号化）")
    number_mask = models.CharField("個人番号", max_length=20)
    number_index = models.CharField("番号の索引（HMAC）", max_length=64, db_index=True)
    name = models.CharField("氏名", max_length=200, blank=True)
    kana = models.CharField("氏名カナ", max_length=200, blank=True)
    birth = models.CharField("生年月日", max_length=40, blank=True)
    sex = models.CharField("性別", max_length=20, blank=True)
    address = models.CharField("住所", max_length=500, blank=True)
    valid_from = models.CharField("有効開始日", max_length=40, blank=True)
    valid_to = models.CharField("有効終了日", max_length=40, blank=True)
    agreement = models.JSONField("記録との照合", default=dict)

    class Meta:
        ordering = ["case", "role", "position"]


class Cause(models.TextChoices):
    HOMONYM = "homonym", "同姓同名の別人"
    FAMILY = "family", "家族の番号"
    PARTIAL_QUERY = "partial_query", "一部の情報による照会での紐付け"
    MISTYPED = "mistyped", "番号の入力誤り"
    SHARED = "shared", "同じ番号の共用"
    OTHER = "other", "その他"


class Incident(models.Model):
    """A mislink incident of one organisation (survey Q10), with the cases it covers."""

    organisation = models.CharField("組織名", max_length=200, db_index=True)
    title = models.CharField("件名", max_length=200)
    found_on = models.DateField("発見日")
    cause = models.CharField("原因", max_length=20, choices=Cause.choices)
    records_affected = models.IntegerField("影響を受けた記録の件数", default=0)
    cases = models.ManyToManyField(Case, blank=True, related_name="incidents")
    reported_on = models.DateField("国（制度所管庁）への報告日", null=True, blank=True)
    published_on = models.DateField("公表日", null=True, blank=True)
    fixed_on = models.DateField("改善日", null=True, blank=True)
    summary = models.TextField("概要", blank=True)
    created_by = models.CharField("登録した人", max_length=150)
    created_at = models.DateTimeField("登録日時", auto_now_add=True)

    class Meta:
        ordering = ["-found_on", "-id"]

    def __str__(self) -> str:
        return self.title


__all__ = ["Case", "EvidenceState", "Grant", "Incident", "Role", "Run"]
