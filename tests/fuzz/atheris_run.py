"""Coverage-guided fuzzing of the readers with atheris (libFuzzer): ``python atheris_run.py
json|xlsx|csv -max_total_time=30``. Run by tests/fuzz/test_fuzz.py; crashes are written to
``-artifact_prefix``. Only tenken's own modules are instrumented (fast enough for CI)."""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

with atheris.instrument_imports(include=["tenken"]):
    from tests.fuzz import targets


def _xlsx(data: bytes) -> None:
    # Half the inputs mutate a real sheet's worksheet part, half are raw bytes.
    if data[:1] == b"\x00":
        targets.xlsx_answer(targets.rebuilt_sheet({"xl/worksheets/sheet1.xml": data[1:]}))
    else:
        targets.xlsx_answer(b"PK\x03\x04" + data)


TARGETS = {
    "json": targets.json_answer,
    "xlsx": _xlsx,
    "csv": lambda data: targets.records_file(targets.HEADER.encode() + b"\n" + data, ".csv"),
}


def main() -> None:
    target = TARGETS[sys.argv[1]]
    targets.questionnaire()
    targets.sheet()
    atheris.Setup([sys.argv[0], *sys.argv[2:]], target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
