"""`tenken survey ingest` on a folder with broken and hostile files: every good file stored,
every bad one named, nothing stops the batch, no My Number printed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tenken.store.ingest import ingest
from tenken.store.models import Response
from tenken.survey.model import Questionnaire
from tests.hostile import fifo, invoke, valid_number
from tests.sheets.conftest import example_data
from tests.store.conftest import Db, survey_round, write_answer


def _json_answer(folder: Path, name: str, org: str) -> Path:
    data = example_data("municipality-complete.json")
    data["respondent"]["組織名"] = org
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_folder_of_json_answers_is_ingested(
    store_db: Db, questionnaire: Questionnaire, tmp_path: Path, django_db_blocker: Any
) -> None:
    """Folder ingest used to skip .json answers and report 「読めない 0 件」."""
    folder = tmp_path / "in"
    _json_answer(folder, "a.json", "14神奈川県相模原市")
    _json_answer(folder, "b.json", "13東京都")
    with django_db_blocker.unblock():
        report = ingest([folder], survey_round(store_db), questionnaire, store_db.alias, workers=1)
        assert report.count("current") == 2
        names = set(Response.objects.using(store_db.alias).values_list("org_name", flat=True))
    assert names == {"14神奈川県相模原市", "13東京都"}


@pytest.mark.parametrize(
    "content",
    ["[" * 100_000 + "]" * 100_000, '{"answers": {"2": ' + "9" * 5000 + "}}", "fifo"],
    ids=["deep-nesting", "5000-digits", "fifo"],
)
def test_one_bad_file_does_not_stop_the_batch(
    store_db: Db,
    questionnaire: Questionnaire,
    blank: bytes,
    tmp_path: Path,
    django_db_blocker: Any,
    content: str,
) -> None:
    """A RecursionError in one JSON used to stop a multi-file ingest: later files were lost."""
    folder = tmp_path / "in"
    folder.mkdir()
    bad = folder / "0-bad.json"
    if content == "fifo":
        fifo(bad)
    else:
        bad.write_text(content, encoding="utf-8")
    write_answer(folder, "1-good.xlsx", questionnaire, blank)
    _json_answer(folder, "2-good.json", "13東京都")
    with django_db_blocker.unblock():
        report = ingest([folder], survey_round(store_db), questionnaire, store_db.alias, workers=1)
    outcomes = {Path(p).name: o for p, o, _ in report.outcomes}
    assert outcomes["1-good.xlsx"] == "current" and outcomes["2-good.json"] == "current"
    assert outcomes["0-bad.json"] == "rejected"


def test_ingest_output_masks_a_my_number(
    store_db: Db, questionnaire: Questionnaire, tmp_path: Path, django_db_blocker: Any
) -> None:
    """An organisation name or a rejected file's message holding a My Number is masked."""
    if store_db.options:
        pytest.skip("the CLI's --db cannot select the per-test PostgreSQL schema")
    number = valid_number()
    folder = tmp_path / "in"
    _json_answer(folder, "a.json", f"番号{number}")
    (folder / "b.json").write_text(json.dumps({"answers": {number: "①"}}), encoding="utf-8")
    with django_db_blocker.unblock():
        survey_round(store_db)
        result = invoke(["survey", "ingest", str(folder), *store_db.cli_args()])
    assert result.exit_code == 2, result.output
    assert number not in result.output.replace("\n", "")
    assert number[-4:] in result.output


@pytest.mark.parametrize("as_json", [True, False], ids=["json", "table"])
def test_status_masks_a_my_number_in_names(
    store_db: Db,
    questionnaire: Questionnaire,
    tmp_path: Path,
    django_db_blocker: Any,
    as_json: bool,
) -> None:
    """`survey status --json` printed an organisation name (and file name) holding a My Number
    in full; the table already masked it."""
    if store_db.options:
        pytest.skip("the CLI's --db cannot select the per-test PostgreSQL schema")
    number = valid_number()
    folder = tmp_path / "in"
    _json_answer(folder, f"{number}.json", f"番号{number}")
    with django_db_blocker.unblock():
        survey_round(store_db, roster=[("13東京都", "都道府県")])
        assert invoke(["survey", "ingest", str(folder), *store_db.cli_args()]).exit_code == 0
        args = ["survey", "status", *store_db.cli_args(), *(["--json"] if as_json else [])]
        result = invoke(args)
    assert result.exit_code == 0, result.output
    assert number not in result.output.replace("\n", "")
    assert number[-4:] in result.output


@pytest.mark.parametrize(
    "url",
    [
        "foo://tenken:S3cretPW@db.example/tenken",
        "postgres://tenken:S3cretPW@db.example:port/tenken",
        "mysql://tenken:S3cretPW@db.example/tenken",
        "mysql://tenken@db.example/tenken?password=S3cretPW",
    ],
    ids=["scheme", "port", "engine", "query"],
)
def test_a_bad_database_url_is_named_without_its_password(url: str) -> None:
    """The error echoed the whole --db URL, password included, to the terminal (and logs)."""
    result = invoke(["survey", "status", "--db", url])
    assert result.exit_code == 2, result.output
    assert "S3cretPW" not in result.output
    assert "db.example" in result.output  # still says which database
