"""Load a questionnaire YAML file into the model, collecting every mistake before failing.

A broken file is rejected with one :class:`SpecError` listing each problem with its field:
unknown keys or types, duplicate names, expressions that do not parse, refer to an unknown
field or compare a select field with a code its list does not have, and cycles in ``relevant``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, cast

from tenken.errors import ErrorList, SpecError
from tenken.survey import validators as _validators  # noqa: F401  (registers functions)
from tenken.survey.expr import BinOp, Call, Expr, Literal_, Node, Ref, parse
from tenken.survey.model import (
    Attachment,
    Choice,
    ChoiceList,
    Field,
    FieldKind,
    FilledBy,
    Questionnaire,
    Section,
)
from tenken.survey.yamlsrc import at, line_of, load_yaml

DEFAULT_QUESTIONNAIRE = "mhlw-2023-shokugyo-tenkan"
_FIELD_KEYS = {
    "name", "type", "section", "label", "question", "notes", "hint", "filled_by", "relevant",
    "required", "constraint", "constraint_message", "followup_of", "attachments",
}  # fmt: skip
_KINDS: tuple[FieldKind, ...] = (
    "select_one",
    "select_multiple",
    "text",
    "integer",
    "decimal",
    "date",
)
_SELECTS = ("select_one", "select_multiple")
_SECTIONS: tuple[Section, ...] = ("respondent", "items")
_FILLED_BY: tuple[FilledBy, ...] = ("respondent", "ministry")


def bundled_path(questionnaire_id: str) -> Path:
    """Path of a questionnaire shipped in the package."""
    ref = resources.files("tenken.survey") / "questionnaires" / f"{questionnaire_id}.yaml"
    return Path(str(ref))


def bundled_ids() -> list[str]:
    """Ids of bundled questionnaires (companion files such as ``ID.risk.yaml`` are not ones)."""
    folder = resources.files("tenken.survey") / "questionnaires"
    stems = (p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml"))
    return sorted(stem for stem in stems if "." not in stem)


@cache
def load_bundled(questionnaire_id: str = DEFAULT_QUESTIONNAIRE) -> Questionnaire:
    """Load (once) a questionnaire shipped with tenken."""
    if questionnaire_id not in bundled_ids():
        raise SpecError(
            f"調査票 {questionnaire_id!r} は同梱されていません",
            hint=f"同梱: {', '.join(bundled_ids())}",
        )
    return load_file(bundled_path(questionnaire_id))


def load_file(path: Path) -> Questionnaire:
    """Read and validate a questionnaire YAML file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SpecError(f"調査票ファイル {path} を読めません: {error}") from error
    return build(load_yaml(text, str(path), "調査票ファイル"), str(path))


def build(data: Any, source: str = "<questionnaire>") -> Questionnaire:
    """Build a questionnaire from parsed YAML data (raises SpecError listing every problem)."""
    errors = ErrorList("調査票ファイル", source)
    if not isinstance(data, Mapping):
        errors.add("全体", "マッピング（キーと値）である必要があります")
        errors.raise_if_any()
    data = cast(Mapping[str, Any], data)
    for key in ("id", "version", "title", "fields", "choices"):
        if key not in data:
            errors.add("全体", f"{key!r} がありません")
    errors.raise_if_any()
    lists = _build_lists(data["choices"], errors)
    fields = tuple(_build_fields(data["fields"], lists, errors))
    attachments = tuple(_build_attachments(data.get("attachments", []), "attachments", errors))
    lines = _field_lines(data["fields"])
    _check_references(fields, lists, errors, lines)
    _check_cycles(fields, errors, lines)
    errors.raise_if_any()
    meta = {str(k): str(v) for k, v in (data.get("meta") or {}).items()}
    return Questionnaire(
        id=str(data["id"]),
        version=str(data["version"]),
        title=str(data["title"]),
        fields=fields,
        lists=lists,
        meta=meta,
        attachments=attachments,
    )


