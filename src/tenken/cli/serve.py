"""``tenken serve``: run the web site on waitress (a production WSGI server), migrating first."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from tenken.cli.apps import app
from tenken.cli.demo import DemoContext, demo_step
from tenken.cli.output import console, guarded
from tenken.errors import TenkenError


def prepare_site() -> None:
    """Configure Django and bring the database schema up to date."""
    from django.core.management import call_command

    from tenken.web import setup

    setup()
    call_command("migrate", interactive=False, verbosity=0)
    # Warm the lazily built tables now, not in the first respondent's request.
    from tenken.survey.loader import load_bundled
    from tenken.survey.local_governments import all_local_governments

    load_bundled()
    all_local_governments()


def _seed_demo(host: str, port: int) -> None:
    from django.conf import settings

    from tenken.web.accounts.demo import seed

    _print_accounts(seed(settings.WORKSPACE), settings.WORKSPACE)


def _print_accounts(accounts: dict[str, dict[str, str]], workspace: Path) -> None:
    table = Table("役割", "ユーザー名", "パスワード")
    roles = (
        ("admin", "省庁管理者"),
        ("respondent", "回答者"),
        ("prefecture", "回答者（都道府県）"),
        ("viewer", "閲覧者"),
    )
    for role, label in roles:
        table.add_row(label, accounts[role]["username"], accounts[role]["password"])
    console.print(f"デモ用アカウント（{workspace / 'demo-accounts.json'} にも保存）")
    console.print(table)


@demo_step(90, "Web サイトを用意する（デモ用の調査・各役割のアカウント・一部の回答）")
def _prepare_site(ctx: DemoContext) -> None:
    """Prepare the site's database in the demo workspace in a separate process (own settings)."""
    site = (ctx.workspace / "site").resolve()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("TENKEN_")}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    environment.update({"TENKEN_WORKSPACE": str(site), "TENKEN_HTTPS": "false"})
    command = [sys.executable, "-m", "tenken.web.demo_site", str(ctx.workspace / "answers")]
    result = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise TenkenError(
            f"Web サイトを用意できませんでした:\n{result.stderr[-2000:]}",
            hint=f"TENKEN_WORKSPACE={site} tenken serve --demo で詳細を確認できます",
        )
    data = json.loads(result.stdout.strip().splitlines()[-1])
    console.print(
        f"サンプル回答 {data['ingested']} 件を取り込みました（tenken survey ingest と同じ処理）。"
    )
    _print_accounts(data["accounts"], site)
    console.print(f"起動: [bold]TENKEN_WORKSPACE={site} tenken serve[/] → http://127.0.0.1:8000/")
    console.print("（[bold]tenken demo --serve[/] なら、デモの最後にそのまま起動します）")


def serve_demo_site(site: Path, port: int) -> None:
    """Run the demo's site (its own workspace and settings) until Ctrl+C."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("TENKEN_")}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    environment.update({"TENKEN_WORKSPACE": str(site.resolve()), "TENKEN_HTTPS": "false"})
    command = [sys.executable, "-m", "tenken", "serve", "--port", str(port)]
    try:
        subprocess.run(command, env=environment, check=False)
    except KeyboardInterrupt:
        console.print("Web サイトを終了しました。")


LOOPBACK = ("127.0.0.1", "localhost", "::1")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="待ち受けるアドレス")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="待ち受けるポート", min=1, max=65535)] = 8000,
    threads: Annotated[int, typer.Option(help="プロセスごとに同時に処理する要求の数", min=1)] = 8,
    processes: Annotated[
        int,
        typer.Option(
            help="サーバーのプロセス数（CPU の数まで。同じポートを共有して並列に処理）", min=1
        ),
    ] = 1,
    demo: Annotated[
        bool, typer.Option("--demo", help="デモ用の調査と各役割のアカウントを用意する")
    ] = False,
) -> None:
    """Web サイトを起動する（データベースを最新の形にしてから）。"""
    with guarded():
        if host in LOOPBACK:
            # Only this machine can connect: plain HTTP unless TENKEN_HTTPS says otherwise.
            os.environ.setdefault("TENKEN_HTTPS", "false")
        prepare_site()
        if demo:
            _seed_demo(host, port)
        from waitress import serve as waitress_serve

        from tenken.web.wsgi import application

        console.print(
            f"tenken を http://{host}:{port}/ で起動しました（プロセス {processes}・"
            f"各 {threads} スレッド、終了は Ctrl+C）"
        )
        if processes == 1:
            waitress_serve(application, host=host, port=port, threads=threads, ident="tenken")
        else:
            serve_processes(application, host, port, threads, processes)


def serve_processes(application: object, host: str, port: int, threads: int, n: int) -> None:
    """Serve from ``n`` processes sharing one listening socket (the kernel hands each new
    connection to one of them), so requests run in parallel beyond Python's one-core GIL.

    The parent binds the socket, forks the workers (each a waitress server on that socket),
    and stops them all when it is stopped; a worker that dies is not restarted.
    """
    import signal
    import socket

    from django.db import connections
    from waitress import serve as waitress_serve

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, port))
    listener.listen(1024)
    connections.close_all()  # each worker opens its own database connections
    children = []
    for _ in range(n):
        pid = os.fork()
        if pid == 0:  # worker
            signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
            waitress_serve(application, sockets=[listener], threads=threads, ident="tenken")
            os._exit(0)
        children.append(pid)

    def stop(*_args: object) -> None:
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, lambda *_: (stop(), sys.exit(0)))
    try:
        for pid in children:
            os.waitpid(pid, 0)
    except KeyboardInterrupt:
        stop()
        console.print("Web サイトを終了しました。")


@app.command("add-user")
def add_user(
    username: Annotated[str, typer.Argument(help="ユーザー名")],
    role: Annotated[str, typer.Option(help="役割: admin（省庁管理者）または viewer（閲覧者）")],
    email: Annotated[str, typer.Option(help="メールアドレス")] = "",
) -> None:
    """Web サイトの省庁管理者・閲覧者のアカウントを作る（回答者は名簿から招待リンクで作る）。"""
    with guarded():
        if role not in ("admin", "viewer"):
            raise TenkenError(
                f"--role {role!r} は使えません",
                hint="admin（省庁管理者）か viewer（閲覧者）。回答者は調査の名簿から作られます",
            )
        prepare_site()
        from django.contrib.auth import get_user_model
        from django.contrib.auth.password_validation import validate_password
        from django.core.exceptions import ValidationError

        from tenken.web.accounts.models import Role
        from tenken.web.accounts.services import create_staff

        if get_user_model().objects.filter(username=username).exists():
            raise TenkenError(f"ユーザー {username} はすでにあります")
        password = typer.prompt("パスワード", hide_input=True, confirmation_prompt=True)
        try:
            validate_password(password, get_user_model()(username=username, email=email))
        except ValidationError as error:
            raise TenkenError("パスワードが弱すぎます: " + " ".join(error.messages)) from error
        create_staff(username, Role(role), password, email)
        console.print(f"{Role(role).label}のアカウント {username} を作りました。")
