from __future__ import annotations

from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "tenken.web.site"
    label = "tenken_site"
    verbose_name = "画面"
