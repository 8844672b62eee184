"""``tenken demo``: show a newcomer the whole flow on bundled sample data.

The demo is a list of steps; each area adds its own with :func:`demo_step` (an order number
and a title) so that the steps stay in a sensible order and each stays small.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import typer
from rich.rule import Rule
from rich.table import Table

from tenken.cli.apps import app
from tenken.cli.output import console, guarded


@dataclass
class DemoContext:
    """What the steps share: the workspace directory and anything a step leaves for the next."""

    workspace: Path
    notes: dict[str, object] = field(default_factory=dict)


StepFunc = Callable[[DemoContext], None]
_STEPS: list[tuple[int, str, StepFunc]] = []


def demo_step(order: int, title: str) -> Callable[[StepFunc], StepFunc]:
    """Register a demo step; steps run in ``order``."""

    def register(func: StepFunc) -> StepFunc:
        _STEPS.append((order, title, func))
        return func

    return register


@demo_step(10, "調査票（別添1・別添2）を読み込む")
def _show_questionnaire(ctx: DemoContext) -> None:
    from tenken.survey.loader import load_bundled

    q = load_bundled()
    ctx.notes["questionnaire"] = q
    console.print(f"{q.title}（{q.id}）: 回答者情報 {len(q.respondent_fields)} 項目、調査項目 "
                  f"{sum(not f.is_followup for f in q.items)} 問（補足 2 件）")  # fmt: skip
    table = Table("項番", "質問（別添2）", "形式", "回答対象")
    for f in q.items:
        if f.is_followup:
            continue
        kind = "複数選択" if f.kind == "select_multiple" else "単一選択"
        question = f.label[:40] + "…"
        table.add_row(f.name, question, kind, str(f.relevant or "常に"))
    console.print(table)
    console.print("全文は [bold]tenken survey spec[/] で表示できます。")


@demo_step(20, "同梱の回答例を点検する（情報未入力あり・未回答あり）")
def _check_examples(ctx: DemoContext) -> None:
    import yaml

    from tenken.survey.engine import KIND_LABELS, evaluate
    from tenken.survey.loader import load_bundled
    from tenken.survey.sources import load_answers

    q = load_bundled()
    folder = Path(__file__).resolve().parents[1] / "survey" / "examples"
    manifest = yaml.safe_load((folder / "examples.yaml").read_text(encoding="utf-8"))
    table = Table("回答例", "情報未入力あり", "未回答あり", "不備")
    for case in manifest:
        e = evaluate(q, load_answers(folder / case["file"], q))
        kinds = "、".join(f"{p.item}:{KIND_LABELS[p.kind]}" for p in e.problems) or "なし"
        table.add_row(case["file"], _mark(e.missing_info), _mark(e.unanswered), kinds)
    console.print(table)
    console.print("1件ずつの詳細は [bold]tenken survey check FILE[/] で表示できます。")


@demo_step(60, "合成データで紐付けを総点検する（tenken synth / tenken inspect）")
def _inspect_linkage(ctx: DemoContext) -> None:
    from tenken.linkage import synth

    folder = ctx.workspace / "linkage"
    synth.write(synth.generate(2000, seed=1), folder)
    from tenken.linkage.columns import VERDICTS
    from tenken.linkage.inspection import run

    summary = run(
        folder / "registry.csv", folder / "records.csv", folder / "out",
        truth=folder / "truth.csv",
    )  # fmt: skip
    table = Table("判定", "件数")
    for code, count in summary["verdicts"].items():
        table.add_row(VERDICTS[code], str(count))
    console.print(table)
    console.print(
        f"正解表との比較: 再現率 {summary['recall']:.0%}、"
        f"誤検知 {summary['false_alarms_per_10000']} 件/1万件。"
        f"要確認一覧は {folder / 'out' / 'review.xlsx'}"
    )


def _mark(on: bool) -> str:
    return "[red]あり[/]" if on else "[green]なし[/]"


@app.command()
def demo(
    workspace: Annotated[Path, typer.Option(help="デモの出力先フォルダ")] = Path("workspace/demo"),
    serve: Annotated[
        bool,
        typer.Option("--serve", help="最後に Web サイトをデモのデータで起動する（Ctrl+C で終了）"),
    ] = False,
    port: Annotated[int, typer.Option(help="--serve のポート", min=1, max=65535)] = 8000,
) -> None:
    """サンプルデータで一連の流れを実行して見せる。"""
    with guarded():
        workspace.mkdir(parents=True, exist_ok=True)
        ctx = DemoContext(workspace)
        steps = sorted(_STEPS, key=lambda s: s[0])
        for number, (_order, title, func) in enumerate(steps, start=1):
            console.print(Rule(f"[bold]{number}. {title}[/]"))
            func(ctx)
        console.print(Rule())
        console.print(f"[bold green]デモ完了[/]（出力: {workspace}）")
        if serve:
            from tenken.cli.serve import serve_demo_site

            serve_demo_site(workspace / "site", port)
