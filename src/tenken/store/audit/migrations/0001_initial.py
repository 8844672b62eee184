from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies: list[tuple[str, str]] = []

    operations = [
        migrations.CreateModel(
            name="AuditEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("seq", models.BigIntegerField(unique=True, verbose_name="番号")),
                ("at", models.DateTimeField(db_index=True, verbose_name="日時")),
                ("actor", models.CharField(db_index=True, max_length=150, verbose_name="操作者")),
                ("action", models.CharField(db_index=True, max_length=60, verbose_name="操作")),
                (
                    "object_type",
                    models.CharField(blank=True, max_length=40, verbose_name="対象の種類"),
                ),
                ("object_id", models.CharField(blank=True, max_length=64, verbose_name="対象")),
                ("details", models.TextField(verbose_name="内容（正規化 JSON）")),
                (
                    "prev_hash",
                    models.CharField(max_length=64, unique=True, verbose_name="直前のハッシュ"),
                ),
                ("hash", models.CharField(max_length=64, unique=True, verbose_name="ハッシュ")),
            ],
            options={"db_table": "audit_entry", "ordering": ["seq"]},
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ),
    ]
