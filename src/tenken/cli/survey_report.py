"""``tenken survey report`` and the demo steps that generate answers and build the report."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from tenken.cli.apps import survey_app
from tenken.cli.demo import DemoContext, demo_step
from tenken.cli.output import EXIT_OK, console, err_console, run, shown
from tenken.cli.survey_rounds import DbOption, RoundOption, SeidoOption, open_round
from tenken.cli.survey_sheets import RosterOption
from tenken.errors import InputError, Location
from tenken.survey.aggregate import StoredAnswer
from tenken.survey.document import AnswerDocument
from tenken.survey.loader import DEFAULT_QUESTIONNAIRE
from tenken.survey.local_governments import all_local_governments, lookup_org_name
from tenken.survey.model import Questionnaire
from tenken.survey.pack import Pack, load_bundled_pack, resolve_pack
from tenken.survey.report import ReportData, build_pack_report, write_report
from tenken.survey.report.model import ListedOrg, RosterOrg
from tenken.survey.report.write import HTML_NAME, check_report_folder
from tenken.survey.risk import LEVELS, load_rules
from tenken.survey.sources import READERS, load_answers

if TYPE_CHECKING:
    from tenken.store.models import Round


def read_answer_dir(folder: Path, q: Questionnaire) -> tuple[list[AnswerDocument], list[str]]:
    """Every readable answer file in ``folder`` (by suffix); unreadable ones are reported."""
    if not folder.is_dir():
        raise InputError("回答のフォルダがありません", location=Location(str(folder)))
    documents: list[AnswerDocument] = []
    skipped: list[str] = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in READERS or path.name.startswith((".", "~$")):
            continue
        try:
            documents.append(load_answers(path, q))
        except InputError as error:
            skipped.append(str(error))
    return documents, skipped


def now_text() -> str:
    return datetime.now().strftime("%Y-%m-%d %H:%M")


def print_summary(data: ReportData) -> None:
    parts = [("", data), *data.by_seido]
    for name, part in parts:
        counts = part.level_counts()
        title = f"リスク判定（団体数）制度 {shown(name)}" if name else "リスク判定（団体数）"
        if name == "" and data.by_seido:
            title += " 全体（制度ごとの合計）"
        table = Table("区分", *LEVELS, "未提出", title=title)
        for group in part.groups:
            table.add_row(group, *(str(counts[group][lv]) for lv in (*LEVELS, "未提出")))
        console.print(table)


def roster_orgs(roster: Path | None, q: Questionnaire) -> Sequence[RosterOrg]:
    """Every local government, or the organisations of a roster CSV."""
    if roster is None:
        return all_local_governments()
    from tenken.survey.roster import read_roster

    return [
        lookup_org_name(e.org_name) or ListedOrg(e.org_name, e.org_kind)
        for e in read_roster(roster, q)
    ]


@survey_app.command()
def report(
    out: Annotated[Path, typer.Option("--out", help="レポートの出力先フォルダ")],
    answers: Annotated[
        Path | None,
        typer.Option("--answers", help="回答ファイル（JSON/Excel）のフォルダ（調査回の代わりに）"),
    ] = None,
    db: DbOption = None,
    round_code: RoundOption = None,
    roster: RosterOption = None,
    questionnaire: Annotated[
        str | None,
        typer.Option(
            "--questionnaire",
            "-q",
            help="調査パック: 同梱の ID・フォルダ・調査票 YAML（--answers のとき）",
        ),
    ] = None,
    rules: Annotated[
        Path | None,
        typer.Option(
            "--rules", help="リスク判定ルールの YAML（調査パック・調査回のルールの代わりに使う）"
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="report.json も書き出す")] = False,
    seido: SeidoOption = None,
) -> None:
    """回答を集計し、リスクを判定して、Excel・HTML・CSV（--json で JSON も）を書き出す。

    回答は既定で調査回（tenken survey ingest で取り込み、提出済みとして数える回答）から読みます。
    制度が複数の調査回は、全体と制度ごとの集計・リスク判定を出します（--seido でその制度だけ）。
    """

    def body() -> int:
        if answers is not None and (db is not None or round_code is not None):
            raise InputError(
                "--answers と --db・--round は同時に指定できません",
                hint="フォルダの回答なら --answers、取り込み済みの回答なら --round（省略可）",
            )
        if answers is not None and seido is not None:
            raise InputError("--seido は調査回の回答（--round）にだけ使えます")
        check_report_folder(out)  # before any work: a wrong --out costs nothing
        skipped: list[str] = []
        documents: Sequence[AnswerDocument | StoredAnswer]
        if answers is not None:
            pack = resolve_pack(questionnaire or DEFAULT_QUESTIONNAIRE)
            documents, skipped = read_answer_dir(answers, pack.questionnaire)
            for message in skipped:
                err_console.print(f"[yellow]読み飛ばし:[/] {shown(message)}", highlight=False)
            pack = _with_rules(pack, rules)
            orgs = roster_orgs(roster, pack.questionnaire)
            data = build_pack_report(pack, orgs, documents, now_text())
            count = len(documents)
        else:
            alias, survey_round = open_round(db, round_code)
            from tenken.store import api

            pack = _with_rules(api.pack_of(survey_round), rules)
            listed = roster_orgs(roster, pack.questionnaire) if roster else None
            data = api.round_report(
                survey_round, now_text(), alias, seido=seido, pack=pack, roster=listed
            )
            count = api.counted(survey_round, alias, seido=seido).count()
        written = write_report(data, out, with_json=as_json)
        print_summary(data)
        console.print(f"回答 {count} 件（読み飛ばし {len(skipped)} 件）を集計しました。")
        for path in written:
            console.print(f"  {shown(path)}")
        return EXIT_OK

    run(body)


def _with_rules(pack: Pack, rules: Path | None) -> Pack:
    """The pack, or (``--rules``) the pack with those risk rules."""
    return pack if rules is None else pack.with_rules(load_rules(rules, pack.questionnaire))


# ---------------------------------------------------------------- demo steps


@demo_step(40, "名簿の全団体分のサンプル回答を作る（一部は Excel シートに記入、乱数の種は固定）")
def _generate_answers(ctx: DemoContext) -> None:
    from tenken.survey.sample import generate

    pack = load_bundled_pack()
    q = pack.questionnaire
    roster = all_local_governments()
    sample = generate(pack, roster, seed=2023)
    folder = ctx.workspace / "answers"
    folder.mkdir(parents=True, exist_ok=True)
    for old in [*folder.glob("*.json"), *folder.glob("*.xlsx")]:
        old.unlink()
    in_sheets = _write_sheets(q, sample.documents[:DEMO_SHEETS], folder)
    for i, document in enumerate(sample.documents[in_sheets:], start=in_sheets + 1):
        text = json.dumps(document.to_json(), ensure_ascii=False, indent=1)
        (folder / f"{i:04d}.json").write_text(text, encoding="utf-8")
    kinds = Counter(d.respondent.get("組織区分", "") for d in sample.documents)
    console.print(
        f"名簿 {len(roster):,} 団体 → 回答 {len(sample.documents):,} 件（都道府県 "
        f"{kinds['都道府県']}・市区町村 {kinds['市区町村']:,}、うち {in_sheets} 件は Excel の"
        f"回答シートに記入）、未提出 {len(sample.non_responders)} 団体 → {folder}"
    )
    _ingest_answers(ctx, q, sorted(folder.iterdir()))


def demo_db_url(ctx: DemoContext) -> str:
    """The demo's response store (shared with the sheets step)."""
    return f"sqlite:///{(ctx.workspace / 'demo.sqlite3').resolve()}"


