"""``tenken survey round create / list / deadline / close / open``: the survey's rounds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from tenken.cli.apps import survey_app
from tenken.cli.output import EXIT_OK, console, print_json, run
from tenken.cli.survey import JsonOption, QuestionnaireOption
from tenken.errors import InputError
from tenken.survey.loader import DEFAULT_QUESTIONNAIRE
from tenken.survey.pack import pack_text, resolve_pack

if TYPE_CHECKING:
    from tenken.store.models import Round

round_app = typer.Typer(help="調査回（回ごとの名簿・期限・回答）", no_args_is_help=True)
survey_app.add_typer(round_app, name="round")

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="データベースの URL（sqlite:///… / postgres://…）。"
        "既定: TENKEN_DATABASE_URL、なければ作業フォルダの SQLite",
    ),
]
RoundOption = Annotated[
    str | None,
    typer.Option("--round", help="調査回ID（データベースに調査回が1つだけなら省略可）"),
]
SeidoOption = Annotated[
    str | None,
    typer.Option("--seido", help="制度等: この制度だけを対象にする（既定: 調査回のすべての制度）"),
]


def parse_deadline(text: str) -> dt.date:
    """``2023-07-21`` or ``令和5年7月21日``."""
    import re

    match = re.match(r"^令和\s*(\d+|元)\s*年\s*(\d+)\s*月\s*(\d+)\s*日$", text.strip())
    try:
        if match:
            year = 1 if match.group(1) == "元" else int(match.group(1))
            return dt.date(2018 + year, int(match.group(2)), int(match.group(3)))
        return dt.date.fromisoformat(text.strip())
    except ValueError as error:
        raise InputError(
            f"--deadline {text!r} は日付として読めません", hint="例: 2023-07-21 / 令和5年7月21日"
        ) from error


def open_round(db: str | None, code: str | None) -> tuple[str, Round]:
    """(alias, round) for a command's ``--db`` and ``--round``."""
    from tenken.store.db import setup

    alias = setup(db)
    from tenken.store import api

    return alias, api.resolve_round(code, alias)


