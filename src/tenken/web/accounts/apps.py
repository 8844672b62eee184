from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tenken.web.accounts"
    label = "tenken_accounts"
    verbose_name = "アカウントと調査回"
    default_auto_field = "django.db.models.BigAutoField"
