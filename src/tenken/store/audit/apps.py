from __future__ import annotations

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "tenken.store.audit"
    label = "audit"
    verbose_name = "監査証跡"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.apps import apps

        if apps.is_installed("django.contrib.auth"):
            from tenken.store.audit import signals

            signals.connect()
