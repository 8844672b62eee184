"""Responses and the attachments found beside them. Keep these small: rules live in the engine."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class Response(models.Model):
    """One answer file of one organisation; ``is_current`` marks the one that counts."""

    questionnaire_id = models.CharField("調査票ID", max_length=100)
    questionnaire_version = models.CharField("調査票の版", max_length=40)
    org_name = models.CharField("組織名", max_length=200)
    org_kind = models.CharField("組織区分", max_length=40, blank=True)
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

    class Meta:
        ordering = ["org_name", "-received_at"]
        indexes = [models.Index(fields=["questionnaire_id", "org_name"], name="response_org")]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire_id", "sha256"], name="response_file_once"
            ),
            models.UniqueConstraint(
                fields=["questionnaire_id", "org_name"],
                condition=Q(is_current=True),
                name="response_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.org_name} {self.source_name}"

    @property
    def flagged(self) -> bool:
        return self.missing_info or self.unanswered


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
