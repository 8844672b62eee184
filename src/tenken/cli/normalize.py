"""``tenken normalize address|name|date|sex``: one value, or one per line of a file (JSON Lines)."""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import typer
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

from tenken.cli.apps import normalize_app
from tenken.cli.output import EXIT_OK, EXIT_PROBLEMS, err_console, guarded, print_json, run
from tenken.errors import InputError, NormalizeError
from tenken.normalize import abr
from tenken.normalize.address import normalize_address, use_reference
from tenken.normalize.date import parse_date, to_era
from tenken.normalize.name import kana_key, normalize_name
from tenken.normalize.sex import normalize_sex

Normaliser = Callable[[str], dict[str, Any]]

#: Files bigger than this get a progress bar on stderr.
PROGRESS_BYTES = 1 << 20
#: Longest input echoed back in the output.
ECHO_CHARS = 200

_VALUE = typer.Argument(None, help="正規化する値（--input を使うときは省略）")
_INPUT = typer.Option(None, "--input", "-i", help="1行に1値のファイル（結果は JSON Lines）")
_ENCODING = typer.Option("utf-8-sig", "--encoding", help="入力ファイルの文字コード（例: cp932）")


def _address(value: str) -> dict[str, Any]:
    return dataclasses.asdict(normalize_address(value))


def _name(value: str) -> dict[str, Any]:
    result = dataclasses.asdict(normalize_name(value))
    result["kana_key"] = kana_key(value) if result["kana"] else ""
    return result


def _date(value: str) -> dict[str, Any]:
    parsed = parse_date(value)
    return {"key": parsed.isoformat(), "era": to_era(parsed)}


def _sex(value: str) -> dict[str, Any]:
    return {"key": normalize_sex(value)}


def result_for(normaliser: Normaliser, value: str) -> dict[str, Any]:
    """One output object: the input, then the normalised fields or an ``error``."""
    head: dict[str, Any] = {"input": value[:ECHO_CHARS]}
    try:
        return head | normaliser(value)
    except NormalizeError as error:
        return head | {"key": None, "error": error.message, "hint": error.hint}


def _lines(path: Path, encoding: str) -> Iterator[tuple[str, int]]:
    """(line without its newline, bytes read so far)."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError:
                raise InputError(
                    f"{path}: {number}行目が {encoding} として読めません",
                    hint="Shift_JIS のファイルなら --encoding cp932",
                ) from None
            except LookupError:
                raise InputError(f"不明な文字コードです: {encoding}") from None
            encoding = "utf-8" if encoding == "utf-8-sig" else encoding  # BOM only on line 1
            yield text.rstrip("\r\n"), handle.tell()


def _run_file(normaliser: Normaliser, path: Path, encoding: str) -> int:
    size = path.stat().st_size
    problems = 0
    out = sys.stdout
    progress = Progress(
        TextColumn("[bold]正規化中[/]"),
        BarColumn(),
        TaskProgressColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
        disable=size < PROGRESS_BYTES,
    )
    with progress:
        task = progress.add_task("normalize", total=size)
        for count, (line, done) in enumerate(_lines(path, encoding), start=1):
            result = result_for(normaliser, line)
            problems += "error" in result
            out.write(json.dumps(result, ensure_ascii=False) + "\n")
            if count % 2000 == 0:
                progress.update(task, completed=done)
    if problems:
        err_console.print(f"正規化できなかった値: {problems}件（error 欄を参照）", highlight=False)
    return EXIT_PROBLEMS if problems else EXIT_OK


def _command(normaliser: Normaliser, value: str | None, path: Path | None, encoding: str) -> None:
    def body() -> int:
        if path is not None:
            if value is not None:
                raise InputError("値と --input は同時に指定できません", hint="どちらか一方を指定")
            return _run_file(normaliser, path, encoding)
        if value is None:
            raise InputError("値がありません", hint="値を引数で渡すか --input FILE を指定")
        result = result_for(normaliser, value)
        print_json(result)
        return EXIT_PROBLEMS if "error" in result else EXIT_OK

    run(body)


_ABR = typer.Option(
    None, "--abr", help="アドレス・ベース・レジストリの町字CSV（mt_town_*.csv、複数可）を追加で使う"
)


@normalize_app.command("address")
def address_command(
    value: str | None = _VALUE,
    input_file: Path | None = _INPUT,
    encoding: str = _ENCODING,
    abr_files: list[Path] | None = _ABR,
) -> None:
    """住所を構造化し、比較キー（key）を出す。"""
    if abr_files:
        with guarded():
            towns = [town for path in abr_files for town in abr.read_town_csv(path)]
            use_reference(abr.reference_with(towns))
    _command(_address, value, input_file, encoding)


@normalize_app.command("name")
def name_command(
    value: str | None = _VALUE, input_file: Path | None = _INPUT, encoding: str = _ENCODING
) -> None:
    """氏名（漢字・カナ）の比較キーを出す（異体字・幅・かなを揃える）。"""
    _command(_name, value, input_file, encoding)


@normalize_app.command("date")
def date_command(
    value: str | None = _VALUE, input_file: Path | None = _INPUT, encoding: str = _ENCODING
) -> None:
    """生年月日を ISO 形式（key）にする（和暦・元号コード7桁にも対応）。"""
    _command(_date, value, input_file, encoding)


@normalize_app.command("sex")
def sex_command(
    value: str | None = _VALUE, input_file: Path | None = _INPUT, encoding: str = _ENCODING
) -> None:
    """性別を 1/2/9 にする。"""
    _command(_sex, value, input_file, encoding)
