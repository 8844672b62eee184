"""XLSForm in and out: a questionnaire as the workbook KoboToolbox and ODK tools read.

Sheets ``survey``, ``choices`` and ``settings`` (names and headers case-insensitive, as in
pyxform). What our questionnaires hold beyond XLSForm travels in ``tenken_`` columns, so an
exported form reads back exactly (``import(export(q)) == q``):

* survey: ``tenken_name`` (our name when it is not an XML name, e.g. ``1-1``: XLSForm's
  ``name`` then gets a ``q`` in front and every reference is rewritten to it),
  ``tenken_section``, ``tenken_question``, ``tenken_notes`` (JSON list),
  ``tenken_filled_by``, ``tenken_followup_of``, ``tenken_attachments`` (JSON)
* choices: ``tenken_note``
* settings: ``tenken_meta`` and ``tenken_attachments`` (JSON)

On import, everything our expression subset and model cannot express (other types such as
``note``/``calculate``/groups, columns such as ``choice_filter``, ``readonly``, translated
labels, ``${..}`` inserted into labels) is refused with one message listing every such cell.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook, load_workbook

from tenken.errors import InputError, Location, SpecError
from tenken.survey.expr import parse
from tenken.survey.model import Attachment, Questionnaire
from tenken.xlsxguard import check_workbook_bytes

_T = "tenken_"
_SURVEY_COLUMNS = (
    "type", "name", "label", "hint", "relevant", "required", "constraint", "constraint_message",
    f"{_T}name", f"{_T}section", f"{_T}question", f"{_T}notes", f"{_T}filled_by",
    f"{_T}followup_of", f"{_T}attachments",
)  # fmt: skip
_CHOICE_COLUMNS = ("list_name", "name", "label", f"{_T}note")
_SETTINGS_COLUMNS = ("form_id", "form_title", "version", f"{_T}meta", f"{_T}attachments")
_ALIASES = {
    "survey": {"value": "name", "constraint_msg": "constraint_message"},
    "choices": {"value": "name", "list": "list_name"},
    "settings": {"id_string": "form_id", "title": "form_title"},
}
_TYPES = {"text": "text", "integer": "integer", "int": "integer", "decimal": "decimal",
          "date": "date"}  # fmt: skip
_SELECTS = ("select_one", "select_multiple")
_TRUE = {"yes", "true", "true()", "1"}
_FALSE = {"", "no", "false", "false()", "0"}
_INSERTED = re.compile(r"\$\{[^}]*\}")


@dataclass(frozen=True)
class Unsupported:
    """One cell of the form that a questionnaire cannot hold."""

    sheet: str
    row: int
    column: str
    what: str

    def __str__(self) -> str:
        return f"{self.sheet} {self.row}行目 {self.column}: {self.what}"


class XLSFormRefused(InputError):
    """The form uses what our questionnaires cannot express; ``rows`` lists every cell."""

    code = "xlsform_unsupported"

    def __init__(self, source: str, rows: Sequence[Unsupported]) -> None:
        listing = "\n".join(f"  - {r}" for r in rows)
        super().__init__(
            f"XLSForm {source} の {len(rows)} か所は tenken の調査票で表せません:\n{listing}",
            location=Location(source),
            hint="表せる型: text・integer・decimal・date・select_one・select_multiple。"
            "式は =、!=、<、>、and、or、not()、selected()、count-selected() など",
        )
        self.rows = tuple(rows)


# ---------------------------------------------------------------- export


def export_xlsform(q: Questionnaire) -> bytes:
    """The questionnaire as an XLSForm workbook (expressions keep their source text)."""
    wb = Workbook()
    survey = wb.active
    survey.title = "survey"
    survey.append(list(_SURVEY_COLUMNS))
    names = xml_names(f.name for f in q.fields)
    for f in q.fields:
        kind = f"{f.kind} {f.list_name}" if f.list_name else f.kind
        own = f.name if names[f.name] != f.name else ""
        survey.append(
            [
                kind, names[f.name], f.label, f.hint or "",
                _renamed(_src(f.relevant), names), "yes" if f.required else "",
                _renamed(_src(f.constraint), names), f.constraint_message or "", own,
                f.section, f.question or "",
                json.dumps(list(f.notes), ensure_ascii=False) if f.notes else "",
                f.filled_by, f.followup_of or "", _attachments_json(f.attachments, names),
            ]
        )  # fmt: skip
    choices = wb.create_sheet("choices")
    choices.append(list(_CHOICE_COLUMNS))
    for name, choice_list in q.lists.items():
        for c in choice_list.choices:
            choices.append([name, c.name, c.label, c.note or ""])
    settings = wb.create_sheet("settings")
    settings.append(list(_SETTINGS_COLUMNS))
    meta = json.dumps(q.meta, ensure_ascii=False) if q.meta else ""
    settings.append([q.id, q.title, q.version, meta, _attachments_json(q.attachments, names)])
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                cell.number_format = "@"  # codes such as 1-1 and 2023-07 stay text
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


_XML_NAME = re.compile(r"[^\W\d][\w.\-]*")
_REF = re.compile(r"\$\{([^}]*)\}")


def xml_names(names: Iterator[str] | Sequence[str]) -> dict[str, str]:
    """Our field names as XLSForm (XML) names: kept when valid, else ``q`` + name (unique)."""
    result: dict[str, str] = {}
    wanted = list(names)
    taken = {n for n in wanted if _XML_NAME.fullmatch(n)}
    for name in wanted:
        if _XML_NAME.fullmatch(name):
            result[name] = name
            continue
        candidate = "q" + re.sub(r"[^\w.\-]", "_", name)
        while candidate in taken:
            candidate = "q" + candidate
        taken.add(candidate)
        result[name] = candidate
    return result


def _renamed(source: str, names: dict[str, str]) -> str:
    """``${old}`` references rewritten by ``names`` (references are delimited, so text is safe)."""
    return _REF.sub(lambda m: "${" + names.get(m.group(1), m.group(1)) + "}", source)


def _src(expr: Any) -> str:
    return str(expr) if expr is not None else ""


def _attachments_json(attachments: Sequence[Attachment], names: dict[str, str]) -> str:
    if not attachments:
        return ""
    items = []
    for a in attachments:
        item: dict[str, Any] = {"name": a.name, "label": a.label}
        if a.relevant is not None:
            item["relevant"] = _renamed(str(a.relevant), names)
        if a.required:
            item["required"] = True
        if a.note is not None:
            item["note"] = a.note
        items.append(item)
    return json.dumps(items, ensure_ascii=False)


# ---------------------------------------------------------------- import


def import_xlsform(data: bytes, source: str, default_id: str) -> dict[str, Any]:
    """The questionnaire YAML data of an XLSForm (raises XLSFormRefused listing every
    unsupported cell, InputError when the file is not a workbook)."""
    check_workbook_bytes(data, source)  # zip bombs and oversized sheets, as for answer sheets
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a file that is not a workbook
        raise InputError(
            f"XLSForm {source} を Excel ファイルとして読めません: {type(error).__name__}",
            location=Location(source),
        ) from error
    sheets = {ws.title.strip().lower(): list(ws.iter_rows(values_only=True)) for ws in wb}
    wb.close()
    if "survey" not in sheets:
        raise InputError(
            f"XLSForm {source} に survey シートがありません", location=Location(source)
        )
    refused: list[Unsupported] = []
    fields = list(_survey(sheets["survey"], refused))
    back = {f["name"]: f["own_name"] for f in fields if f.get("own_name")}
    fields = _restore_names(fields)
    choices = _choices(sheets.get("choices", []), refused)
    top = _settings(sheets.get("settings", []), refused)
    _restore_attachments(top.get("attachments"), back)
    if refused:
        raise XLSFormRefused(source, refused)
    result: dict[str, Any] = {
        "id": top.pop("form_id", "") or default_id,
        "version": top.pop("version", "") or "1",
        "title": "",
        "fields": fields,
        "choices": choices,
    }
    result["title"] = top.pop("form_title", "") or result["id"]
    result.update(top)
    return result


def _rows(
    rows: list[tuple[Any, ...]], sheet: str, known: Sequence[str], refused: list[Unsupported]
) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows as {column: text}, skipping blank rows; unknown columns with a value are refused."""
    if not rows:
        return
    header = [_header(h, sheet) for h in rows[0]]
    for number, values in enumerate(rows[1:], start=2):
        row: dict[str, str] = {}
        for column, value in zip(header, values, strict=False):
            text = _cell(value)
            if not column or not text:
                continue
            if column not in known:
                refused.append(Unsupported(sheet, number, column, f"列 {column} は表せません"))
                continue
            row[column] = text
        if row:
            yield number, row


