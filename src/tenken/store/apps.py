from __future__ import annotations

from django.apps import AppConfig


class StoreConfig(AppConfig):
    name = "tenken.store"
    label = "store"
    verbose_name = "回答の保存"
    default_auto_field = "django.db.models.BigAutoField"
