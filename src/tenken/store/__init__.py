"""The survey store: responses read from answer sheets, kept with Django's ORM.

Used by ``tenken survey ingest`` / ``status`` (settings configured by :mod:`.db`) and by the web
site (``tenken.store`` in INSTALLED_APPS). Organisations are referred to by their 組織名, so
the store does not depend on the site's account tables.
"""