def _header(value: Any, sheet: str) -> str:
    text = _cell(value)
    if text.lower().startswith(_T):
        return text.lower()
    snake = re.sub(r"\s+", "_", text.strip().lower())
    return _ALIASES.get(sheet, {}).get(snake, snake)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() if not isinstance(value, str) else value.strip()


def _survey(rows: list[tuple[Any, ...]], refused: list[Unsupported]) -> Iterator[dict[str, Any]]:
    for number, row in _rows(rows, "survey", _SURVEY_COLUMNS, refused):
        where = ("survey", number)
        entry: dict[str, Any] = {"name": row.get("name", "")}
        entry["type"] = _type(row.get("type", ""), where, refused)
        for key in ("label", "hint", "constraint_message"):
            if key in row:
                entry[key] = _plain_text(row[key], where, key, refused)
        for key in ("relevant", "constraint"):
            if key in row:
                entry[key] = _expression(row[key], where, key, refused)
        entry["required"] = _required(row.get("required", ""), where, refused)
        if f"{_T}name" in row:
            entry["own_name"] = row[f"{_T}name"]
        for key in ("section", "question", "filled_by", "followup_of"):
            if f"{_T}{key}" in row:
                entry[key] = row[f"{_T}{key}"]
        if f"{_T}notes" in row:
            entry["notes"] = _json(row[f"{_T}notes"], where, f"{_T}notes", refused)
        if f"{_T}attachments" in row:
            entry["attachments"] = _json(row[f"{_T}attachments"], where, f"{_T}attachments",
                                         refused)  # fmt: skip
        yield entry


