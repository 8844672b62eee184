"""The --out commit of `tenken survey report`: the folder is replaced as a whole (as for
`tenken inspect`), checked before the work, and what a killed run left is removed."""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path

import pytest

from tenken.survey.report import ReportData, write_report
from tests.hostile import invoke, refused
from tests.survey.test_report import report  # noqa: F401  (the fixture)
from tests.survey.test_report_cli import answers_dir

STAGING_PREFIX = ".tenken-"


def _report_args(tmp_path: Path, out: Path, *extra: str) -> list[str]:
    return ["survey", "report", "--answers", str(answers_dir(tmp_path)), "--out", str(out), *extra]


def test_a_run_without_json_leaves_no_stale_report_json(report: ReportData, tmp_path: Path) -> None:  # noqa: F811
    """Files were moved in one by one: a report.json of an earlier run stayed beside new files."""
    out = tmp_path / "out"
    write_report(report, out, with_json=True)
    write_report(report, out)
    assert not (out / "report.json").exists()


def test_folders_left_by_a_killed_run_are_removed(report: ReportData, tmp_path: Path) -> None:  # noqa: F811
    dead = tmp_path / ".tenken-deadbeef"  # lock file whose holder died
    (dead / "out").mkdir(parents=True)
    (dead / ".lock").write_text("")
    alive = tmp_path / ".tenken-running1"  # another run still writing
    (alive / "out").mkdir(parents=True)
    with (alive / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        write_report(report, tmp_path / "out")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".tenken-running1", "out"]


def test_a_kill_during_the_commit_never_mixes_old_and_new_files(
    report: ReportData,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Report files used to be moved in one by one: stopping after the first mixed the two."""
    out = tmp_path / "out"
    for path in write_report(report, out):
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
    with contextlib.suppress(KeyboardInterrupt):  # one rename(2) swap has no second move
        write_report(report, out)
    monkeypatch.undo()
    contents = {p.read_bytes() == b"old" for p in out.iterdir()}
    assert len(contents) == 1, "old and new report files are mixed in --out"


def test_an_out_holding_other_files_is_refused_untouched(tmp_path: Path) -> None:
    """The commit replaces the whole folder: a user's own file there would be lost."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "memo.txt").write_text("大事なメモ")
    refused(invoke(_report_args(tmp_path, out)), "memo.txt")
    assert [p.name for p in out.iterdir()] == ["memo.txt"]
    assert not list(tmp_path.glob(f"{STAGING_PREFIX}*"))
