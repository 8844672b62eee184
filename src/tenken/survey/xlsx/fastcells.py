"""A fast path for reading the few cells the reader needs, straight from the package's XML.

openpyxl builds an object per cell and style (about 10 ms for our small sheet); ingesting
1,788 sheets spends most of its time there. This module reads only the wanted cells of the
two worksheets, and gives up (returns ``None``) on anything it does not handle exactly like
openpyxl: a wanted input cell holding a number, boolean, error or date (openpyxl applies the
cell's number format), a shared or array formula, a cell without its reference, or any
structure it does not expect. The caller then reads the file with openpyxl, which stays the
reference; tests/sheets/test_fastcells.py holds the two paths to the same results.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Iterable, Mapping
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from openpyxl.xml.functions import fromstring

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"

Cells = dict[str, tuple[Any, str]]


class _GiveUp(Exception):
    """The file needs openpyxl's full reading."""


def _text(node: Element) -> str:
    """Text of a string item: its ``t`` plus the ``t`` of rich runs (phonetic runs excluded)."""
    parts = [node.findtext(f"{NS}t") or ""]
    parts.extend(run.findtext(f"{NS}t") or "" for run in node.findall(f"{NS}r"))
    return "".join(parts)


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    workbook = fromstring(archive.read("xl/workbook.xml"))
    rels = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{PKG_REL_NS}Relationship")}
    parts: dict[str, str] = {}
    for sheet in workbook.iter(f"{NS}sheet"):
        target = targets.get(sheet.get(f"{REL_NS}id"))
        if not target:
            raise _GiveUp
        path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        parts[sheet.get("name", "")] = posixpath.normpath(path)
    return parts


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    try:
        data = archive.read("xl/sharedStrings.xml")
    except KeyError:
        return []
    root = fromstring(data)
    return [_text(si).replace("x005F_", "") for si in root.iter(f"{NS}si")]


def _cell(node: Element, strings: list[str], formula_wanted: bool) -> tuple[Any, str]:
    kind = node.get("t", "n")
    formula = node.find(f"{NS}f")
    if formula is not None:
        if formula.get("t") in ("shared", "array") or formula.text is None:
            raise _GiveUp
        return "=" + formula.text, "f"
    if formula_wanted and kind not in ("s", "inlineStr"):
        # Deleted or overwritten formula cells are reported by the reader: let openpyxl say
        # exactly what the cell holds.
        raise _GiveUp
    if kind == "s":
        value = node.findtext(f"{NS}v")
        if value is None:
            return None, "n"
        return strings[int(value)], "s"
    if kind == "inlineStr":
        inline = node.find(f"{NS}is")
        return (_text(inline) if inline is not None else None), "s"
    if node.find(f"{NS}v") is None:
        return None, "n"
    raise _GiveUp  # numbers, booleans, errors, dates: openpyxl knows the number formats


def _read_sheet(data: bytes, wanted: set[str], formulas: set[str], strings: list[str]) -> Cells:
    cells: Cells = {}
    root = fromstring(data)
    for node in root.iter(f"{NS}c"):
        ref = node.get("r")
        if ref is None:
            raise _GiveUp
        if ref in wanted:
            value, kind = _cell(node, strings, ref in formulas)
            if value is not None:
                cells[ref] = (value, kind)
    return cells


def read_cells(
    data: bytes, wanted: Mapping[str, Iterable[str]], formulas: Mapping[str, Iterable[str]]
) -> dict[str, Cells] | None:
    """The wanted cells of each named sheet, or ``None`` when openpyxl must read the file."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = _sheet_parts(archive)
            if not set(wanted) <= set(parts):
                return None
            strings = _shared_strings(archive)
            return {
                sheet: _read_sheet(
                    archive.read(parts[sheet]), set(cells), set(formulas.get(sheet, ())), strings
                )
                for sheet, cells in wanted.items()
            }
    except (_GiveUp, KeyError, ValueError, IndexError, ParseError, zipfile.BadZipFile):
        return None
    except Exception:  # lxml raises its own XMLSyntaxError; openpyxl will report the file
        return None