def _restore_names(fields: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Undo :func:`xml_names`: ``tenken_name`` is the field's own name, in references too."""
    back = {f["name"]: f.pop("own_name") for f in fields if f.get("own_name")}
    for f in fields:
        f["name"] = back.get(f["name"], f["name"])
        for key in ("relevant", "constraint"):
            if key in f:
                f[key] = _renamed(f[key], back)
        _restore_attachments(f.get("attachments"), back)
    return fields


def _restore_attachments(attachments: Any, back: dict[str, str]) -> None:
    for attachment in attachments if isinstance(attachments, list) else []:
        if isinstance(attachment, dict) and "relevant" in attachment:
            attachment["relevant"] = _renamed(str(attachment["relevant"]), back)


def _type(text: str, where: tuple[str, int], refused: list[Unsupported]) -> str:
    parts = text.split()
    if len(parts) == 2 and parts[0] in _SELECTS:
        return text
    if len(parts) == 1 and parts[0] in _TYPES:
        return _TYPES[parts[0]]
    refused.append(Unsupported(*where, "type", f"型 {text!r} は表せません"))
    return "text"


def _plain_text(text: str, where: tuple[str, int], key: str, refused: list[Unsupported]) -> str:
    inserted = _INSERTED.search(text)
    if inserted:
        refused.append(Unsupported(*where, key, f"回答の差し込み {inserted[0]} は表せません"))
    return text


def _expression(text: str, where: tuple[str, int], key: str, refused: list[Unsupported]) -> str:
    try:
        parse(text)  # only to know that the subset expresses it; the loader parses it again
    except SpecError as error:
        refused.append(Unsupported(*where, key, f"式 {text!r}: {error.message}"))
    return text


def _required(text: str, where: tuple[str, int], refused: list[Unsupported]) -> bool:
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value not in _FALSE:
        refused.append(Unsupported(*where, "required", f"required {text!r} は yes/no のみ表せます"))
    return False


def _json(text: str, where: tuple[str, int], key: str, refused: list[Unsupported]) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        refused.append(Unsupported(*where, key, "JSON として読めません"))
        return None


def _choices(rows: list[tuple[Any, ...]], refused: list[Unsupported]) -> dict[str, Any]:
    lists: dict[str, list[dict[str, Any]]] = {}
    for number, row in _rows(rows, "choices", _CHOICE_COLUMNS, refused):
        entry: dict[str, Any] = {"name": row.get("name", ""), "label": row.get("label", "")}
        _plain_text(entry["label"], ("choices", number), "label", refused)
        if f"{_T}note" in row:
            entry["note"] = row[f"{_T}note"]
        lists.setdefault(row.get("list_name", ""), []).append(entry)
    return lists


def _settings(rows: list[tuple[Any, ...]], refused: list[Unsupported]) -> dict[str, Any]:
    found = list(_rows(rows, "settings", _SETTINGS_COLUMNS, refused))
    if not found:
        return {}
    number, row = found[0]
    top: dict[str, Any] = {k: row[k] for k in ("form_id", "form_title", "version") if k in row}
    if f"{_T}meta" in row:
        top["meta"] = _json(row[f"{_T}meta"], ("settings", number), f"{_T}meta", refused)
    if f"{_T}attachments" in row:
        where = ("settings", number)
        top["attachments"] = _json(row[f"{_T}attachments"], where, f"{_T}attachments", refused)
    return top
