"""The ``tenken`` command line: thin glue over the domain packages."""

from __future__ import annotations

import importlib

from tenken.cli.apps import app

# Each module registers its commands on the apps in tenken.cli.apps when imported.
_COMMAND_MODULES = (
    "tenken.cli.demo",
    "tenken.cli.survey",
    "tenken.cli.survey_rounds",
    "tenken.cli.survey_sheets",
    "tenken.cli.linkage",
    "tenken.cli.serve",
    "tenken.cli.survey_report",
    "tenken.cli.normalize",
    "tenken.cli.store",
    "tenken.cli.review",
)

for _name in _COMMAND_MODULES:
    importlib.import_module(_name)


def main() -> None:
    """Console-script entry point."""
    app()


__all__ = ["app", "main"]
