"""Several 制度 per round: a round's 制度 list, and each response and reminder keyed by its 制度.

Existing rows get ``[]`` / ``""`` (undivided rounds), so which response is current or counted
does not change; the two one-per-organisation constraints now hold per (organisation, 制度).
"""

from django.db import migrations, models
from django.db.models import Q


class Migration(migrations.Migration):
    dependencies = [
        ("store", "0005_reminders"),
    ]

    operations = [
        migrations.AddField(
            model_name="round",
            name="seidos",
            field=models.JSONField(blank=True, default=list, verbose_name="調査対象の制度等"),
        ),
        migrations.AddField(
            model_name="response",
            name="seido",
            field=models.CharField(blank=True, default="", max_length=200, verbose_name="制度等"),
        ),
        migrations.AddField(
            model_name="reminder",
            name="seido",
            field=models.CharField(blank=True, default="", max_length=200, verbose_name="制度等"),
        ),
        migrations.RemoveConstraint(model_name="response", name="response_one_current"),
        migrations.RemoveConstraint(model_name="response", name="response_one_counted"),
        migrations.AddConstraint(
            model_name="response",
            constraint=models.UniqueConstraint(
                condition=Q(is_current=True),
                fields=("round", "org_name", "seido"),
                name="response_one_current",
            ),
        ),
        migrations.AddConstraint(
            model_name="response",
            constraint=models.UniqueConstraint(
                condition=Q(is_counted=True),
                fields=("round", "org_name", "seido"),
                name="response_one_counted",
            ),
        ),
    ]
