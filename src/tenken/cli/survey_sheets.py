"""``tenken survey form`` / ``ingest`` / ``status``: Excel answer sheets and the response store."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Annotated, Any

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
from tenken.cli.survey_rounds import DbOption, RoundOption, SeidoOption, open_round
from tenken.errors import InputError
from tenken.survey.loader import DEFAULT_QUESTIONNAIRE
from tenken.survey.local_governments import lookup_org_name
from tenken.survey.model import Questionnaire
from tenken.survey.roster import RosterEntry, read_roster

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
    round_code: Annotated[
        str | None,
        typer.Option(
            "--round",
            help="調査回ID: その回の調査票・名簿で作り、回を記録する（別の回への取り込みは拒否）",
        ),
    ] = None,
    seido: SeidoOption = None,
    db: DbOption = None,
) -> None:
    """回答シート（別添2の様式の Excel）を作る。--roster・--round なら組織ごとに1ファイル
    （制度が複数の調査回は組織・制度ごとに1ファイル）。"""

    def body() -> int:
        q = resolve_questionnaire(questionnaire)
        if round_code is not None:
            return _round_forms(db, round_code, roster, out_dir, seido)
        if seido is not None:
            raise InputError("--seido は --round と一緒に指定してください")
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
    round_code: RoundOption = None,
    questionnaire: Annotated[
        str | None,
        typer.Option("--questionnaire", "-q", help="調査票（既定: 調査回の調査票。違えば拒否）"),
    ] = None,
    workers: Annotated[int, typer.Option(help="読み込みの並列数")] = min(2, os.cpu_count() or 1),
    seido: Annotated[
        str | None,
        typer.Option("--seido", help="この制度の回答だけを取り込む（他の制度のシートは拒否）"),
    ] = None,
) -> None:
    """回答シートを点検して調査回に取り込む（同じファイルは二重に取り込まない）。"""

    def body() -> int:
        alias, survey_round = open_round(db, round_code)
        from tenken.store import api

        q = api.questionnaire_of(survey_round)
        if questionnaire is not None:
            api.check_questionnaire(survey_round, resolve_questionnaire(questionnaire))
        from tenken.store.ingest import ingest as run_ingest

        report = run_ingest(
            paths, survey_round, q, alias, workers=workers, progress=_show_outcome, seido=seido
        )
        console.print(
            f"調査回 {survey_round.code}: 取り込み 最新 {report.count('current')} 件、"
            f"履歴 {report.count('history')} 件、"
            f"取り込み済み {report.count('duplicate')} 件、読めない {report.count('rejected')} 件"
        )
        return EXIT_UNREADABLE if report.count("rejected") else EXIT_OK

    run(body)


def _round_forms(
    db: str | None, code: str, roster: Path | None, out_dir: Path | None, seido: str | None
) -> int:
    """One sheet per organisation of the round (or of ``roster``) and 制度 it answers, each
    marked with the round and its 制度 (``seido``: that 制度's sheets only)."""
    if out_dir is None:
        raise InputError("--round には --out-dir を指定してください")
    alias, survey_round = open_round(db, code)
    from tenken.store import api
    from tenken.survey.xlsx.batch import write_roster_forms

    q = api.questionnaire_of(survey_round)
    api.check_seido(survey_round, seido)
    seidos = [s for s in survey_round.seidos if seido in (None, s)]
    if roster is not None:
        entries = read_roster(roster, q)
    else:
        rows = survey_round.roster.using(alias).all()
        entries = [RosterEntry(e.org_name, e.org_kind, e.seido, e.zokusei, e.email) for e in rows]
    paths = write_roster_forms(q, entries, out_dir, survey_round.code, seidos)
    console.print(
        f"調査回 {survey_round.code} の回答シート {len(paths)} 件と送付一覧.csv を {out_dir} に"
        "作成しました。"
    )
    return EXIT_OK


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


@survey_app.command()
def status(
    db: DbOption = None,
    round_code: RoundOption = None,
    problems_only: Annotated[
        bool, typer.Option("--problems", help="「提出済み（不備あり）」の組織だけを一覧する")
    ] = False,
    seido: SeidoOption = None,
    as_json: JsonOption = False,
) -> None:
    """調査回の名簿に対して、提出済み・提出済み（不備あり）・一時保存・未着手を一覧する
    （制度が複数の調査回は制度ごとと全体）。"""

    def body() -> int:
        alias, survey_round = open_round(db, round_code)
        from tenken.store.status import status as compute

        report = compute(survey_round, alias, seido)
        if as_json:
            data = report.to_json()
            if problems_only:
                data["organisations"] = [o.to_json() for o in report.with_problems]
            print_json(data)
        else:
            _print_status(report, problems_only)
        return EXIT_OK

    run(body, as_json)


def _print_status(report: object, problems_only: bool = False) -> None:
    from tenken.store import api
    from tenken.store.status import StatusReport

    assert isinstance(report, StatusReport)
    deadline = api.local(report.deadline).strftime("%Y-%m-%d %H:%M")
    about = f" 制度 {shown(report.seido)}" if report.seido else ""
    console.print(f"[bold]回答状況[/] 調査回 {report.round_code}{about}（期限 {deadline}）")
    by_seido = report.by_seido()
    if by_seido:
        _print_by_seido(by_seido, report.summary())
    else:
        summary = Table(*report.summary().keys())
        summary.add_row(*(str(v) for v in report.summary().values()))
        console.print(summary)
    if report.with_problems:
        table = Table(
            "組織名",
            "情報未入力あり",
            "未回答あり",
            "不備",
            "添付なし",
            title=api.SUBMITTED_WITH_PROBLEMS,
        )
        for o in report.with_problems:
            table.add_row(
                shown(o.org_name) + (f"（{shown(o.seido)}）" if o.seido else ""),
                "あり" if o.missing_info else "なし",
                "あり" if o.unanswered else "なし",
                str(o.problems),
                str(o.missing_attachments),
            )
        console.print(table)
    if problems_only:
        return
    missing = [
        o.org_name + (f"（{o.seido}）" if o.seido else "")
        for o in report.organisations
        if not o.submitted
    ]
    if missing:
        listed = "、".join(shown(name) for name in missing[:30]) + (
            f" …ほか {len(missing) - 30} 件" if len(missing) > 30 else ""
        )
        console.print(f"[bold]未提出[/] {len(missing)} 件: {listed}")
        console.print("全件は --json で出力できます。")
    for o in report.not_in_roster:
        console.print(f"[yellow]名簿にない回答[/]: {shown(o.org_name)}（{shown(o.source_name)}）")


def _print_by_seido(by_seido: dict[str, dict[str, int]], overall: dict[str, int]) -> None:
    """One column per 制度 (numbered: 制度 names are long) and the overall one, their sum."""
    names = list(by_seido)
    for i, name in enumerate(names, start=1):
        console.print(f"制度{i}: {shown(name)}", highlight=False)
    table = Table("", *(f"制度{i}" for i in range(1, len(names) + 1)), "全体")
    for key, total in overall.items():
        table.add_row(key, *(str(by_seido[name][key]) for name in names), str(total))
    console.print(table)


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
    from tenken.store import api
    from tenken.store.ingest import ingest as run_ingest
    from tenken.store.status import status as compute

    members = [api.Member(e.org_name, e.org_kind) for e in roster]
    deadline = api.end_of_day(dt.date(2099, 12, 31))
    survey_round = demo_round(
        alias, "demo-sheets", "回答シートの試し（4団体）", q, deadline, members
    )
    report = run_ingest(filled, survey_round, q, alias, workers=1)
    again = run_ingest(filled, survey_round, q, alias, workers=1)
    console.print(
        f"記入済みの {len(filled)} 件を取り込み（tenken survey ingest）: "
        f"保存 {report.count('current')} 件。もう一度取り込むと取り込み済み "
        f"{again.count('duplicate')} 件（同じファイルは二重に入らない）"
    )
    summary = compute(survey_round, alias).summary()
    console.print(
        f"回答状況（tenken survey status --round {survey_round.code}）: "
        + "、".join(f"{k} {v}" for k, v in summary.items())
    )


def demo_round(
    alias: str,
    code: str,
    title: str,
    q: Questionnaire,
    deadline: dt.datetime,
    members: list[Any],
) -> Any:
    """The demo's round ``code`` (made on the first run, reused afterwards)."""
    from tenken.store import api
    from tenken.store.models import Round

    found = Round.objects.using(alias).filter(code=code).first()
    if found is not None:
        return found
    return api.create_round(code, title, q, deadline, members, alias=alias)
