"""``tenken demo``: show a newcomer the whole flow on bundled sample data."""

from __future__ import annotations

import typer

from tenken.cli.apps import app
from tenken.cli.output import console


@app.command()
def demo() -> None:
    """サンプルデータで一連の流れを実行して見せる。"""
    console.print("[bold]tenken demo[/]")
    raise typer.Exit(0)
