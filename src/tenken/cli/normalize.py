"""``tenken normalize address|name|date|sex``: one value, or one per line of a file (JSON Lines)."""

from __future__ import annotations

import codecs
import dataclasses
import json
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import typer
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

from tenken.cli.apps import normalize_app
from tenken.cli.output import EXIT_OK, EXIT_PROBLEMS, err_console, guarded, print_json, run
from tenken.errors import InputError, Location, NormalizeError, echo, redact
from tenken.fileio import check_regular_file
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


_SURROGATE = re.compile("[\ud800-\udfff]")


def result_for(normaliser: Normaliser, value: str) -> dict[str, Any]:
    """One output object: the input (My Numbers masked), then the normalised fields or an
    ``error``."""
    shown = _SURROGATE.sub("\ufffd", value[:ECHO_CHARS])
    head: dict[str, Any] = {"input": redact(shown)}
    if _SURROGATE.search(value):
        # A lone surrogate (e.g. from --encoding raw_unicode_escape) is not a character.
        return head | {"key": None, "error": "文字として正しくない値（サロゲート）を含みます",
                       "hint": "入力の文字コードを確かめてください"}  # fmt: skip
    try:
        return head | normaliser(value)
    except NormalizeError as error:
        return head | {"key": None, "error": error.message, "hint": error.hint}


def _check_encoding(encoding: str) -> str:
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        raise InputError(
            f"不明な文字コードです: {echo(encoding)}", hint="例: utf-8、cp932、utf-16",
            code="E-INPUT-ENCODING",
        ) from None  # fmt: skip
    if not getattr(info, "_is_text_encoding", True):
        raise InputError(
            f"{echo(encoding)} はテキストの文字コードではありません", hint="例: utf-8、cp932",
            code="E-INPUT-ENCODING",
        )  # fmt: skip
    return encoding


def _bad_line(path: Path, encoding: str) -> int:
    """The line holding the first byte ``encoding`` cannot read (only after a failure)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    lines = 0
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            try:
                lines += decoder.decode(block).count("\n")
            except UnicodeDecodeError as error:
                head = block[: max(error.start, 0)].decode(encoding, errors="ignore")
                return lines + head.count("\n") + 1
    return lines + 1


def _lines(path: Path, encoding: str) -> Iterator[tuple[str, int]]:
    """(line without its newline, bytes read so far), decoded as a text stream so that
    multi-byte encodings such as UTF-16 split lines on characters, not on the byte 0x0a."""
    check_regular_file(path, "入力ファイル")
    with path.open("r", encoding=_check_encoding(encoding), newline="") as handle:
        try:
            for line in handle:
                yield line.rstrip("\r\n").lstrip("\ufeff"), handle.buffer.tell()
        except UnicodeDecodeError:
            line = _bad_line(path, encoding)
            raise InputError(
                f"{line}行目が {echo(encoding)} として読めません",
                location=Location(str(path), line),
                hint="Shift_JIS のファイルなら --encoding cp932",
                code="E-INPUT-ENCODING",
            ) from None


def _run_file(normaliser: Normaliser, path: Path, encoding: str) -> int:
    size = check_regular_file(path, "入力ファイル").st_size
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
