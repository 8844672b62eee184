"""``tenken backup`` / ``tenken restore``: the store's database to a file and back."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tenken.cli.apps import app
from tenken.cli.output import EXIT_OK, console, run, shown
from tenken.cli.survey_sheets import DbOption


@app.command()
def backup(
    out: Annotated[Path, typer.Option("--out", help="バックアップの出力先ファイル")],
    db: DbOption = None,
) -> None:
    """データベースをバックアップする（SQLite はオンラインバックアップ、PostgreSQL は pg_dump）。"""

    def body() -> int:
        from tenken.store.backup import backup as run_backup
        from tenken.store.db import default_url

        path = run_backup(db or default_url(), out)
        console.print(
            f"バックアップを作成しました: {path}（特定個人情報を含みます。保管場所に注意）"
        )
        return EXIT_OK

    run(body)


@app.command()
def restore(
    dump: Annotated[Path, typer.Argument(help="tenken backup で作ったファイル")],
    db: DbOption = None,
) -> None:
    """バックアップからデータベースを復元する（今の内容は置き換わります。サイトは止めてから）。"""

    def body() -> int:
        from tenken.store.backup import restore as run_restore
        from tenken.store.db import default_url

        run_restore(dump, db or default_url())
        console.print(f"復元しました: {shown(dump)}")
        return EXIT_OK

    run(body)
