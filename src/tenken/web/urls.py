"""URL map of the site (each app owns its views; this file only wires them)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import include, path

from tenken.web.accounts import views as account_views
from tenken.web.site import answer_views, delegation_views, sheet_views
from tenken.web.site import views as site_views

urlpatterns = [
    path("", site_views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="tenken/login.html"),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("invite/<str:token>/", account_views.accept_invitation, name="invitation"),
    path("rounds/", account_views.round_list, name="rounds"),
    path("rounds/new/", account_views.round_create, name="round_create"),
    path("rounds/<int:round_id>/", account_views.round_detail, name="round_detail"),
    path(
        "rounds/<int:round_id>/invitations.csv",
        account_views.invitations_csv,
        name="invitations_csv",
    ),
    path(
        "rounds/<int:round_id>/answers/<int:org_id>/",
        answer_views.answer,
        name="answer",
    ),
    path(
        "rounds/<int:round_id>/answers/<int:org_id>/sheet.xlsx",
        sheet_views.download_sheet,
        name="answer_sheet",
    ),
    path(
        "rounds/<int:round_id>/answers/<int:org_id>/sheet/",
        sheet_views.upload_sheet,
        name="answer_sheet_upload",
    ),
    path("rounds/<int:round_id>/remind/", account_views.remind, name="remind"),
    path(
        "rounds/<int:round_id>/entries/<int:org_id>/reopen/",
        account_views.toggle_reopen,
        name="toggle_reopen",
    ),
    path(
        "rounds/<int:round_id>/answers/<int:org_id>/attachments/",
        sheet_views.upload_attachment,
        name="attachment_upload",
    ),
    path(
        "rounds/<int:round_id>/answers/<int:org_id>/attachments/<int:attachment_id>",
        sheet_views.download_attachment,
        name="attachment",
    ),
    path(
        "rounds/<int:round_id>/answers/<int:org_id>/delegation/",
        delegation_views.delegation,
        name="delegation",
    ),
    path(
        "rounds/<int:round_id>/answers/<int:org_id>/delegation/<int:delegation_id>/sheet.xlsx",
        delegation_views.delegate_sheet,
        name="delegate_sheet",
    ),
    path(
        "rounds/<int:round_id>/answers/<int:org_id>/delegation/<int:delegation_id>/sheet/",
        delegation_views.delegate_sheet_upload,
        name="delegate_sheet_upload",
    ),
    path("delegate/<str:token>/", delegation_views.delegate_answer, name="delegate_answer"),
    path(
        "delegate/<str:token>/sheet.xlsx",
        delegation_views.delegate_own_sheet,
        name="delegate_own_sheet",
    ),
    path("dashboard/", site_views.dashboard, name="dashboard"),
    path("review/", include("tenken.web.casework.urls")),
    path("rounds/<int:round_id>/report.<str:fmt>", site_views.report, name="report"),
    path("rounds/<int:round_id>/answers.<str:fmt>", site_views.export, name="export"),
]

handler400 = "tenken.web.site.views.bad_request"
handler403 = "tenken.web.site.views.forbidden"
handler404 = "tenken.web.site.views.not_found"
handler500 = "tenken.web.site.views.server_error"
