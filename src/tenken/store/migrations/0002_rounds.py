"""Rounds and their rosters; responses get a round, an explicit origin and ``is_counted``.

The round is nullable here and filled by 0003 (every existing response goes into a round),
then made required by 0004.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("store", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="Round",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.CharField(max_length=60, unique=True, verbose_name="調査回ID")),
                ("title", models.CharField(max_length=200, verbose_name="調査名")),
                ("questionnaire_id", models.CharField(max_length=100, verbose_name="調査票ID")),
                (
                    "questionnaire_version",
                    models.CharField(max_length=40, verbose_name="調査票の版"),
                ),
                (
                    "questionnaire_fingerprint",
                    models.CharField(blank=True, max_length=64, verbose_name="調査票の指紋"),
                ),
                ("questionnaire_yaml", models.TextField(blank=True, verbose_name="調査票ファイル")),
                ("deadline", models.DateTimeField(verbose_name="回答期限")),
                (
                    "state",
                    models.CharField(
                        choices=[("open", "受付中"), ("closed", "締切済み")],
                        default="open",
                        max_length=10,
                        verbose_name="状態",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="作成日時")),
            ],
            options={"ordering": ["-created_at", "-pk"]},
        ),
        migrations.CreateModel(
            name="RosterEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("org_name", models.CharField(max_length=200, verbose_name="組織名")),
                ("org_kind", models.CharField(max_length=40, verbose_name="組織区分")),
                (
                    "prefecture",
                    models.CharField(blank=True, max_length=10, verbose_name="都道府県"),
                ),
                ("seido", models.CharField(blank=True, max_length=200, verbose_name="制度等")),
                ("zokusei", models.CharField(blank=True, max_length=200, verbose_name="属性")),
                (
                    "email",
                    models.CharField(
                        blank=True, max_length=254, verbose_name="連絡先メールアドレス"
                    ),
                ),
                (
                    "extended_until",
                    models.DateTimeField(blank=True, null=True, verbose_name="延長後の期限"),
                ),
                ("reopened", models.BooleanField(default=False, verbose_name="期限後の修正を許可")),
                (
                    "round",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="roster",
                        to="store.round",
                    ),
                ),
            ],
            options={
                "ordering": ["org_name"],
                "constraints": [
                    models.UniqueConstraint(fields=("round", "org_name"), name="roster_org_once")
                ],
            },
        ),
        migrations.RemoveConstraint(model_name="response", name="response_file_once"),
        migrations.RemoveConstraint(model_name="response", name="response_one_current"),
        migrations.RemoveIndex(model_name="response", name="response_org"),
        migrations.AddField(
            model_name="response",
            name="round",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="responses",
                to="store.round",
            ),
        ),
        migrations.AddField(
            model_name="response",
            name="origin",
            field=models.CharField(
                choices=[
                    ("file", "ファイル"),
                    ("web_draft", "Web一時保存"),
                    ("web_submission", "Web提出"),
                ],
                default="file",
                max_length=20,
                verbose_name="受付経路",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="response",
            name="is_counted",
            field=models.BooleanField(default=False, verbose_name="集計対象"),
        ),
    ]
