"""The site's rounds and rosters move into the store (``store.Round`` / ``store.RosterEntry``),
where the command line uses them too. Each round keeps its id, so links keep working; the
store's 0003 then puts the existing responses into these rounds.
"""

from django.db import migrations


def _identity(text, source):
    """(version, fingerprint) of a questionnaire file's text; blanks when it does not load."""
    try:
        import yaml

        from tenken.survey.loader import build
        from tenken.survey.xlsx.layout import fingerprint

        q = build(yaml.safe_load(text), source)
        return q.version, fingerprint(q)
    except Exception:
        return "", ""


def forwards(apps, schema_editor):
    db = schema_editor.connection.alias
    SurveyRound = apps.get_model("tenken_accounts", "SurveyRound")
    OldEntry = apps.get_model("tenken_accounts", "RosterEntry")
    Round = apps.get_model("store", "Round")
    RosterEntry = apps.get_model("store", "RosterEntry")
    for old in SurveyRound.objects.db_manager(db).order_by("pk"):
        version, fp = _identity(old.questionnaire_yaml, old.title)
        code = f"r{old.pk}"
        while Round.objects.db_manager(db).filter(code=code).exists():
            code += "x"
        Round.objects.db_manager(db).create(
            pk=old.pk,
            code=code,
            title=old.title,
            questionnaire_id=old.questionnaire_id,
            questionnaire_version=version,
            questionnaire_fingerprint=fp,
            questionnaire_yaml=old.questionnaire_yaml,
            deadline=old.deadline,
        )
        Round.objects.db_manager(db).filter(pk=old.pk).update(created_at=old.created_at)
        entries = (
            OldEntry.objects.db_manager(db).filter(survey_round=old).select_related("organisation")
        )
        RosterEntry.objects.db_manager(db).bulk_create(
            RosterEntry(
                round_id=old.pk,
                org_name=e.organisation.name,
                org_kind=e.organisation.kind,
                prefecture=e.organisation.prefecture,
                email=e.contact_email,
                reopened=e.reopened,
            )
            for e in entries
        )


class Migration(migrations.Migration):
    dependencies = [("tenken_accounts", "0001_initial"), ("store", "0002_rounds")]
    run_before = [("store", "0003_responses_into_rounds")]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.RemoveField(model_name="surveyround", name="organisations"),
        migrations.DeleteModel(name="RosterEntry"),
        migrations.DeleteModel(name="SurveyRound"),
    ]
