from __future__ import annotations

from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "tenken.store.casework"
    label = "casework"
    verbose_name = "点検事案"
    default_auto_field = "django.db.models.BigAutoField"
