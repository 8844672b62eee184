"""``tenken synth`` and ``tenken inspect``: glue over :mod:`tenken.linkage`."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from tenken.cli.apps import app
from tenken.cli.output import EXIT_OK, console, run


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
            console.print(f"  {path}")
        return EXIT_OK

    run(body)
