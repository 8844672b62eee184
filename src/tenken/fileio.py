"""Files in and out, in one place: bounded reading, decoding, atomic writes, formula escaping.

* :func:`read_bytes` stats the path first and reads at most ``limit`` bytes, so a FIFO, a link
  to ``/dev/zero`` or a huge file is refused before anything is read into memory;
* :func:`decode_text` decodes UTF-8 (with or without BOM) or CP932 and, when neither works,
  names the line of the first bad byte and says whether the file mixes two encodings;
* :func:`write_atomically` (one file) and :func:`atomic_folder` (a whole output folder,
  swapped in one rename) never leave a half-written result, and clear the temporary folders a
  killed earlier run left behind;
* :func:`escape_formula` keeps a spreadsheet from running a value as a formula.
"""

from __future__ import annotations

import codecs
import contextlib
import ctypes
import ctypes.util
import fcntl
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from tenken.errors import InputError, Location

MB = 1024 * 1024


def check_regular_file(path: Path, what: str = "ファイル") -> os.stat_result:
    """The file's stat; a missing path, a folder, FIFO or device is an InputError naming it."""
    try:
        info = os.stat(path)  # follows links: a link to /dev/zero is judged as the device
    except OSError as error:
        if isinstance(error, FileNotFoundError):
            raise InputError(f"{what}がありません", location=Location(str(path))) from error
        raise InputError(
            f"{what}を読めません: {error.strerror or error}", location=Location(str(path))
        ) from error
    if not stat.S_ISREG(info.st_mode):
        kind = "フォルダ" if stat.S_ISDIR(info.st_mode) else "通常のファイルではないもの"
        raise InputError(
            f"{what}が{kind}です（FIFO・デバイス・フォルダは読めません）",
            location=Location(str(path)),
            hint="保存したファイルを指定してください",
        )
    return info


def size_error(path: Path | str, size: int, limit: int, what: str = "ファイル") -> InputError:
    return InputError(
        f"{what}が大きすぎます（{size / MB:.1f} MB、上限 {limit / MB:.0f} MB）",
        location=Location(str(path)),
        hint="画像などを貼り付けていないか、別のファイルを指定していないか確認してください",
    )


def read_bytes(path: Path, what: str = "ファイル", limit: int | None = None) -> bytes:
    """The file's bytes, at most ``limit``; anything else is an InputError naming the file."""
    info = check_regular_file(Path(path), what)
    if limit is not None and info.st_size > limit:
        raise size_error(path, info.st_size, limit, what)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
        with os.fdopen(fd, "rb") as handle:
            # Re-checked on the open file: the path may have been swapped since the stat.
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise InputError(
                    f"{what}が通常のファイルではありません", location=Location(str(path))
                )
            data = handle.read(-1 if limit is None else limit + 1)
    except OSError as error:
        raise InputError(
            f"{what}を読めません: {error.strerror or error}", location=Location(str(path))
        ) from error
    if limit is not None and len(data) > limit:
        raise size_error(path, len(data), limit, what)
    return data


# --- decoding ---------------------------------------------------------------------------------

ENCODING_HINT = "UTF-8 か CP932（Shift_JIS）で、ファイル全体を同じ文字コードで保存し直してください"


def line_of(data: bytes, offset: int) -> int:
    """The 1-based line holding byte ``offset``."""
    return data.count(b"\n", 0, offset) + 1


def _error_offset(data: bytes, encoding: str, final: bool) -> int | None:
    try:
        codecs.getincrementaldecoder(encoding)().decode(data, final=final)
    except UnicodeDecodeError as error:
        return error.start
    return None


def detect_encoding(data: bytes, source: str, *, final: bool = True) -> str:
    """``"utf-8-sig"`` or ``"cp932"`` for ``data``; an InputError with the line otherwise.

    ``final=False`` judges a sample (the first megabyte of a big file): a character cut at the
    end of the sample is not an error.
    """
    if data.startswith(codecs.BOM_UTF8):
        bad = _error_offset(data, "utf-8-sig", final)
        if bad is None:
            return "utf-8-sig"
        raise encoding_error(data, source, "UTF-8", bad)
    utf8_bad = _error_offset(data, "utf-8", final)
    if utf8_bad is None:
        return "utf-8-sig"
    cp932_bad = _error_offset(data, "cp932", final)
    if cp932_bad is None:
        return "cp932"
    # Neither: the encoding that reads further is the file's, the rest is another one.
    name, bad = ("UTF-8", utf8_bad) if utf8_bad >= cp932_bad else ("CP932", cp932_bad)
    raise encoding_error(data, source, name, bad)