DEMO_ROUND = "2023"


def _demo_main_round(alias: str, q: Questionnaire) -> Round:
    """The demo's round over all 1,788 local governments (made on the first run)."""
    from tenken.cli.survey_sheets import demo_round
    from tenken.store import api
    from tenken.survey.local_governments import all_local_governments

    members = [api.Member(g.org_name, g.kind, g.prefecture) for g in all_local_governments()]
    deadline = api.end_of_day(dt.date(2099, 12, 31))
    return demo_round(alias, DEMO_ROUND, q.title, q, deadline, members)


def _ingest_answers(ctx: DemoContext, q: Questionnaire, files: list[Path]) -> None:
    """Ingest the generated answers into the demo's store, as ``tenken survey ingest`` does."""
    from tenken.store.db import setup
    from tenken.store.ingest import ingest

    alias = setup(demo_db_url(ctx))
    survey_round = _demo_main_round(alias, q)
    report = ingest(files, survey_round, q, alias, workers=1)
    console.print(
        f"取り込み（tenken survey ingest）: 最新 {report.count('current'):,} 件、"
        f"取り込み済み {report.count('duplicate')} 件、読めない {report.count('rejected')} 件"
    )


DEMO_SHEETS = 5  # sheets are slower to make than JSON: a few show the path, the rest stay fast


def _write_sheets(q: Questionnaire, documents: Sequence[AnswerDocument], folder: Path) -> int:
    """Fill the Excel answer sheet for ``documents``; returns how many were written."""
    from tenken.survey.xlsx.fill import fill_sheet
    from tenken.survey.xlsx.writer import form_bytes

    for i, document in enumerate(documents, start=1):
        prefill = {k: document.respondent.get(k, "") for k in ("組織名", "組織区分")}
        data = fill_sheet(form_bytes(q, prefill), q, document)
        (folder / f"{i:04d}.xlsx").write_bytes(data)
    return len(documents)


@demo_step(80, "集計・リスク判定・レポート（Excel・HTML・CSV・JSON）")
def _build_report(ctx: DemoContext) -> None:
    from tenken.store import api
    from tenken.store.db import setup

    alias = setup(demo_db_url(ctx))
    survey_round = _demo_main_round(alias, load_bundled_pack().questionnaire)
    data = api.round_report(survey_round, now_text(), alias)
    documents = api.counted(survey_round, alias)
    out = ctx.workspace / "report"
    write_report(data, out, with_json=True)
    print_summary(data)
    console.print(
        f"調査回 {survey_round.code} の提出済みの回答 {documents.count():,} 件を集計"
        f"（tenken survey report --round {survey_round.code}）"
    )
    console.print(f"HTML レポート: [bold]{(out / HTML_NAME).resolve()}[/]")
    console.print(f"Excel・CSV・JSON: {out}")
