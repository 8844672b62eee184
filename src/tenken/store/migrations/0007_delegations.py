"""Delegated municipalities: a prefecture's delegations, its delegates' answers and its consolidated answers (per 制度)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("store", "0006_round_seidos"),
    ]

    operations = [
        migrations.CreateModel(
            name="Consolidation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("prefecture", models.CharField(max_length=200, verbose_name="都道府県（組織名）")),
                (
                    "seido",
                    models.CharField(blank=True, default="", max_length=200, verbose_name="制度等"),
                ),
                ("provenance", models.JSONField(verbose_name="回答の出所")),
                ("delegates", models.JSONField(default=list, verbose_name="委任先")),
                ("created_by", models.CharField(max_length=150, verbose_name="提出者")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="提出日時")),
                (
                    "response",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="consolidation",
                        to="store.response",
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="Delegation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("prefecture", models.CharField(max_length=200, verbose_name="都道府県（組織名）")),
                (
                    "seido",
                    models.CharField(blank=True, default="", max_length=200, verbose_name="制度等"),
                ),
                (
                    "municipality",
                    models.CharField(max_length=200, verbose_name="委任先の市区町村（組織名）"),
                ),
                (
                    "email",
                    models.CharField(
                        blank=True, max_length=254, verbose_name="連絡先メールアドレス"
                    ),
                ),
                ("token_hash", models.CharField(max_length=64, unique=True)),
                ("created_by", models.CharField(max_length=150, verbose_name="登録者")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="登録日時")),
                (
                    "round",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="delegations",
                        to="store.round",
                    ),
                ),
            ],
            options={
                "ordering": ["pk"],
            },
        ),
        migrations.CreateModel(
            name="DelegateAnswer",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "origin",
                    models.CharField(
                        choices=[
                            ("file", "ファイル"),
                            ("web_draft", "Web一時保存"),
                            ("web_submission", "Web提出"),
                        ],
                        max_length=20,
                        verbose_name="受付経路",
                    ),
                ),
                ("respondent", models.JSONField(verbose_name="回答者情報")),
                ("answers", models.JSONField(verbose_name="回答")),
                ("problems", models.JSONField(verbose_name="不備")),
                ("missing_info", models.BooleanField(verbose_name="情報未入力あり")),
                ("unanswered", models.BooleanField(verbose_name="未回答あり")),
                ("sha256", models.CharField(max_length=64, verbose_name="SHA-256")),
                ("source_name", models.CharField(max_length=500, verbose_name="ファイル名")),
                ("received_at", models.DateTimeField(verbose_name="受信日時")),
                ("is_current", models.BooleanField(default=False, verbose_name="最新")),
                (
                    "delegation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="answers",
                        to="store.delegation",
                    ),
                ),
            ],
            options={
                "ordering": ["-received_at", "-pk"],
            },
        ),
        migrations.AddConstraint(
            model_name="delegation",
            constraint=models.UniqueConstraint(
                fields=("round", "prefecture", "seido", "municipality"), name="delegation_once"
            ),
        ),
        migrations.AddConstraint(
            model_name="delegateanswer",
            constraint=models.UniqueConstraint(
                fields=("delegation", "sha256"), name="delegate_answer_once"
            ),
        ),
        migrations.AddConstraint(
            model_name="delegateanswer",
            constraint=models.UniqueConstraint(
                condition=models.Q(("is_current", True)),
                fields=("delegation",),
                name="delegate_answer_one_current",
            ),
        ),
    ]