@round_app.command("create")
def create(
    code: Annotated[str, typer.Argument(help="調査回ID（例: 2023, 2023-followup）")],
    title: Annotated[str, typer.Option("--title", help="調査名")],
    deadline: Annotated[str, typer.Option("--deadline", help="回答期限（YYYY-MM-DD / 令和…）")],
    roster: Annotated[
        Path | None, typer.Option("--roster", help="名簿 CSV（既定: 全1,788自治体）")
    ] = None,
    questionnaire: QuestionnaireOption = DEFAULT_QUESTIONNAIRE,
    seidos: Annotated[
        list[str] | None,
        typer.Option(
            "--seido",
            help="この調査回で聞く制度（調査票の制度等の選択肢。複数指定可: 組織は制度ごとに回答）",
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """調査回を作る（名簿・回答期限・調査パックを回ごとに持つ）。

    調査パック（調査票・レポート設定・リスク判定ルール）は丸ごと調査回に保存され、
    その回はいつもこの内容で点検・集計・判定されます。--seido を複数指定すると、
    各組織は制度ごとに回答し、回答状況・集計・リスク判定は制度ごとと全体で出ます。
    """

    def body() -> int:
        from tenken.store.db import setup
        from tenken.survey.local_governments import lookup_org_name
        from tenken.survey.roster import local_government_roster, read_roster

        pack = resolve_pack(questionnaire)
        q = pack.questionnaire
        day = parse_deadline(deadline)
        entries = read_roster(roster, q) if roster else local_government_roster()
        alias = setup(db)
        from tenken.store import api

        members = []
        for e in entries:
            found = lookup_org_name(e.org_name)
            prefecture = found.prefecture if found else ""
            members.append(
                api.Member(e.org_name, e.org_kind, prefecture, e.email, e.seido, e.zokusei)
            )
        text = pack_text(pack)
        made = api.create_round(
            code,
            title,
            q,
            api.end_of_day(day),
            members,
            questionnaire_yaml=text,
            alias=alias,
            seidos=seidos or (),
        )
        console.print(
            f"調査回 {made.code}「{made.title}」を作成しました（名簿 {len(members):,} 団体、"
            f"回答期限 {day.isoformat()}、調査票 {q.id} 版 {q.version}）",
            highlight=False,
        )
        if made.seidos:
            console.print("制度等: " + "、".join(made.seidos), highlight=False)
        return EXIT_OK

    run(body)


@round_app.command("list")
def list_rounds(db: DbOption = None, as_json: JsonOption = False) -> None:
    """調査回の一覧。"""

    def body() -> int:
        from tenken.store.db import setup

        alias = setup(db)
        from tenken.store import api

        rows = []
        for r in api.rounds(alias):
            rows.append(
                {
                    "id": r.code,
                    "title": r.title,
                    "questionnaire": r.questionnaire_id,
                    "version": r.questionnaire_version,
                    "deadline": api.local(r.deadline).isoformat(),
                    "state": r.state,
                    "roster": r.roster.using(alias).count(),
                    "counted": api.counted(r, alias).count(),
                    **({"seidos": r.seidos} if r.seidos else {}),
                }
            )
        if as_json:
            print_json(rows)
            return EXIT_OK
        table = Table("調査回ID", "調査名", "調査票", "回答期限", "状態", "名簿", "提出")
        for row in rows:
            table.add_row(
                str(row["id"]),
                str(row["title"]),
                f"{row['questionnaire']} {row['version']}",
                str(row["deadline"])[:16].replace("T", " "),
                "受付中" if row["state"] == "open" else "締切済み",
                str(row["roster"]),
                str(row["counted"]),
            )
        console.print(table)
        return EXIT_OK

    run(body)


@round_app.command("deadline")
def set_deadline(
    code: Annotated[str, typer.Argument(help="調査回ID")],
    deadline: Annotated[str, typer.Argument(help="新しい回答期限（YYYY-MM-DD / 令和…）")],
    org: Annotated[
        str | None, typer.Option("--org", help="この組織だけ期限を延長する（組織名）")
    ] = None,
    db: DbOption = None,
) -> None:
    """回答期限を変える（--org なら、その組織だけの延長）。"""

    def body() -> int:
        alias, survey_round = open_round(db, code)
        from tenken.store import api

        when = api.end_of_day(parse_deadline(deadline))
        api.set_deadline(survey_round, when, org, alias)
        who = f"{org} の" if org else ""
        console.print(f"調査回 {code}: {who}回答期限を {when.date().isoformat()} にしました")
        return EXIT_OK

    run(body)


def _set_state(code: str, db: str | None, state: str) -> None:
    def body() -> int:
        alias, survey_round = open_round(db, code)
        from tenken.store import api

        api.set_state(survey_round, state, alias)
        label = "締め切りました" if state == "closed" else "受付を再開しました"
        console.print(f"調査回 {code} を{label}")
        return EXIT_OK

    run(body)


@round_app.command("close")
def close(code: Annotated[str, typer.Argument(help="調査回ID")], db: DbOption = None) -> None:
    """調査回を締め切る（以後、取り込みも Web での変更も受け付けない）。"""
    _set_state(code, db, "closed")


@round_app.command("open")
def reopen(code: Annotated[str, typer.Argument(help="調査回ID")], db: DbOption = None) -> None:
    """締め切った調査回の受付を再開する。"""
    _set_state(code, db, "open")


@survey_app.command("export")
def export(
    out: Annotated[Path, typer.Option("--out", help="出力先（.xlsx または .csv）")],
    round_code: RoundOption = None,
    encoding: Annotated[
        str, typer.Option("--encoding", help="CSV の文字コード: utf-8（BOM 付き）か cp932")
    ] = "utf-8",
    seido: SeidoOption = None,
    db: DbOption = None,
) -> None:
    """調査回のすべての回答（自由記載・連絡先を含む）を、1団体1行（制度が複数の回は1団体・
    1制度1行）で書き出す。"""

    def body() -> int:
        from tenken.survey import export as raw
        from tenken.survey.xlsx.writer import write_atomically

        if out.suffix.lower() not in (".xlsx", ".csv"):
            raise InputError(f"--out は .xlsx か .csv のファイル名にしてください（{out.name}）")
        if encoding not in ("utf-8", "cp932"):
            raise InputError(f"--encoding {encoding!r} は使えません", hint="utf-8 か cp932")
        alias, survey_round = open_round(db, round_code)
        from tenken.store import api

        api.check_seido(survey_round, seido)
        rows = api.export_rows(survey_round, alias, seido=seido)
        data = raw.table(api.questionnaire_of(survey_round), rows)
        lost = 0
        if out.suffix.lower() == ".xlsx":
            payload = raw.to_xlsx(data)
        else:
            payload, lost = raw.to_csv(data, "cp932" if encoding == "cp932" else "utf-8")
        write_atomically(out, payload)
        console.print(
            f"調査回 {survey_round.code} の {len(data) - 1:,} 団体を書き出しました: {out}"
        )
        if lost:
            console.print(f"[yellow]CP932 で表せない文字 {lost} 字を 〓 にしました[/]")
        return EXIT_OK

    run(body)


@survey_app.command("remind")
def remind(
    round_code: RoundOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="送らずに、宛先と件数だけ表示する")
    ] = False,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="SMTP がないときの差し込み印刷用 CSV（既定: 督促_<調査回>.csv）"
        ),
    ] = None,
    seido: SeidoOption = None,
    db: DbOption = None,
) -> None:
    """未提出・不備ありの組織（制度が複数の回は組織・制度ごと）に督促メールを送る
    （TENKEN_SMTP_* がなければ差し込み印刷用 CSV）。"""

    def body() -> int:
        import getpass

        from tenken.survey.xlsx.writer import write_atomically

        alias, survey_round = open_round(db, round_code)
        from tenken.store import api, reminders

        api.check_seido(survey_round, seido)
        found = reminders.targets(survey_round, alias, seido)
        smtp = reminders.smtp_from_env()
        divided = bool(survey_round.seidos)
        table = Table("組織名", *(["制度等"] if divided else []), "メールアドレス", "文面")
        for t in found:
            table.add_row(
                t.org_name, *([t.seido] if divided else []), t.email or "（なし）", t.template
            )
        console.print(table)
        if dry_run:
            way = f"SMTP {smtp.host}:{smtp.port}" if smtp else "差し込み印刷用 CSV"
            console.print(
                f"督促の対象 {len(found)} 件（送り方: {way}）。--dry-run のため送っていません"
            )
            return EXIT_OK
        if smtp is None:
            path = out or Path(f"督促_{survey_round.code}.csv")
            write_atomically(path, reminders.mail_merge_csv(found))
        sent, skipped = reminders.send(survey_round, found, smtp, f"cli:{getpass.getuser()}", alias)
        done = "送信しました" if smtp else f"差し込み印刷用 CSV に書き出しました（{path}）"
        console.print(f"督促 {sent} 件を{done}")
        if skipped:
            console.print(
                f"[yellow]メールアドレスがないため送れなかった組織[/]: {'、'.join(skipped)}"
            )
        return EXIT_OK

    run(body)
