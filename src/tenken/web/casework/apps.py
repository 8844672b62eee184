from __future__ import annotations

from django.apps import AppConfig


class CaseworkSiteConfig(AppConfig):
    name = "tenken.web.casework"
    label = "casework_site"
    verbose_name = "総点検の画面"