def encoding_error(data: bytes, source: str, encoding: str, offset: int) -> InputError:
    """The error for a byte at ``offset`` that ``encoding`` cannot read."""
    line = line_of(data, offset)
    if line > 1 or data[:offset].strip(b"\r\n\t ,").decode("ascii", "replace") != "":
        message = (
            f"文字コードが混在しています（{line - 1}行目までは {encoding} として読めますが、"
            f"{line}行目が読めません）"
            if line > 1
            else f"文字コードが混在しています（{line}行目の途中から {encoding} として読めません）"
        )
    else:
        message = "文字コードを判別できません（UTF-8 でも CP932 でもありません）"
    return InputError(message, location=Location(source, line), hint=ENCODING_HINT).with_code(
        "E-INPUT-ENCODING"
    )


def decode_text(data: bytes, source: str) -> str:
    """``data`` as text (UTF-8 with or without BOM, or CP932), the BOM removed."""
    return data.decode(detect_encoding(data, source))


# --- atomic writes ----------------------------------------------------------------------------


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and a rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


STAGING_PREFIX = ".tenken-"
_LOCK = ".lock"


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``); False if unsupported."""
    name = ctypes.util.find_library("c")
    libc = ctypes.CDLL(name, use_errno=True) if name else None
    function = getattr(libc, "renameat2", None)
    if function is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = function(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return bool(result == 0)


def _stale(folder: Path, known: frozenset[str]) -> bool:
    """True for a staging folder no running tenken holds (its lock is free, or it has none and
    holds only output files, as folders of earlier versions did)."""
    lock = folder / _LOCK
    if not lock.exists():
        return all(entry.name in known for entry in folder.iterdir())
    try:
        with lock.open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def clean_leftovers(out: Path, known: frozenset[str] = frozenset()) -> list[Path]:
    """Remove the staging folders beside ``out`` that a killed earlier run left behind."""
    removed: list[Path] = []
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        return removed
    for folder in parent.glob(f"{STAGING_PREFIX}*"):
        with contextlib.suppress(OSError):
            if folder.is_dir() and not folder.is_symlink() and _stale(folder, known):
                shutil.rmtree(folder)
                removed.append(folder)
    return removed


def check_out_folder(out: Path, names: frozenset[str], what: str = "--out") -> None:
    """Refuse, before any work, an output folder we could not replace as a whole.

    ``out`` may be absent, empty, or an earlier output of the same command (only ``names``):
    the commit replaces the whole folder, so anything else in it would be lost.
    """
    loc = Location(str(out))
    if out.exists() or out.is_symlink():
        if not out.is_dir() or out.is_symlink():
            raise InputError(f"{what} はフォルダではありません", location=loc)
        foreign = sorted(e.name for e in out.iterdir() if e.name not in names or not e.is_file())
        if foreign:
            raise InputError(
                f"{what} に出力以外のもの「{foreign[0]}」があります（置き換えると失われます）",
                location=loc,
                hint="空のフォルダか、新しいフォルダ名を指定してください",
            ).with_code("E-OUTPUT-NOT-EMPTY")
    parent = out.parent if str(out.parent) else Path(".")
    probe = parent
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if not probe.is_dir():
        raise InputError(
            f"{what} の場所にフォルダを作れません（{probe.name} はファイルです）",
            location=Location(str(out)), code="E-OUTPUT-NOT-WRITABLE",
        )  # fmt: skip
    if not os.access(probe, os.W_OK | os.X_OK):
        raise InputError(
            f"{what} の場所に書き込めません", location=Location(str(probe)),
            hint="書き込めるフォルダを指定してください",
        ).with_code("E-OUTPUT-NOT-WRITABLE")  # fmt: skip


@contextlib.contextmanager
def atomic_folder(out: Path, names: frozenset[str] = frozenset()) -> Iterator[Path]:
    """A staging folder that replaces ``out`` as a whole when the block succeeds.

    The staging folder sits beside ``out`` (same file system) and holds a lock while in use, so
    :func:`clean_leftovers` removes only folders of runs that died. The swap is one
    ``renameat2(RENAME_EXCHANGE)`` where the kernel has it, else two renames.
    """
    clean_leftovers(out, names)
    parent = out.parent if str(out.parent) else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=parent))
    except OSError as error:
        raise InputError(
            f"出力先に書き込めません: {error.strerror or error}", location=Location(str(out))
        ).with_code("E-OUTPUT-NOT-WRITABLE") from error
    lock = (staging / _LOCK).open("w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        work = staging / "out"
        work.mkdir()
        yield work
        if out.is_dir() and _exchange(work, out):
            pass  # the old folder is now at ``work`` and goes with the staging folder
        elif out.is_dir():
            os.rename(out, staging / "old")
            os.rename(work, out)
        else:
            os.rename(work, out)
    finally:
        lock.close()
        shutil.rmtree(staging, ignore_errors=True)


# --- formula escaping -------------------------------------------------------------------------

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value: str | None) -> str | None:
    """Prefix ``'`` to text a spreadsheet would run as a formula (CSV/formula injection)."""
    if value and value.startswith(FORMULA_START):
        return "'" + value
    return value
