"""A broken questionnaire file is rejected with a message that says what and where."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from tenken.errors import SpecError
from tenken.survey.loader import build, bundled_path, load_file


@pytest.fixture
def raw() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(
        bundled_path("mhlw-2023-shokugyo-tenkan").read_text("utf-8")
    )
    return copy.deepcopy(data)


def field(raw: dict[str, Any], name: str) -> dict[str, Any]:
    return next(f for f in raw["fields"] if str(f["name"]) == name)


def rejected(raw: dict[str, Any]) -> str:
    with pytest.raises(SpecError) as info:
        build(raw, "broken.yaml")
    return str(info.value)


def test_bundled_questionnaire_loads(raw: dict[str, Any]) -> None:
    """The shipped file is valid."""
    q = build(raw)
    assert q.id == "mhlw-2023-shokugyo-tenkan" and len(q.items) == 17


def test_unknown_item_in_expression(raw: dict[str, Any]) -> None:
    """relevant referring to a field that does not exist names both."""
    field(raw, "4")["relevant"] = "${33} != '②'"
    message = rejected(raw)
    assert "項目 4" in message and "${33}" in message and "broken.yaml" in message


def test_cycle_in_relevant(raw: dict[str, Any]) -> None:
    """Two items whose relevance depends on each other are a cycle."""
    field(raw, "3")["relevant"] = "${4} != '①'"
    message = rejected(raw)
    assert "循環" in message and "3" in message and "4" in message


def test_self_reference_is_a_cycle(raw: dict[str, Any]) -> None:
    """An item relevant only when it is answered is a cycle too."""
    field(raw, "9")["relevant"] = "${9} = '①'"
    assert "循環" in rejected(raw)


def test_unknown_choice_in_expression(raw: dict[str, Any]) -> None:
    """Comparing with a code that the item's list lacks is caught, with the allowed codes."""
    field(raw, "7-3")["relevant"] = "${7-2} = '③'"
    message = rejected(raw)
    assert "'③'" in message and "①、②" in message


def test_unknown_choice_in_selected(raw: dict[str, Any]) -> None:
    """selected() with a code the list lacks is caught."""
    field(raw, "9")["relevant"] = "selected(${6}, '⑨')"
    assert "'⑨'" in rejected(raw)


def test_syntax_error_and_unknown_function(raw: dict[str, Any]) -> None:
    """Every mistake is listed at once, each with its field."""
    field(raw, "4")["relevant"] = "${3} != "
    field(raw, "5")["relevant"] = "frobnicate(${3})"
    message = rejected(raw)
    assert "2 件" in message and "項目 4" in message and "frobnicate" in message


def test_unknown_type_and_list(raw: dict[str, Any]) -> None:
    """Unknown field types and missing choice lists are named."""
    field(raw, "4")["type"] = "select_one nolist"
    field(raw, "5")["type"] = "geopoint"
    message = rejected(raw)
    assert "nolist" in message and "geopoint" in message


def test_problems_name_their_line(tmp_path: Path) -> None:
    """Each problem of a file on disk says on which line its field starts."""
    text = bundled_path("mhlw-2023-shokugyo-tenkan").read_text("utf-8")
    text = text.replace("relevant: ${3} != '②'", "relevant: ${33} != '②'", 1)
    path = tmp_path / "q.yaml"
    path.write_text(text, "utf-8")
    line = text.splitlines().index('  - name: "4"') + 1
    with pytest.raises(SpecError) as info:
        load_file(path)
    assert f"{line}行目 項目 4 relevant" in str(info.value)


def test_duplicate_names(raw: dict[str, Any]) -> None:
    """Two fields with one name are rejected."""
    raw["fields"].append(copy.deepcopy(field(raw, "10")))
    assert "重複" in rejected(raw)


def test_not_yaml(tmp_path: Path) -> None:
    """A file that is not YAML gets a SpecError naming the file."""
    path = tmp_path / "bad.yaml"
    path.write_text("fields: [unclosed", encoding="utf-8")
    with pytest.raises(SpecError, match=r"bad\.yaml"):
        load_file(path)
