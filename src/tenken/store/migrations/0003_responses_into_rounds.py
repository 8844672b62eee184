"""Every existing response goes into a round; origins and the counted response are set.

* A response's origin was a file-name prefix only the site understood (``Web一時保存…`` /
  ``Web提出…``); anything else came from a file.
* Responses used to be keyed by questionnaire id alone. Each goes into the oldest round of its
  questionnaire (rounds the site had are copied in first by ``tenken_accounts`` 0002, which
  runs before this one); when there is none — a database of the command line only — one
  round is made per questionnaire, with the questionnaire's own deadline and, as
  ``tenken survey status`` used by default, every local government as its roster.
* The counted response of an organisation is its latest submitted one (file or web submission).
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import migrations

JST = ZoneInfo("Asia/Tokyo")
DRAFT_PREFIX = "Web一時保存"
SUBMIT_PREFIX = "Web提出"


def _origin(source_name):
    if source_name.startswith(DRAFT_PREFIX):
        return "web_draft"
    if source_name.startswith(SUBMIT_PREFIX):
        return "web_submission"
    return "file"


def _bundled(questionnaire_id):
    """(questionnaire, fingerprint) when the questionnaire is one tenken ships, else None."""
    try:
        from tenken.survey.loader import bundled_ids, load_bundled
        from tenken.survey.xlsx.layout import fingerprint

        if questionnaire_id not in bundled_ids():
            return None
        q = load_bundled(questionnaire_id)
        return q, fingerprint(q)
    except Exception:
        return None


def _deadline(q, responses):
    text = q.meta.get("deadline", "") if q is not None else ""
    try:
        day = dt.date.fromisoformat(str(text))
    except ValueError:
        latest = max(r.received_at for r in responses)
        day = latest.astimezone(JST).date()
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=JST)


def _new_round(db, Round, RosterEntry, questionnaire_id, responses):
    found = _bundled(questionnaire_id)
    q, fp = found if found else (None, "")
    code = questionnaire_id[:60]
    n = 2
    while Round.objects.db_manager(db).filter(code=code).exists():
        code = f"{questionnaire_id[:55]}-{n}"
        n += 1
    survey_round = Round.objects.db_manager(db).create(
        code=code,
        title=(q.title if q is not None and getattr(q, "title", "") else questionnaire_id)[:200],
        questionnaire_id=questionnaire_id,
        questionnaire_version=q.version if q is not None else responses[0].questionnaire_version,
        questionnaire_fingerprint=fp,
        deadline=_deadline(q, responses),
    )
    try:
        from tenken.survey.local_governments import all_local_governments

        governments = all_local_governments()
    except Exception:
        governments = []
    RosterEntry.objects.db_manager(db).bulk_create(
        RosterEntry(
            round=survey_round, org_name=g.org_name, org_kind=g.kind, prefecture=g.prefecture
        )
        for g in governments
    )
    return survey_round


def forwards(apps, schema_editor):
    db = schema_editor.connection.alias
    Round = apps.get_model("store", "Round")
    RosterEntry = apps.get_model("store", "RosterEntry")
    Response = apps.get_model("store", "Response")
    for response in Response.objects.db_manager(db).all().only("pk", "source_name"):
        origin = _origin(response.source_name)
        if origin != "file":
            Response.objects.db_manager(db).filter(pk=response.pk).update(origin=origin)
    orphans = Response.objects.db_manager(db).filter(round__isnull=True)
    for questionnaire_id in sorted(set(orphans.values_list("questionnaire_id", flat=True))):
        mine = orphans.filter(questionnaire_id=questionnaire_id)
        target = (
            Round.objects.db_manager(db)
            .filter(questionnaire_id=questionnaire_id)
            .order_by("created_at", "pk")
            .first()
        )
        if target is None:
            target = _new_round(db, Round, RosterEntry, questionnaire_id, list(mine[:1]))
        mine.update(round=target)
    latest = {}
    submitted = Response.objects.db_manager(db).filter(origin__in=("file", "web_submission"))
    for r in submitted.order_by("received_at", "pk").only("pk", "round_id", "org_name"):
        latest[(r.round_id, r.org_name)] = r.pk
    Response.objects.db_manager(db).filter(pk__in=list(latest.values())).update(is_counted=True)


class Migration(migrations.Migration):
    dependencies = [("store", "0002_rounds")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
