"""The --out commit of `tenken inspect`: checked before the work, replaced as a whole, and no
staging folder left behind (not even by a killed earlier run)."""

from __future__ import annotations

import fcntl
import json
from pathlib import Path

import pytest

from tenken.linkage import inspection, outputs
from tenken.linkage.outputs import OUTPUT_NAMES
from tests.hostile import invoke, refused
from tests.linkage import fixtures

STAGING_PREFIX = ".tenken-"


def _args(tmp_path: Path, out: Path, *extra: str) -> list[str]:
    registry, records = fixtures.write(tmp_path / "in")
    return ["inspect", "--registry", str(registry), "--records", str(records), "--out", str(out),
            *extra]  # fmt: skip


def _leftovers(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"{STAGING_PREFIX}*"))


def test_an_out_holding_a_folder_named_like_a_result_is_refused_untouched(tmp_path: Path) -> None:
    """It used to exit 2 with the new review.xlsx and summary.json already beside the old entry."""
    out = tmp_path / "out"
    (out / "verdicts.csv").mkdir(parents=True)
    refused(invoke(_args(tmp_path, out)), "verdicts.csv")
    assert [p.name for p in out.iterdir()] == ["verdicts.csv"]
    assert not _leftovers(tmp_path)


def test_an_out_holding_other_files_is_refused(tmp_path: Path) -> None:
    """The commit replaces the whole folder: a user's own file there would be lost."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "memo.txt").write_text("大事なメモ")
    refused(invoke(_args(tmp_path, out)), "memo.txt")
    assert (out / "memo.txt").read_text() == "大事なメモ"


def test_a_failure_while_writing_keeps_the_old_results_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The folder is swapped as a whole: a failure (or kill) mid-write leaves the old one."""
    out = tmp_path / "out"
    assert invoke(_args(tmp_path, out)).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert set(before) == OUTPUT_NAMES

    def broken(engine: object, path: Path) -> int:
        path.write_bytes(b"half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(outputs, "write_review", broken)
    refused(invoke(_args(tmp_path, out)), "No space left")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert not _leftovers(tmp_path)


def test_a_second_run_replaces_every_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert invoke(_args(tmp_path, out)).exit_code == 0
    (out / "summary.json").write_text("{}")
    assert invoke(_args(tmp_path, out)).exit_code == 0
    assert json.loads((out / "summary.json").read_text())["record_rows"] > 0
    assert not _leftovers(tmp_path)


def test_folders_left_by_a_killed_run_are_removed_but_not_a_running_ones(tmp_path: Path) -> None:
    """2 of 10 kills during writing left .tenken-XXXXXXXX/ folders that nothing removed."""
    old_style = tmp_path / ".tenken-k1ll3d00"  # before this change: results, no lock
    old_style.mkdir()
    (old_style / "review.xlsx").write_bytes(b"partial")
    dead = tmp_path / ".tenken-deadbeef"  # lock file whose holder died
    (dead / "out").mkdir(parents=True)
    (dead / ".lock").write_text("")
    alive = tmp_path / ".tenken-running1"  # another inspect still writing
    (alive / "out").mkdir(parents=True)
    with (alive / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        assert invoke(_args(tmp_path, tmp_path / "out")).exit_code == 0
    assert _leftovers(tmp_path) == [alive]


def test_an_out_that_cannot_be_created_is_reported_before_the_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not after the whole run, and naming --out rather than a temporary path."""
    (tmp_path / "file").write_text("x")
    out = tmp_path / "file" / "out"

    def must_not_run(*_: object, **__: object) -> None:
        raise AssertionError("the inspection ran before --out was checked")

    monkeypatch.setattr(inspection, "load", must_not_run)
    output = refused(invoke(_args(tmp_path, out)), "--out")
    assert STAGING_PREFIX not in output


def test_a_wrong_truth_file_is_reported_before_the_inspection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--truth with wrong columns used to be reported after the whole run (22 s at 200k)."""
    truth = tmp_path / "truth.csv"
    truth.write_text("a,b\n1,2\n", encoding="utf-8")

    def must_not_run(*_: object, **__: object) -> None:
        raise AssertionError("the inspection ran before --truth was checked")

    monkeypatch.setattr(inspection, "inspect", must_not_run)
    refused(invoke(_args(tmp_path, tmp_path / "out", "--truth", str(truth))), "truth.csv", "列")
    assert not (tmp_path / "out").exists()


def test_a_kill_during_the_commit_never_mixes_old_and_new_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Results used to be moved in one by one: stopping after the first move mixed the two."""
    import os

    out = tmp_path / "out"
    assert invoke(_args(tmp_path, out)).exit_code == 0
    for path in out.iterdir():
        path.write_bytes(b"old")
    real_replace, real_rename, calls = os.replace, os.rename, []

    def killed_after_one(move: object) -> object:
        def step(src: object, dst: object, *args: object, **kwargs: object) -> None:
            if calls and Path(str(dst)).parent == out:
                raise KeyboardInterrupt  # the process stops here
            calls.append(dst)
            move(src, dst, *args, **kwargs)  # type: ignore[operator]

        return step

    monkeypatch.setattr(os, "replace", killed_after_one(real_replace))
    monkeypatch.setattr(os, "rename", killed_after_one(real_rename))
    invoke(_args(tmp_path, out))
    monkeypatch.undo()
    contents = {p.read_bytes() == b"old" for p in out.iterdir()}
    assert len(contents) == 1, "old and new results are mixed in --out"
