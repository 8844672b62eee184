"""A bounded fuzz suite over the JSON, xlsx and CSV readers (hypothesis).

Each input runs under a hard time limit (:func:`tests.hostile.deadline`, 10 s: a hang fails the
test instead of stalling CI) and hypothesis' own deadline. ``TENKEN_FUZZ_EXAMPLES`` sets the
number of inputs per target (default 60; about a minute for the whole suite on CI).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tenken.linkage.outputs import OUTPUT_NAMES
from tests.fuzz import targets
from tests.hostile import deadline, valid_number

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
EXAMPLES = int(os.environ.get("TENKEN_FUZZ_EXAMPLES", "60"))
ATHERIS_SECONDS = int(os.environ.get("TENKEN_ATHERIS_SECONDS", "20"))
LIMIT_SECONDS = 10
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # the hard limit below catches hangs; hypothesis' would only time them
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,  # the same inputs on every CI run; explore with HYPOTHESIS_SEED locally
)

NUMBER = valid_number()
_SCALAR = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
    st.text(max_size=30),
    st.sampled_from(["①", "②", NUMBER, "x" * 5000, "\x1b[2J", "\u202e", "[/x]", "[red]"]),
)  # fmt: skip
_JSON = st.recursive(
    _SCALAR,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(["1-1", "2", "6", "組織名", NUMBER, "x"]), inner, max_size=4
        )
    ),
    max_leaves=20,
)
_KEYS = st.sampled_from(["respondent", "answers", "questionnaire", NUMBER])


@st.composite
def json_documents(draw: st.DrawFn) -> bytes:
    """Documents near the expected shape, then sometimes broken at the byte level."""
    doc = draw(st.dictionaries(_KEYS, _JSON, max_size=3))
    data = json.dumps(doc, ensure_ascii=draw(st.booleans())).encode()
    cut = draw(st.sampled_from(["none", "none", "truncate", "nest", "digits", "bytes"]))
    if cut == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    elif cut == "nest":
        depth = draw(st.integers(1, 50_000))
        data = b"[" * depth + data + b"]" * depth
    elif cut == "digits":
        data = data.replace(b"}", b', "2": ' + b"9" * draw(st.integers(1, 6000)) + b"}", 1)
    elif cut == "bytes":
        data = data + draw(st.binary(max_size=40))
    return data


@FUZZ
@given(json_documents())
def test_json_answers(data: bytes) -> None:
    with deadline(LIMIT_SECONDS):
        targets.json_answer(data)


@FUZZ
@given(st.binary(max_size=2000))
def test_json_answers_from_raw_bytes(data: bytes) -> None:
    with deadline(LIMIT_SECONDS):
        targets.json_answer(data)


_PARTS = ["xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/workbook.xml",
          "xl/_rels/workbook.xml.rels", "[Content_Types].xml", "xl/styles.xml"]  # fmt: skip


@st.composite
def mutated_sheets(draw: st.DrawFn) -> bytes:
    """The seed sheet with one part cut, re-encoded, given a DTD or flipped at some bytes."""
    from tests.hostile import member

    seed = targets.sheet()
    name = draw(st.sampled_from(_PARTS))
    part = member(seed, name)
    how = draw(st.sampled_from(["cut", "utf16", "dtd", "flip", "dimension", "number"]))
    if how == "cut":
        part = part[: draw(st.integers(0, len(part)))]
    elif how == "utf16":
        part = part.decode().replace("<?xml", "<?xml_", 1).encode("utf-16")
    elif how == "dtd":
        part = b'<!DOCTYPE x [<!ENTITY e "' + b"e" * 1000 + b'">]>' + part
    elif how == "flip":
        for _ in range(draw(st.integers(1, 5))):
            k = draw(st.integers(0, max(len(part) - 1, 0)))
            part = part[:k] + bytes([draw(st.integers(0, 255))]) + part[k + 1 :]
    elif how == "dimension":
        part = part.replace(b'<dimension ref="', b'<dimension ref="A1:XFD1048576" x="', 1)
        part = part.replace(
            b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
        )
    else:
        part = part.replace(b't="inlineStr"><is><t>', b't="n"><v>' + NUMBER.encode() + b"</v><x>")
    return targets.rebuilt_sheet({name: part})


@FUZZ
@given(mutated_sheets())
def test_xlsx_answer_sheets(data: bytes) -> None:
    with deadline(LIMIT_SECONDS):
        targets.xlsx_answer(data)


@FUZZ
@given(st.binary(max_size=3000))
def test_xlsx_from_raw_bytes(data: bytes) -> None:
    with deadline(LIMIT_SECONDS):
        targets.xlsx_answer(b"PK\x03\x04" + data)


_CELL = st.one_of(
    st.sampled_from(["", " ", "K1", "K1", NUMBER, "1980-01-02", "=1+1", '"', "\x00", "山田"]),
    st.text(max_size=8),
)


@st.composite
def csv_records(draw: st.DrawFn) -> bytes:
    rows = draw(st.lists(st.lists(_CELL, min_size=0, max_size=10), max_size=8))
    lines = [targets.HEADER, *(",".join(row) for row in rows)]
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp932"]))
    data = "\n".join(lines).encode(encoding, errors="replace")
    if draw(st.booleans()):
        data += draw(st.binary(max_size=20))
    return data


@FUZZ
@given(csv_records())
def test_records_csv(data: bytes) -> None:
    with deadline(LIMIT_SECONDS):
        targets.records_file(data, ".csv")


@settings(FUZZ, max_examples=max(EXAMPLES // 3, 10))
@given(st.lists(st.lists(_CELL, max_size=9), max_size=6), st.integers(0, 3))
def test_records_xlsx(rows: list[list[str]], stray: int) -> None:
    """Excel records with blanks, stray cells and duplicates: an error, or a table that holds
    exactly the non-blank rows."""
    import io

    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(targets.HEADER.split(","))
    for row in rows:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) for v in row])  # Excel cannot hold them
    if stray:
        sheet.cell(row=100 * stray, column=20, value="メモ")
    out = io.BytesIO()
    book.save(out)
    with deadline(LIMIT_SECONDS):
        targets.records_file(out.getvalue(), ".xlsx")


@pytest.mark.skipif(
    subprocess.run([sys.executable, "-c", "import atheris"], capture_output=True).returncode,
    reason="atheris is not installed",
)
@pytest.mark.timeout(3 * (ATHERIS_SECONDS + 120) + 60)  # a longer run asked for is no hang
def test_coverage_guided_run_finds_nothing(tmp_path: Path) -> None:
    """A bounded atheris run (``TENKEN_ATHERIS_SECONDS``, default 20 s per target)."""
    seconds = str(ATHERIS_SECONDS)
    runner = Path(__file__).with_name("atheris_run.py")
    for target in ("json", "xlsx", "csv"):
        result = subprocess.run(
            [sys.executable, str(runner), target, f"-max_total_time={seconds}",
             f"-timeout={LIMIT_SECONDS}", "-rss_limit_mb=2048", f"-artifact_prefix={tmp_path}/"],
            capture_output=True, text=True, timeout=int(seconds) + 120,
            cwd=Path(__file__).resolve().parents[2],
        )  # fmt: skip
        assert result.returncode == 0, (target, result.stderr[-3000:])


@settings(FUZZ, max_examples=max(EXAMPLES // 6, 5))
@given(
    st.lists(st.tuples(st.integers(0, 19), st.integers(0, 7), _CELL), max_size=6),
    st.sampled_from(["csv", "xlsx"]),
)
def test_inspect_end_to_end(edits: list[tuple[int, int, str]], kind: str) -> None:
    """`tenken inspect` on the fixtures with some cells changed: exit 0 or 2, no exception,
    no unmasked My Number, and --out either untouched or complete; no staging folder left."""
    import tempfile

    from tests.hostile import invoke, no_exception
    from tests.linkage import fixtures

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        registry, _ = fixtures.write(root / "in")
        rows = [list(r) for r, _, _ in fixtures.RECORDS]
        for row, column, value in edits:
            # Control characters crash review.xlsx today: tests/linkage/test_hostile_inputs.py
            # holds that case as a strict xfail until issue 14's xlsxwriter writer lands.
            rows[row % len(rows)][column] = CONTROL.sub("", value)
        header = targets.HEADER.split(",")
        if kind == "csv":
            records = fixtures.write_csv(root / "r.csv", header, [tuple(r) for r in rows])
        else:
            from openpyxl import Workbook
            from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

            book = Workbook()
            sheet = book.active
            assert sheet is not None
            for row in [header, *rows]:
                sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) for v in row])
            records = root / "r.xlsx"
            book.save(records)
        out = root / "out"
        args = [
            "inspect",
            "--registry",
            str(registry),
            "--records",
            str(records),
            "--out",
            str(out),
        ]
        with deadline(60):
            result = invoke(args)
        no_exception(result)
        assert result.exit_code in (0, 2), result.output
        targets.assert_no_number(result.output.replace("\n", ""))
        if result.exit_code == 0:
            assert {p.name for p in out.iterdir()} == OUTPUT_NAMES
        else:
            assert not out.exists()
        assert not list(root.glob(".tenken-*"))


@settings(FUZZ, max_examples=max(EXAMPLES // 3, 10))
@given(json_documents(), st.booleans())
def test_survey_check_cli(data: bytes, as_json: bool) -> None:
    """The whole `survey check` command, printing included (rich markup in values, control
    characters, long values): exit 0, 1 or 2, no exception, no unmasked My Number."""
    import tempfile

    from tests.hostile import invoke, no_exception

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "answer.json"
        path.write_bytes(data)
        with deadline(LIMIT_SECONDS * 3):
            result = invoke(["survey", "check", str(path), *(["--json"] if as_json else [])])
    no_exception(result)
    assert result.exit_code in (0, 1, 2), result.output
    targets.assert_no_number(result.output.replace("\n", ""))
