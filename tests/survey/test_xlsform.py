"""XLSForm in and out: our questionnaire round-trips; forms written by others convert or are
refused with every unsupported cell listed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tenken.cli import app
from tenken.errors import SpecError
from tenken.survey.loader import build
from tenken.survey.pack import load_bundled_pack, resolve_pack
from tenken.survey.xlsform import XLSFormRefused, export_xlsform, import_xlsform
from tests.data.xlsform.md_to_xlsx import forms, md_to_xlsx
from tests.packs.kikan import PACK_DIR

runner = CliRunner()


@pytest.mark.parametrize("where", ["bundled", str(PACK_DIR)])
def test_round_trip_is_lossless(where: str) -> None:
    """import(export(q)) == q, for the bundled questionnaire and the test pack."""
    q = (load_bundled_pack() if where == "bundled" else resolve_pack(where)).questionnaire
    back = build(import_xlsform(export_xlsform(q), "form.xlsx", "x"), "form.xlsx")
    assert back == q


def test_cli_export_then_import(tmp_path: Path) -> None:
    """The two commands: the pack written by import-xlsform loads as the bundled questionnaire."""
    form, pack = tmp_path / "form.xlsx", tmp_path / "pack"
    for args in (
        ["survey", "export-xlsform", "mhlw-2023-shokugyo-tenkan", "--out", str(form)],
        ["survey", "import-xlsform", str(form), "--out", str(pack)],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    assert resolve_pack(str(pack)).questionnaire == load_bundled_pack().questionnaire


FORMS = forms()


def test_a_dozen_outside_forms() -> None:
    assert len(FORMS) >= 12 and {f["source"]["repo"] for f in FORMS} == {"XLSForm/pyxform"}
    outcomes = {next(iter(f["expect"])) for f in FORMS}
    assert outcomes == {"converts", "refused", "invalid"}


@pytest.mark.parametrize("form", FORMS, ids=[f["id"] for f in FORMS])
def test_outside_form(form: dict[str, Any]) -> None:
    """Each pyxform test form converts, or is refused naming exactly its unsupported cells."""
    data, expect = md_to_xlsx(form["md"]), form["expect"]
    if "refused" in expect:
        with pytest.raises(XLSFormRefused) as info:
            import_xlsform(data, f"{form['id']}.xlsx", form["id"])
        cells = sorted(f"{r.sheet} {r.row} {r.column}" for r in info.value.rows)
        assert cells == sorted(expect["refused"])
        for cell in expect["refused"]:
            sheet, row, column = cell.split(" ")
            assert f"{sheet} {row}行目 {column}" in str(info.value)
        return
    raw = import_xlsform(data, f"{form['id']}.xlsx", form["id"])
    if "invalid" in expect:
        with pytest.raises(SpecError, match=expect["invalid"]):
            build(raw, form["id"])
        return
    q = build(raw, form["id"])
    assert [f.name for f in q.fields] == expect["converts"]
    assert q.id == expect.get("id", form["id"]) and q.title == expect.get("title", q.id)
    again = build(import_xlsform(export_xlsform(q), "again.xlsx", "x"), "again")
    assert again == q


def test_cli_refusal_lists_every_row_and_writes_nothing(tmp_path: Path) -> None:
    form = tmp_path / "group.xlsx"
    form.write_bytes(md_to_xlsx(next(f for f in FORMS if f["id"] == "group-type")["md"]))
    result = runner.invoke(
        app, ["survey", "import-xlsform", str(form), "--out", str(tmp_path / "p")]
    )
    assert result.exit_code == 2
    for row in ("survey 3行目 type", "survey 6行目 type", "survey 7行目 type"):
        assert row in result.output
    assert not (tmp_path / "p").exists()


def test_not_a_workbook_is_a_clear_error(tmp_path: Path) -> None:
    form = tmp_path / "form.xlsx"
    form.write_bytes(b"not a zip")
    result = runner.invoke(app, ["survey", "import-xlsform", str(form), "--out", str(tmp_path)])
    assert result.exit_code == 2 and "form.xlsx" in result.output


@pytest.mark.parametrize("where", ["bundled", str(PACK_DIR)])
def test_exported_form_converts_with_pyxform(where: str, tmp_path: Path) -> None:
    """pyxform (the converter KoboToolbox and ODK use) turns our export into an XForm without
    warnings: names are XML names (1-1 → q1-1) and references follow them."""
    from pyxform.xls2xform import convert

    q = (load_bundled_pack() if where == "bundled" else resolve_pack(where)).questionnaire
    form = tmp_path / "form.xlsx"
    form.write_bytes(export_xlsform(q))
    result = convert(xlsform=str(form), validate=False)
    assert result.warnings == []
    if where == "bundled":
        assert "q7-2" in result.xform and "${7-2}" not in result.xform
