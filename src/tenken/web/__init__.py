"""The Django site (and the survey store): settings from the environment, one app per concern.

``setup()`` configures Django for code outside a request (the CLI, scripts, tests).
"""

from __future__ import annotations

import os

SETTINGS_MODULE = "tenken.web.settings"


def setup() -> None:
    """Point Django at tenken's settings (unless told otherwise) and initialise it once."""
    import django
    from django.apps import apps

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    if not apps.ready:
        django.setup()