def _build_lists(raw: Any, errors: ErrorList) -> dict[str, ChoiceList]:
    lists: dict[str, ChoiceList] = {}
    if not isinstance(raw, Mapping):
        errors.add("choices", "list_name ごとの選択肢の一覧である必要があります")
        return lists
    for list_name, entries in raw.items():
        choices: list[Choice] = []
        for i, entry in enumerate(entries or []):
            if not isinstance(entry, Mapping) or "name" not in entry or "label" not in entry:
                errors.add(at(f"choices.{list_name}[{i}]", entries, i), "name と label が必要です")
                continue
            choices.append(Choice(str(entry["name"]), str(entry["label"]), entry.get("note")))
        codes = [c.name for c in choices]
        if len(set(codes)) != len(codes):
            errors.add(at(f"choices.{list_name}", raw, list_name), "選択肢の name が重複しています")
        lists[str(list_name)] = ChoiceList(str(list_name), tuple(choices))
    return lists


def _parse_expr(source: Any, where: str, errors: ErrorList) -> Expr | None:
    if source is None:
        return None
    try:
        return parse(str(source))
    except SpecError as error:
        errors.add(where, error.message)
        return None


def _build_fields(raw: Any, lists: dict[str, ChoiceList], errors: ErrorList) -> Iterator[Field]:
    if not isinstance(raw, list):
        errors.add("fields", "項目のリストである必要があります")
        return
    seen: set[str] = set()
    for i, entry in enumerate(raw):
        if not isinstance(entry, Mapping) or "name" not in entry:
            errors.add(at(f"fields[{i}]", raw, i), "name が必要です")
            continue
        name = str(entry["name"])
        where = at(f"項目 {name}", raw, i)
        if name in seen:
            errors.add(where, "name が重複しています")
        seen.add(name)
        unknown = set(entry) - _FIELD_KEYS
        if unknown:
            errors.add(where, f"未知のキー {sorted(unknown)}")
        kind, list_name = _parse_type(entry.get("type"), where, lists, errors)
        section = entry.get("section", "items")
        if section not in _SECTIONS:
            errors.add(where, f"section は {_SECTIONS} のいずれかです")
        filled_by = entry.get("filled_by", "respondent")
        if filled_by not in _FILLED_BY:
            errors.add(where, f"filled_by は {_FILLED_BY} のいずれかです")
        yield Field(
            name=name,
            kind=kind,
            section=section,
            label=str(entry.get("label", "")),
            list_name=list_name,
            question=entry.get("question"),
            notes=tuple(str(n) for n in entry.get("notes") or ()),
            hint=entry.get("hint"),
            filled_by=filled_by,
            relevant=_parse_expr(entry.get("relevant"), f"{where} relevant", errors),
            required=bool(entry.get("required", True)),
            constraint=_parse_expr(entry.get("constraint"), f"{where} constraint", errors),
            constraint_message=entry.get("constraint_message"),
            followup_of=entry.get("followup_of"),
            attachments=tuple(_build_attachments(entry.get("attachments", []), where, errors)),
        )


def _parse_type(
    raw: Any, where: str, lists: dict[str, ChoiceList], errors: ErrorList
) -> tuple[FieldKind, str | None]:
    parts = str(raw or "").split()
    if not parts or parts[0] not in _KINDS:
        errors.add(
            where,
            f"type {raw!r} は select_one LIST / select_multiple LIST / text / integer / decimal / "
            "date のいずれかです",
        )
        return "text", None
    kind: FieldKind = parts[0]
    if kind not in _SELECTS:
        if len(parts) != 1:
            errors.add(where, f"type {raw!r}: {kind} に選択肢リストは付けません")
        return kind, None
    if len(parts) != 2 or parts[1] not in lists:
        errors.add(where, f"type {raw!r} の選択肢リストが choices にありません")
        return kind, None
    return kind, parts[1]


