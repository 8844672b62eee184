"""``tenken review`` and ``tenken audit``: runs and cases in the store, the audit trail."""

from __future__ import annotations

import datetime as dt
import getpass
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from tenken.cli.apps import app
from tenken.cli.demo import DemoContext, demo_step
from tenken.cli.output import EXIT_OK, EXIT_PROBLEMS, console, run
from tenken.errors import InputError

review_app = typer.Typer(help="総点検の事案: 取り込み・訂正一覧の出力・権限", no_args_is_help=True)
audit_app = typer.Typer(help="監査証跡: 検証・先頭ハッシュ・出力", no_args_is_help=True)
app.add_typer(review_app, name="review")
app.add_typer(audit_app, name="audit")

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db", help="データベースの URL（既定: TENKEN_DATABASE_URL、なければ作業フォルダ）"
    ),
]


def cli_actor() -> str:
    """Who runs a command: the operating-system user (the trail names them)."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:unknown"


def _setup(db: str | None) -> None:
    from tenken.store.db import setup

    alias = setup(db)
    if alias != "default":  # pragma: no cover - only inside a configured Django (tests)
        raise InputError("この操作は設定済みの Django の中では使えません")


@review_app.command("import")
def import_run(
    folder: Annotated[Path, typer.Argument(help="tenken inspect の出力フォルダ")],
    org: Annotated[str, typer.Option("--org", help="組織名（例: 14神奈川県相模原市）")],
    title: Annotated[str | None, typer.Option("--title", help="点検の名称")] = None,
    db: DbOption = None,
) -> None:
    """点検結果を事案として取り込む（同じフォルダは二重に取り込まない。変更されたフォルダは拒否）。"""

    def body() -> int:
        _setup(db)
        from tenken.store.casework.services import import_output, progress

        result = import_output(folder, org, title, cli_actor())
        r = result.run
        state = "取り込みました" if result.created else "取り込み済みです（変更なし）"
        console.print(f"点検 {r.pk}「{r.title}」（{r.organisation}）を{state}: "
                      f"事案 {sum(progress(r).values()):,} 件")  # fmt: skip
        return EXIT_OK

    run(body)


@review_app.command("list")
def list_runs(db: DbOption = None) -> None:
    """取り込んだ点検と事案の進み具合を表示する。"""

    def body() -> int:
        _setup(db)
        from tenken.linkage.review.model import STATUS_LABELS
        from tenken.store.casework.models import Run
        from tenken.store.casework.services import progress

        table = Table("番号", "組織名", "名称", *STATUS_LABELS.values())
        for r in Run.objects.order_by("pk"):
            counts = progress(r)
            table.add_row(str(r.pk), r.organisation, r.title, *(str(counts[s]) for s in counts))
        console.print(table)
        return EXIT_OK

    run(body)


@review_app.command("export")
def export(
    run_id: Annotated[int, typer.Argument(metavar="RUN", help="点検の番号（tenken review list）")],
    out: Annotated[Path, typer.Option("--out", help="出力するファイル")],
    reason: Annotated[str, typer.Option("--reason", help="個人番号を含む一覧を出力する理由")] = "",
    fmt: Annotated[str, typer.Option("--format", help="csv または xlsx")] = "csv",
    encoding: Annotated[str, typer.Option("--encoding", help="CSV の文字コード")] = "utf-8",
    again: Annotated[bool, typer.Option("--all", help="出力済みの事案も含めて出力し直す")] = False,
    db: DbOption = None,
) -> None:
    """承認済みで未出力の事案を訂正一覧（元の業務システムへの取り込み用）に出力する。"""

    def body() -> int:
        _setup(db)
        from tenken.store.casework.models import Run
        from tenken.store.casework.services import export_run

        found = Run.objects.filter(pk=run_id).first()
        if found is None:
            raise InputError(f"点検 {run_id} はありません", hint="tenken review list")
        result = export_run(found, cli_actor(), out, fmt, encoding=encoding, again=again,
                            reason=reason)  # fmt: skip
        console.print(f"{result.count} 件を {out} に出力しました（所有者だけが読めます）")
        return EXIT_OK

    run(body)


@review_app.command("grant")
def grant_role(
    username: Annotated[str, typer.Argument(help="利用者名")],
    org: Annotated[str, typer.Option("--org", help="組織名")],
    role: Annotated[str, typer.Option("--role", help="reviewer / approver / auditor / org_admin")],
    db: DbOption = None,
) -> None:
    """組織の点検の役割を利用者に付与する（監査証跡に残る）。"""

    def body() -> int:
        _setup(db)
        from django.contrib.auth import get_user_model

        from tenken.linkage.review.model import ROLE_LABELS, Role
        from tenken.store.casework.services import grant

        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise InputError(f"利用者 {username} はいません")
        try:
            chosen = Role(role)
        except ValueError as error:
            raise InputError(f"役割 {role} はありません", hint=" / ".join(Role)) from error
        grant(cli_actor(), user, org, chosen)
        console.print(f"{username} に「{org}」の{ROLE_LABELS[chosen]}を付与しました")
        return EXIT_OK

    run(body)


@review_app.command("rotate-key")
def rotate_key(db: DbOption = None) -> None:
    """個人番号の暗号鍵を新しくし、保存済みの番号をすべて新しい鍵で暗号化し直す。"""

    def body() -> int:
        _setup(db)
        from tenken.store.casework.keys import rotate_all

        count = rotate_all(cli_actor())
        console.print(f"{count:,} 件の番号を新しい鍵で暗号化し直し、古い鍵を削除しました")
        return EXIT_OK

    run(body)


@audit_app.command("verify")
def verify(
    expect: Annotated[
        str | None, typer.Option("--expect", help="以前に記録した先頭ハッシュ")
    ] = None,
    db: DbOption = None,
) -> None:
    """監査証跡のハッシュの連鎖を検証する（改ざん・削除・入れ替え・挿入があれば終了コード 1）。"""

    def body() -> int:
        _setup(db)
        from tenken.store.audit import verify as check

        result = check(expect=expect)
        if result.problem is not None:
            console.print(f"[bold red]検証失敗[/] {result.problem}")
            return EXIT_PROBLEMS
        console.print(f"検証成功: {result.count:,} 件、先頭ハッシュ {result.head}")
        return EXIT_OK

    run(body)


@audit_app.command("head")
def head(db: DbOption = None) -> None:
    """監査証跡の先頭ハッシュを表示する（別の場所に記録しておき、後で --expect で確かめる）。"""

    def body() -> int:
        _setup(db)
        from tenken.store.audit import head as current

        count, digest = current()
        console.print(f"{digest}  （{count:,} 件）", highlight=False)
        return EXIT_OK

    run(body)


def _date(text: str | None, option: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise InputError(f"{option} の日付を読めません: {text}", hint="YYYY-MM-DD") from error


@audit_app.command("export")
def export_trail(
    out: Annotated[Path, typer.Option("--out", help="出力する CSV")],
    start: Annotated[str | None, typer.Option("--from", help="開始日 YYYY-MM-DD")] = None,
    end: Annotated[str | None, typer.Option("--to", help="終了日 YYYY-MM-DD（含む）")] = None,
    db: DbOption = None,
) -> None:
    """期間の監査証跡を CSV に出力する。"""

    def body() -> int:
        first, last = _date(start, "--from"), _date(end, "--to")
        _setup(db)
        from tenken.store.audit import export_csv

        count = export_csv(out, first, last)
        console.print(f"{count:,} 件を {out} に出力しました")
        return EXIT_OK

    run(body)


@demo_step(95, "総点検の事案を二人で判断・承認し、訂正一覧を出力して監査証跡を検証する")
def _review_demo(ctx: DemoContext) -> None:
    """The inspect output of step 60 into the demo site's store, in the site's own process."""
    import json
    import os
    import subprocess
    import sys

    from tenken.errors import TenkenError

    site = (ctx.workspace / "site").resolve()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("TENKEN_")}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    environment.update({"TENKEN_WORKSPACE": str(site), "TENKEN_HTTPS": "false"})
    out = (ctx.workspace / "linkage" / "out").resolve()
    command = [sys.executable, "-m", "tenken.web.casework.demo", str(out)]
    result = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise TenkenError(f"総点検のデモを実行できませんでした:\n{result.stderr[-2000:]}")
    data = json.loads(result.stdout.strip().splitlines()[-1])
    console.print(
        f"点検を取り込みました: 事案 {data['cases']} 件（tenken review import と同じ処理）。"
        f"判断 3 件（{'、'.join(data['decided'])}）→ 承認 2 件・差し戻し 1 件 → 修正 → 承認"
    )
    console.print(f"訂正一覧 {data['exported']} 件: {data['file']}（所有者だけが読めます）")
    state = "[green]改ざんなし[/]" if data["audit_ok"] else "[red]改ざんあり[/]"
    console.print(f"監査証跡 {data['audit_count']} 件を検証: {state}、先頭ハッシュ "
                  f"{data['audit_head'][:16]}…（tenken audit verify / head）")  # fmt: skip
    table = Table("役割", "ユーザー名", "パスワード")
    for key, label in (("reviewer", "点検担当者"), ("approver", "承認者"), ("auditor", "監査")):
        table.add_row(label, data["accounts"][key]["username"], data["accounts"][key]["password"])
    console.print(table)
    console.print(f"サイトの「総点検」（http://127.0.0.1:8000/review/）で事案・承認待ち・監査証跡を"
                  f"見られます（起動: TENKEN_WORKSPACE={site} tenken serve）")  # fmt: skip
