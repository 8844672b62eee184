"""``tenken survey form`` / ``ingest`` / ``status``: Excel answer sheets and the response store."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from tenken.cli.apps import survey_app
from tenken.cli.demo import DemoContext, demo_step
from tenken.cli.output import (
    EXIT_OK,
    EXIT_UNREADABLE,
    console,
    err_console,
    print_json,
    run,
    shown,
)
from tenken.cli.survey import JsonOption, QuestionnaireOption, resolve_questionnaire
from tenken.errors import InputError
from tenken.survey.loader import DEFAULT_QUESTIONNAIRE
from tenken.survey.local_governments import lookup_org_name
from tenken.survey.model import Questionnaire
from tenken.survey.roster import RosterEntry, local_government_roster, read_roster

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="データベースの URL（sqlite:///… / postgres://…）。"
        "既定: TENKEN_DATABASE_URL、なければ作業フォルダの SQLite",
    ),
]
RosterOption = Annotated[
    Path | None,
    typer.Option("--roster", help="名簿 CSV（組織名, 組織区分, 制度等, 属性, メールアドレス）"),
]


def _single_prefill(q: Questionnaire, org: str | None, kind: str | None) -> dict[str, str]:
    prefill: dict[str, str] = {}
    if org:
        prefill["組織名"] = org
        found = lookup_org_name(org)
        kind = kind or (found.kind if found else None)
    if kind:
        kinds = q.choices_of(q.field("組織区分")).codes()
        if kind not in kinds:
            raise InputError(f"--kind {kind!r} は {'・'.join(kinds)} のいずれかです")
        prefill["組織区分"] = kind
    return prefill


@survey_app.command()
def form(
    out: Annotated[Path | None, typer.Option("--out", help="出力する回答シート（.xlsx）")] = None,
    org: Annotated[
        str | None, typer.Option("--org", help="組織名（例: 14神奈川県相模原市）")
    ] = None,
    kind: Annotated[
        str | None, typer.Option("--kind", help="組織区分（都道府県／市区町村）")
    ] = None,
    roster: RosterOption = None,
    out_dir: Annotated[
        Path | None, typer.Option("--out-dir", help="名簿の組織ごとの回答シートの出力先")
    ] = None,
    questionnaire: QuestionnaireOption = DEFAULT_QUESTIONNAIRE,
) -> None:
    """回答シート（別添2の様式の Excel）を作る。--roster なら組織ごとに1ファイル。"""

    def body() -> int:
        q = resolve_questionnaire(questionnaire)
        if roster is not None:
            if out_dir is None or out is not None or org is not None:
                raise InputError(
                    "--roster には --out-dir を指定してください（--out・--org とは併用できません）",
                    hint="例: tenken survey form --roster 名簿.csv --out-dir 回答シート",
                )
            from tenken.survey.xlsx.batch import write_roster_forms

            paths = write_roster_forms(q, read_roster(roster, q), out_dir)
            console.print(f"回答シート {len(paths)} 件と送付一覧.csv を {out_dir} に作成しました。")
            return EXIT_OK
        if out is None or out_dir is not None:
            raise InputError(
                "--out FILE.xlsx（1件）か、--roster 名簿.csv --out-dir フォルダ（組織ごと）を"
                "指定してください"
            )
        if out.suffix.lower() != ".xlsx":
            raise InputError(f"--out は .xlsx のファイル名にしてください（{out.name}）")
        from tenken.survey.xlsx.writer import write_form

        write_form(q, out, _single_prefill(q, org, kind))
        console.print(f"回答シートを作成しました: {out}")
        return EXIT_OK

    run(body)


@survey_app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="回答シートまたはフォルダ（複数可）")],
    db: DbOption = None,
    questionnaire: QuestionnaireOption = DEFAULT_QUESTIONNAIRE,
    workers: Annotated[int, typer.Option(help="読み込みの並列数")] = min(2, os.cpu_count() or 1),
) -> None:
    """回答シートを点検してデータベースに取り込む（同じファイルは二重に取り込まない）。"""

    def body() -> int:
        from tenken.store.db import setup

        q = resolve_questionnaire(questionnaire)
        alias = setup(db)
        from tenken.store.ingest import ingest as run_ingest

        report = run_ingest(paths, q, alias, workers=workers, progress=_show_outcome)
        console.print(
            f"取り込み: 最新 {report.count('current')} 件、履歴 {report.count('history')} 件、"
            f"取り込み済み {report.count('duplicate')} 件、読めない {report.count('rejected')} 件"
        )
        return EXIT_UNREADABLE if report.count("rejected") else EXIT_OK

    run(body)


_OUTCOME_LABELS = {
    "current": "最新として保存",
    "history": "履歴として保存",
    "duplicate": "取り込み済み",
}


def _show_outcome(path: str, outcome: str, note: str) -> None:
    # an organisation name or message may hold a user's My Number, or "[" (rich markup)
    if outcome == "rejected":
        err_console.print(f"[red]読めません[/] {shown(note)}", highlight=False)
    else:
        name = shown(Path(path).name)
        console.print(f"{_OUTCOME_LABELS[outcome]}: {shown(note)}（{name}）", highlight=False)


_WAREKI = re.compile(r"^令和\s*(\d+|元)\s*年\s*(\d+)\s*月\s*(\d+)\s*日$")


def parse_deadline(text: str) -> dt.date:
    """``2023-07-21`` or ``令和5年7月21日``."""
    match = _WAREKI.match(text.strip())
    try:
        if match:
            year = 1 if match.group(1) == "元" else int(match.group(1))
            return dt.date(2018 + year, int(match.group(2)), int(match.group(3)))
        return dt.date.fromisoformat(text.strip())
    except ValueError as error:
        raise InputError(
            f"--deadline {text!r} は日付として読めません", hint="例: 2023-07-21 / 令和5年7月21日"
        ) from error


@survey_app.command()
def status(
    roster: RosterOption = None,
    deadline: Annotated[
        str | None, typer.Option(help="回答期限（既定: 調査票の期限 令和5年7月21日）")
    ] = None,
    db: DbOption = None,
    questionnaire: QuestionnaireOption = DEFAULT_QUESTIONNAIRE,
    as_json: JsonOption = False,
) -> None:
    """名簿（既定: 全1,788自治体）に対して、回答済み・フラグあり・未回答を一覧する。"""

    def body() -> int:
        from tenken.store.db import setup

        q = resolve_questionnaire(questionnaire)
        entries: list[RosterEntry] = read_roster(roster, q) if roster else local_government_roster()
        day = parse_deadline(deadline or q.meta.get("deadline", "2023-07-21"))
        alias = setup(db)
        from tenken.store.status import status as compute

        report = compute(q.id, entries, day, alias)
        if as_json:
            print_json(report.to_json())
        else:
            _print_status(report)
        return EXIT_OK

    run(body, as_json)


def _print_status(report: object) -> None:
    from tenken.store.status import STATE_LABELS, StatusReport

    assert isinstance(report, StatusReport)
    console.print(f"[bold]回答状況[/]（期限 {report.deadline.isoformat()}）")
    summary = Table(*report.summary().keys())
    summary.add_row(*(str(v) for v in report.summary().values()))
    console.print(summary)
    if report.flagged:
        table = Table("組織名", "状況", "情報未入力あり", "未回答あり", "不備", title="フラグあり")
        for o in report.flagged:
            table.add_row(
                shown(o.org_name),
                STATE_LABELS[o.state],
                "●" if o.missing_info else "",
                "●" if o.unanswered else "",
                str(o.problems),
            )
        console.print(table)
    missing = [o.org_name for o in report.organisations if o.state == "not_answered"]
    if missing:
        listed = "、".join(shown(name) for name in missing[:30]) + (
            f" …ほか {len(missing) - 30} 件" if len(missing) > 30 else ""
        )
        console.print(f"[bold]未回答[/] {len(missing)} 件: {listed}")
        console.print("全件は --json で出力できます。")
    for o in report.not_in_roster:
        console.print(f"[yellow]名簿にない回答[/]: {shown(o.org_name)}（{shown(o.source_name)}）")


@demo_step(30, "回答シート（Excel）を作り、記入して点検し、データベースに取り込む")
def _demo_sheets(ctx: DemoContext) -> None:
    from tenken.store.db import setup
    from tenken.survey.document import load_json
    from tenken.survey.engine import evaluate
    from tenken.survey.loader import load_bundled
    from tenken.survey.xlsx.batch import write_roster_forms
    from tenken.survey.xlsx.fill import fill_sheet
    from tenken.survey.xlsx.reader import read_sheet

    q = load_bundled()
    examples = Path(__file__).resolve().parents[1] / "survey" / "examples"
    cases = {
        "municipality-complete.json": RosterEntry("14神奈川県相模原市", "市区町村"),
        "prefecture-complete.json": RosterEntry("13東京都", "都道府県"),
        "problem-unanswered.json": RosterEntry("27大阪府大阪市", "市区町村"),
    }
    roster = [*cases.values(), RosterEntry("01北海道", "都道府県")]
    folder = ctx.workspace / "sheets"
    paths = write_roster_forms(q, roster, folder)
    console.print(f"回答シート {len(paths)} 件を作成: {folder}（tenken survey form --roster）")
    table = Table("回答シート", "情報未入力あり", "未回答あり", "不備")
    filled: list[Path] = []
    for example, entry in cases.items():
        path = folder / f"{entry.org_name}.xlsx"
        filled.append(path)
        document = load_json(examples / example, q)
        document.respondent.update(組織名=entry.org_name, 組織区分=entry.org_kind)
        path.write_bytes(fill_sheet(path.read_bytes(), q, document))
        e = evaluate(q, read_sheet(path, q))
        on = {True: "[red]あり[/]", False: "[green]なし[/]"}
        table.add_row(path.name, on[e.missing_info], on[e.unanswered], str(len(e.problems)))
    console.print(table)
    url = f"sqlite:///{(ctx.workspace / 'demo.sqlite3').resolve()}"
    alias = setup(url)
    from tenken.store.ingest import ingest as run_ingest
    from tenken.store.status import status as compute

    report = run_ingest(filled, q, alias, workers=1)
    again = run_ingest(filled, q, alias, workers=1)
    console.print(
        f"記入済みの {len(filled)} 件を取り込み（tenken survey ingest）: "
        f"保存 {report.count('current')} 件。もう一度取り込むと取り込み済み "
        f"{again.count('duplicate')} 件（同じファイルは二重に入らない）"
    )
    summary = compute(q.id, roster, dt.date(2099, 12, 31), alias).summary()
    console.print(
        "回答状況（tenken survey status）: " + "、".join(f"{k} {v}" for k, v in summary.items())
    )
