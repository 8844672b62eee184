"""URLs of the casework pages, under /review/."""

from __future__ import annotations

from django.urls import path

from tenken.web.casework import incident_attach, incident_views, views

app_name = "review"
urlpatterns = [
    path("", views.runs, name="runs"),
    path("import/", views.run_import, name="import"),
    path("runs/<int:run_id>/", views.cases, name="cases"),
    path("runs/<int:run_id>/bulk/", views.bulk_decide, name="bulk"),
    path("runs/<int:run_id>/queue/", views.queue, name="queue"),
    path("runs/<int:run_id>/export/", views.export, name="export"),
    path("cases/<int:case_id>/", views.case_detail, name="case"),
    path("cases/<int:case_id>/decide/", views.decide, name="decide"),
    path("cases/<int:case_id>/approve/", views.approve, name="approve"),
    path("cases/<int:case_id>/return/", views.send_back, name="return"),
    path("cases/<int:case_id>/reveal/", views.reveal, name="reveal"),
    path("cases/<int:case_id>/incident/", incident_views.case_to_incident, name="case_incident"),
    path("audit/", views.audit, name="audit"),
    path("grants/", views.grants, name="grants"),
    path("incidents/", incident_views.incidents, name="incidents"),
    path("incidents/new/", incident_views.incident_new, name="incident_new"),
    path("incidents/<int:incident_id>/", incident_views.incident_detail, name="incident"),
    path("incidents/attach/", incident_attach.attach_summary, name="incident_attach"),
    path("incidents/summary.<str:fmt>", incident_views.summary, name="incident_summary"),
]
