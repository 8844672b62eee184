"""The typer apps every command module registers on (kept apart to avoid import cycles)."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="tenken",
    help="tenken (点検): マイナンバー紐付けの実態調査と総点検のためのツール",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
survey_app = typer.Typer(help="実態調査: 調査票・回答の点検・集計", no_args_is_help=True)
normalize_app = typer.Typer(help="基本4情報・個人番号の正規化", no_args_is_help=True)
app.add_typer(survey_app, name="survey")
app.add_typer(normalize_app, name="normalize")
