"""The fuzz targets: each reader, fed arbitrary bytes, must return a result or raise an
:class:`~tenken.errors.InputError` — never another exception, never a hang (the callers put a
time limit on each input) and never a message holding a valid My Number.

Shared by the hypothesis suite (tests/fuzz/test_fuzz.py) and the coverage-guided atheris run
(tests/fuzz/atheris_run.py), so both fuzz exactly the same code paths.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from tenken.errors import InputError
from tenken.linkage import checks
from tenken.linkage.checks import Input
from tenken.linkage.columns import RECORD_COLUMNS
from tenken.linkage.engine import DuckDBEngine
from tenken.normalize.mynumber import is_valid
from tenken.survey.document import AnswerDocument, parse_json_bytes
from tenken.survey.engine import evaluate
from tenken.survey.loader import load_bundled
from tenken.survey.model import Questionnaire
from tenken.survey.xlsx.reader import read_sheet_bytes

_TWELVE = re.compile(r"(?<!\d)\d{12}(?!\d)")
HEADER = ",".join(c.header for c in RECORD_COLUMNS)


@lru_cache(maxsize=1)
def questionnaire() -> Questionnaire:
    return load_bundled()


@lru_cache(maxsize=1)
def sheet() -> bytes:
    """A filled answer sheet: the seed the xlsx mutations start from."""
    from tenken.survey.document import parse_document
    from tenken.survey.xlsx.fill import fill_sheet
    from tenken.survey.xlsx.writer import form_bytes

    q = questionnaire()
    document = parse_document({"respondent": {"組織名": "13東京都"}}, q, "<seed>")
    return fill_sheet(form_bytes(q), q, document)


def assert_no_number(text: str) -> None:
    """No valid My Number in ``text`` (what a user would see)."""
    for match in _TWELVE.findall(text):
        assert not is_valid(match), f"unmasked My Number in: {text[:200]}"


def _answer(data: bytes, reader: Callable[[bytes, Questionnaire, str], AnswerDocument]) -> None:
    """Read and evaluate: an InputError or problems, with no My Number in either."""
    q = questionnaire()
    try:
        document = reader(data, q, "fuzz")
    except InputError as error:
        assert_no_number(str(error))
        return
    for problem in evaluate(q, document).problems:
        assert_no_number(problem.message)


def json_answer(data: bytes) -> None:
    _answer(data, parse_json_bytes)


def rebuilt_sheet(members: dict[str, bytes]) -> bytes:
    """The seed sheet with some members replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(sheet())) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item.filename, members.get(item.filename, src.read(item.filename)))
    return out.getvalue()


def xlsx_answer(data: bytes) -> None:
    _answer(data, read_sheet_bytes)


def records_file(data: bytes, suffix: str) -> None:
    """inspect's reader: an InputError, or a table whose checked ID column has no blank."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"records{suffix}"
        path.write_bytes(data)
        engine = DuckDBEngine(threads=1)
        try:
            records = Input("rec_in", engine.load("rec_in", path, RECORD_COLUMNS, {}))
            checks.check_unique(engine, records, "rid")
            ids = engine.arrow("SELECT rid FROM rec_in").column(0).to_pylist()
        except InputError as error:
            assert_no_number(str(error))
            return
        finally:
            engine.close()
        assert all(i is not None and i.strip() for i in ids)
        assert len(set(ids)) == len(ids)
