"""MJ縮退, variation selectors and the 〓 of a system that cannot hold a 外字."""

from __future__ import annotations

import importlib.util
from importlib.resources import files
from pathlib import Path

import pytest

from tenken.normalize import itaiji
from tenken.normalize.gaiji import decode, geta_stands_for
from tenken.normalize.name import compare_names, name_key

IVS = "\U000e0100"


def _shrink_rows() -> list[list[str]]:
    text = files("tenken.normalize").joinpath("data/mj_shrink.tsv").read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


@pytest.mark.parametrize(
    ("registry", "record"),
    [
        ("𠮷田", "吉田"),
        ("德永", "徳永"),
        ("棃本", "梨本"),
        ("﨑山", "崎山"),
        ("葛" + IVS + "西", "葛西"),
        ("渡邉" + IVS, "渡辺"),
    ],
)
def test_an_mj_character_and_its_degeneration_are_one_name(registry: str, record: str) -> None:
    assert compare_names(registry, record) == "match"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("𠮷田", "古田"),
        ("德永", "徳長"),
        ("葛" + IVS + "西", "萬西"),
        ("齋藤", "斉藤"),
        ("斎藤", "斉藤"),
    ],
)
def test_a_different_kanji_is_still_a_different_name(a: str, b: str) -> None:
    assert compare_names(a, b) == "mismatch"


def test_the_shrink_table_maps_outside_jis_x0208_to_inside_only() -> None:
    """Every source is a character a JIS X 0208 system cannot hold, every target one it can:
    the table never merges two JIS X 0208 characters (two names, like 斉 and 斎)."""
    rows = _shrink_rows()
    assert len(rows) > 10_000
    for source, target, _sources in rows:
        with pytest.raises(UnicodeEncodeError):
            source.encode("shift_jis")
        target.encode("shift_jis")


def test_folding_is_a_fixed_point() -> None:
    """A folded character is never folded again (keys are stable under re-normalisation)."""
    table = itaiji.table()
    assert all(ord(standard) not in table or table[ord(standard)] == standard
               for standard in table.values())  # fmt: skip


def test_decode_replaces_listed_codes_only() -> None:
    table = {"\ue001": "邉" + IVS}
    assert decode("渡\ue001 太\ue002", table) == "渡邉" + IVS + " 太\ue002"
    assert compare_names(decode("渡\ue001", table), "渡辺") == "match"
    assert compare_names(decode("渡\ue002", table), "渡辺") == "unverifiable"


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("渡〓 太郎", "渡邉" + IVS + "　太郎", True),  # an IVS 字形: outside JIS X 0208
        ("〓田", "𠮷田", True),
        ("〓田", "吉田", False),  # 吉 is in JIS X 0208: the system could have written it
        ("〓田", "\ue000田", False),  # an unknown 外字 against 〓: nothing is known
        ("〓〓", "𠮷" + "邉" + IVS, True),
        ("〓田花子", "𠮷田太郎", False),  # the rest must agree
        ("〓田", "𠮷田田", False),
        ("𠮷田", "吉田", False),  # no 〓: not this rule (name_key decides)
    ],
)
def test_geta_stands_for_a_character_outside_jis_x0208(a: str, b: str, expected: bool) -> None:
    assert geta_stands_for(a, b) is expected
    assert geta_stands_for(b, a) is expected


def test_name_keys_of_ordinary_names_are_unchanged() -> None:
    assert name_key("山田　太郎") == "山田太郎"
    assert name_key("髙橋") == "高橋"


@pytest.mark.slow
def test_shrink_table_matches_a_rebuild_from_the_mj_map(tmp_path: Path) -> None:
    """Rebuilding from the installed jntajis-python (the MJ縮退マップ) gives the bundled table."""
    pytest.importorskip("jntajis")
    spec = importlib.util.spec_from_file_location(
        "build_mj", Path(__file__).parents[2] / "scripts/build_mj_shrink_table.py"
    )
    assert spec and spec.loader
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    build.OUT = tmp_path / "mj_shrink.tsv"
    build.main()
    bundled = files("tenken.normalize").joinpath("data/mj_shrink.tsv").read_text(encoding="utf-8")
    assert build.OUT.read_text(encoding="utf-8") == bundled
