"""``tenken synth`` and ``tenken inspect``: glue over :mod:`tenken.linkage`."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from tenken.cli.apps import app
from tenken.cli.output import EXIT_OK, console, run, shown
from tenken.linkage.engine import ENGINES


@app.command()
def synth(
    out: Annotated[Path, typer.Option("--out", help="出力先フォルダ")],
    people: Annotated[int, typer.Option("--people", min=10, help="人数")] = 10000,
    seed: Annotated[int, typer.Option("--seed", help="乱数の種（同じ種なら同じデータ）")] = 1,
) -> None:
    """合成の住民基本台帳・給付記録・正解表（registry.csv / records.csv / truth.csv）を作る。"""

    def body() -> int:
        from tenken.linkage import synth as synthetic

        started = time.perf_counter()
        with console.status("合成データを作成中…"):
            data = synthetic.generate(people, seed)
            paths = synthetic.write(data, out)
        seconds = time.perf_counter() - started
        console.print(
            f"{people:,} 人: 住基 {data.registry.num_rows:,} 行、記録 {data.records.num_rows:,} 行"
            f"（{seconds:.1f} 秒）"
        )
        for path in paths.values():
            console.print(f"  {shown(path)}")
        return EXIT_OK

    run(body)


@app.command()
def inspect(
    registry: Annotated[
        str,
        typer.Option(
            "--registry",
            help="住民基本台帳（履歴付き。分割ファイルのフォルダも可。"
            "Spark では hdfs:// s3a:// abfss:// gs:// も可）",
        ),
    ],
    records: Annotated[
        str,
        typer.Option(
            "--records",
            help="制度の記録（分割ファイルのフォルダも可。Spark では hdfs:// などの URI も可）",
        ),
    ],
    out: Annotated[Path, typer.Option("--out", help="出力先フォルダ")],
    mapping: Annotated[
        list[str] | None, typer.Option("--map", help="列名の対応づけ（例: 氏名=NAME_KJ）")
    ] = None,
    truth: Annotated[Path | None, typer.Option("--truth", help="正解表（精度の評価用）")] = None,
    engine: Annotated[
        str, typer.Option("--engine", help="実行エンジン: " + "、".join(ENGINES))
    ] = "duckdb",
    gaiji: Annotated[
        Path | None,
        typer.Option("--gaiji", help="住基の外字対応表（列: 外字コード、文字）"),
    ] = None,
) -> None:
    """紐付け済みの記録を住基と照合し直し、誤紐付けの疑いを判定する（verdicts.csv ほか）。"""

    def body() -> int:
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        from tenken.linkage.columns import VERDICTS
        from tenken.linkage.inspection import STAGES, run
        from tenken.linkage.parts import as_input
        from tenken.linkage.readers import parse_mapping

        columns = (TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console, transient=True) as bar:
            task = bar.add_task(STAGES[0], total=len(STAGES))

            def step(name: str) -> None:
                bar.update(task, description=name, completed=STAGES.index(name))

            summary = run(
                as_input(registry), as_input(records), out,
                mapping=parse_mapping(mapping or []), truth=truth, engine_name=engine,
                progress=step, gaiji=gaiji,
            )  # fmt: skip
        table = Table("判定", "件数")
        for code, n in summary["verdicts"].items():
            table.add_row(f"{VERDICTS[code]}（{code}）", f"{n:,}")
        console.print(table)
        if truth is not None:
            console.print(
                f"適合率 {summary['precision']:.4f}、再現率 {summary['recall']:.4f}、"
                f"誤検知 {summary['false_alarms_per_10000']} 件/1万件"
            )
        names = "verdicts.csv、verdicts.parquet、summary.json、review.xlsx"
        console.print(f"出力: {shown(out)}（{names}）")
        return EXIT_OK

    run(body)