def _build_attachments(raw: Any, where: str, errors: ErrorList) -> Iterator[Attachment]:
    for i, entry in enumerate(raw or []):
        if not isinstance(entry, Mapping) or "name" not in entry:
            errors.add(f"{where} attachments[{i}]", "name が必要です")
            continue
        yield Attachment(
            name=str(entry["name"]),
            label=str(entry.get("label", entry["name"])),
            relevant=_parse_expr(entry.get("relevant"), f"{where} 添付 relevant", errors),
            required=bool(entry.get("required", False)),
            note=entry.get("note"),
        )


def _field_lines(raw: Any) -> dict[str, int]:
    """Line of each field's entry (for messages about a field found after building)."""
    lines: dict[str, int] = {}
    for i, entry in enumerate(raw if isinstance(raw, list) else []):
        line = line_of(raw, i)
        if isinstance(entry, Mapping) and "name" in entry and line:
            lines.setdefault(str(entry["name"]), line)
    return lines


def _at_field(name: str, lines: Mapping[str, int], suffix: str = "") -> str:
    line = lines.get(name)
    text = f"項目 {name}{suffix}"
    return f"{line}行目 {text}" if line else text


def _check_references(
    fields: tuple[Field, ...],
    lists: dict[str, ChoiceList],
    errors: ErrorList,
    lines: Mapping[str, int],
) -> None:
    by_name = {f.name: f for f in fields}
    for f in fields:
        if f.followup_of is not None and f.followup_of not in by_name:
            errors.add(
                _at_field(f.name, lines), f"followup_of {f.followup_of!r} という項目はありません"
            )
        exprs = [("relevant", f.relevant), ("constraint", f.constraint)]
        exprs += [("添付 relevant", a.relevant) for a in f.attachments]
        for what, expr in exprs:
            if expr is None:
                continue
            for ref in sorted(expr.refs - by_name.keys()):
                errors.add(
                    _at_field(f.name, lines, f" {what}"), f"未知の項目 ${{{ref}}} を参照しています"
                )
            for ref, code in _compared_codes(expr.node):
                target = by_name.get(ref)
                if target and target.list_name and code not in lists[target.list_name].codes():
                    allowed = "、".join(lists[target.list_name].codes())
                    errors.add(
                        _at_field(f.name, lines, f" {what}"),
                        f"${{{ref}}} の選択肢に {code!r} はありません（{allowed}）",
                    )


def _compared_codes(node: Node) -> Iterator[tuple[str, str]]:
    """(field, code) pairs where an expression compares a field with a string literal."""
    if isinstance(node, BinOp):
        if node.op in ("=", "!="):
            pair = (node.left, node.right)
            for a, b in (pair, pair[::-1]):
                if isinstance(a, Ref) and isinstance(b, Literal_) and isinstance(b.value, str):
                    yield a.name, b.value
        yield from _compared_codes(node.left)
        yield from _compared_codes(node.right)
    elif isinstance(node, Call):
        if node.func == "selected" and len(node.args) == 2:
            a, b = node.args
            if isinstance(a, Ref) and isinstance(b, Literal_) and isinstance(b.value, str):
                yield a.name, b.value
        for arg in node.args:
            yield from _compared_codes(arg)


def _check_cycles(fields: tuple[Field, ...], errors: ErrorList, lines: Mapping[str, int]) -> None:
    """``relevant`` must not depend on itself, directly or through other fields."""
    graph = {f.name: set(f.relevant.refs) if f.relevant else set() for f in fields}
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for dep in sorted(graph.get(name, ())):
            if state.get(dep) == 1:
                cycle = [*path[path.index(dep) :], dep] if dep in path else [name, dep]
                errors.add(_at_field(dep, lines), f"relevant が循環しています: {' → '.join(cycle)}")
            elif dep in graph and state.get(dep) is None:
                visit(dep, [*path, dep])
        state[name] = 2

    for name in graph:
        if state.get(name) is None:
            visit(name, [name])
