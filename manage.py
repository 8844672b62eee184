#!/usr/bin/env python
"""Django's management commands for the tenken site (e.g. ``./manage.py check --deploy``)."""

from tenken.web.manage import main

if __name__ == "__main__":
    main()
