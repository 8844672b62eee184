import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("store", "0003_responses_into_rounds")]

    operations = [
        migrations.AlterField(
            model_name="response",
            name="round",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="responses",
                to="store.round",
            ),
        ),
        migrations.AddIndex(
            model_name="response",
            index=models.Index(fields=["round", "org_name"], name="response_round_org"),
        ),
        migrations.AddConstraint(
            model_name="response",
            constraint=models.UniqueConstraint(
                fields=("round", "sha256"), name="response_file_once"
            ),
        ),
        migrations.AddConstraint(
            model_name="response",
            constraint=models.UniqueConstraint(
                condition=models.Q(("is_current", True)),
                fields=("round", "org_name"),
                name="response_one_current",
            ),
        ),
        migrations.AddConstraint(
            model_name="response",
            constraint=models.UniqueConstraint(
                condition=models.Q(("is_counted", True)),
                fields=("round", "org_name"),
                name="response_one_counted",
            ),
        ),
    ]
