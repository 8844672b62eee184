"""YAML read with line numbers, so that a broken pack file's problems say where they are.

:func:`load_yaml` returns plain dicts and lists (subclasses) that remember the 1-based line of
each mapping, of each of its keys and of each list entry; :func:`line_of` reads them back.
Everything else behaves as ``yaml.safe_load`` (same types, same safety).
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, SequenceNode

from tenken.errors import SpecError


class LineDict(dict[Any, Any]):
    """A mapping that knows its own line and the line of each key."""

    line: int = 0
    key_lines: dict[Any, int]


class LineList(list[Any]):
    """A sequence that knows its own line and the line of each entry."""

    line: int = 0
    item_lines: list[int]


class _Loader(yaml.SafeLoader):
    """SafeLoader that builds :class:`LineDict` / :class:`LineList` with their lines."""


def _construct_mapping(loader: _Loader, node: MappingNode) -> LineDict:
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _Loader, node: SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def load_yaml(text: str, source: str, what: str) -> Any:
    """Parse ``text``; a syntax error becomes a SpecError naming ``what``, the file and line."""
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" {mark.line + 1}行目" if mark is not None else ""
        raise SpecError(f"{what} {source}{where} は YAML として読めません: {error}") from error


def line_of(container: Any, key: Any = None) -> int | None:
    """The line of ``container`` (a mapping or list from :func:`load_yaml`), or of its ``key``."""
    if isinstance(container, LineDict):
        if key is not None and key in container.key_lines:
            return container.key_lines[key]
        return container.line or None
    if isinstance(container, LineList):
        if isinstance(key, int) and 0 <= key < len(container.item_lines):
            return container.item_lines[key]
        return container.line or None
    return None


def at(where: str, container: Any, key: Any = None) -> str:
    """``where`` prefixed with its line when known: ``12行目 項目 7-2``."""
    line = line_of(container, key)
    return f"{line}行目 {where}" if line else where


def plain(data: Any) -> Any:
    """The same data as plain dicts and lists (for dumping and comparing)."""
    if isinstance(data, dict):
        return {k: plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [plain(v) for v in data]
    return data
