"""``tenken survey spec`` and ``tenken survey check``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.tree import Tree

from tenken.cli.apps import survey_app
from tenken.cli.output import EXIT_OK, EXIT_PROBLEMS, console, print_json, run, shown
from tenken.survey.engine import KIND_LABELS, Evaluation, evaluate
from tenken.survey.loader import DEFAULT_QUESTIONNAIRE, load_bundled, load_file
from tenken.survey.model import Questionnaire
from tenken.survey.sources import load_answers
from tenken.survey.spec_json import questionnaire_to_json

QuestionnaireOption = Annotated[
    str,
    typer.Option("--questionnaire", "-q", help="調査票の ID（同梱）または YAML ファイルのパス"),
]
JsonOption = Annotated[bool, typer.Option("--json", help="JSON で出力する")]


def resolve_questionnaire(value: str) -> Questionnaire:
    """A bundled questionnaire id, or a path to a YAML file."""
    if value.endswith((".yaml", ".yml")) or "/" in value:
        return load_file(Path(value))
    return load_bundled(value)


def _print_spec(q: Questionnaire) -> None:
    tree = Tree(f"[bold]{q.title}[/]（{q.id} / {q.version}）")
    block = tree.add("[bold]回答者情報[/]")
    for f in q.respondent_fields:
        who = "厚労省で入力" if f.filled_by == "ministry" else "回答者が入力"
        block.add(f"{f.label}  [dim]{who}{'・' + f.hint if f.hint else ''}[/]")
    items = tree.add("[bold]調査項目[/]")
    for f in q.items:
        kind = {"select_one": "単一選択", "select_multiple": "複数選択", "text": "自由記載"}[f.kind]
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
