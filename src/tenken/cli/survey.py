"""``tenken survey spec`` and ``tenken survey check``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.tree import Tree

from tenken.cli.apps import survey_app
from tenken.cli.output import EXIT_OK, EXIT_PROBLEMS, console, print_json, run, shown
from tenken.fileio import write_atomically
from tenken.survey.engine import KIND_LABELS, Evaluation, evaluate
from tenken.survey.loader import DEFAULT_QUESTIONNAIRE
from tenken.survey.model import KIND_NAMES, Questionnaire
from tenken.survey.pack import pack_text, resolve_pack
from tenken.survey.sources import load_answers
from tenken.survey.spec_json import questionnaire_to_json

QuestionnaireOption = Annotated[
    str,
    typer.Option(
        "--questionnaire",
        "-q",
        help="調査パック: 同梱の ID、調査パックのフォルダ（questionnaire.yaml ほか）"
        "または調査票 YAML",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="JSON で出力する")]


def resolve_questionnaire(value: str) -> Questionnaire:
    """The questionnaire of ``-q``: a bundled id, a pack folder or a questionnaire YAML."""
    return resolve_pack(value).questionnaire


def _print_spec(q: Questionnaire) -> None:
    tree = Tree(f"[bold]{q.title}[/]（{q.id} / {q.version}）")
    block = tree.add("[bold]回答者情報[/]")
    for f in q.respondent_fields:
        who = "調査元で入力" if f.filled_by == "ministry" else "回答者が入力"
        block.add(f"{f.label}  [dim]{who}{'・' + f.hint if f.hint else ''}[/]")
    items = tree.add("[bold]調査項目[/]")
    for f in q.items:
        kind = KIND_NAMES[f.kind]
        title = f"[bold]{f.name}[/] {f.question or f.label} [dim]（{kind}）[/]"
        node = items.add(title)
        if f.relevant:
            node.add(f"[cyan]回答対象: {f.relevant}[/]")
        if f.list_name:
            for c in q.choices_of(f).choices:
                node.add(f"{c.name} {c.label}")
        for note in f.notes:
            node.add(f"[dim]{note}[/]")
        for a in f.attachments:
            node.add(f"[magenta]添付: {a.label}[/]")
    console.print(tree)


@survey_app.command()
def spec(
    questionnaire: QuestionnaireOption = DEFAULT_QUESTIONNAIRE,
    as_json: JsonOption = False,
) -> None:
    """調査票（質問・選択肢・回答対象の条件）を表示する。"""

    def body() -> int:
        q = resolve_questionnaire(questionnaire)
        if as_json:
            print_json(questionnaire_to_json(q))
        else:
            _print_spec(q)
        return EXIT_OK

    run(body, as_json)


def print_evaluation(evaluation: Evaluation, source: str) -> None:
    """The readable Japanese report of one check."""
    console.print(f"[bold]点検結果[/]: {shown(source)}")
    for flag, on in evaluation.flags.items():
        mark = "[red]●[/]" if on else "[green]○[/]"
        console.print(f"  {mark} {flag}: {'あり' if on else 'なし'}")
    if not evaluation.problems:
        console.print("[green]不備はありません。[/]")
        return
    table = Table("項目", "種類", "内容", title=f"不備 {len(evaluation.problems)} 件")
    for p in evaluation.problems:
        table.add_row(shown(p.item), KIND_LABELS[p.kind], shown(p.message))
    console.print(table)


@survey_app.command()
def check(
    file: Annotated[Path, typer.Argument(help="回答ファイル（JSON または Excel）")],
    questionnaire: QuestionnaireOption = DEFAULT_QUESTIONNAIRE,
    as_json: JsonOption = False,
) -> None:
    """回答を点検する（終了コード 0: 不備なし, 1: 不備あり, 2: 読めない）。"""

    def body() -> int:
        q = resolve_questionnaire(questionnaire)
        document = load_answers(file, q)
        evaluation = evaluate(q, document)
        if as_json:
            print_json(evaluation.to_json())
        else:
            print_evaluation(evaluation, str(file))
        return EXIT_OK if evaluation.complete else EXIT_PROBLEMS

    run(body, as_json)


@survey_app.command("pack")
def pack_command(
    questionnaire: QuestionnaireOption = DEFAULT_QUESTIONNAIRE,
    out: Annotated[
        Path | None, typer.Option("--out", help="1つにまとめた調査パック（YAML）の出力先")
    ] = None,
) -> None:
    """調査パック（調査票・レポート設定・リスク判定ルール）を点検し、1つの YAML にまとめる。

    まとめた YAML は Web の「調査回の作成」でそのまま使えます
    （調査回はこの内容で集計・判定します）。
    """

    def body() -> int:
        p = resolve_pack(questionnaire)
        text = pack_text(p)
        if out is None:
            console.print(text, end="", markup=False, highlight=False)
            return EXIT_OK
        write_atomically(out, text.encode("utf-8"))
        rules = (
            f"リスク判定ルール {len(p.rules.rules)} 件" if p.has_rules else "リスク判定ルールなし"
        )
        console.print(f"調査パック {p.id}（項目 {len(p.questionnaire.items)}・{rules}）: {out}")
        return EXIT_OK

    run(body)


@survey_app.command("export-xlsform")
def export_xlsform_command(
    pack: Annotated[str, typer.Argument(help="調査パック（同梱の ID・フォルダ・調査票 YAML）")],
    out: Annotated[Path, typer.Option("--out", help="書き出す XLSForm（.xlsx）")],
) -> None:
    """調査票を XLSForm（KoboToolbox・ODK の形式）として書き出す。"""

    def body() -> int:
        from tenken.survey.xlsform import export_xlsform

        q = resolve_pack(pack).questionnaire
        write_atomically(out, export_xlsform(q))
        console.print(f"XLSForm を書き出しました（項目 {len(q.fields)}）: {out}")
        return EXIT_OK

    run(body)


@survey_app.command("import-xlsform")
def import_xlsform_command(
    form: Annotated[Path, typer.Argument(help="XLSForm（.xlsx）")],
    out: Annotated[
        Path, typer.Option("--out", help="調査パックのフォルダ（questionnaire.yaml を書く）")
    ],
) -> None:
    """XLSForm を調査パックに変換する（表せない行はすべて一覧して中止）。"""

    def body() -> int:
        import yaml

        from tenken.fileio import read_bytes
        from tenken.survey.loader import build
        from tenken.survey.xlsform import import_xlsform

        data = read_bytes(form, "XLSForm")
        raw = import_xlsform(data, str(form), form.stem)
        q = build(raw, str(form))
        out.mkdir(parents=True, exist_ok=True)
        text = yaml.safe_dump(raw, allow_unicode=True, sort_keys=False, width=1000)
        write_atomically(out / "questionnaire.yaml", text.encode("utf-8"))
        console.print(f"調査パックに変換しました（{q.id}、項目 {len(q.fields)}）: {out}")
        return EXIT_OK

    run(body)
