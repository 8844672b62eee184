"""``python -m tenken.web.manage`` (or ./manage.py): Django's management commands for the site."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    from django.core.management import execute_from_command_line

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tenken.web.settings")
    execute_from_command_line(argv or sys.argv)


if __name__ == "__main__":
    main()
