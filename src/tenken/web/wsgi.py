"""WSGI entry point (waitress in ``tenken serve``; any WSGI server can use it)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tenken.web.settings")
application = get_wsgi_application()
