"""Where everything sits on the answer sheet, computed from the questionnaire alone.

The writer draws this layout and the reader reads it back through the same object, so the
two can never disagree about a cell. Every formula the sheet holds is listed here, which is
what lets the reader notice an edited or deleted formula.

Main sheet (別添2's order): title, the respondent block (label | input | hint), the two
formula cells, then the items table (項番 | 質問 | 回答 | 選択肢) with follow-up rows under
their item and one ``○`` row per option under a multi-select item. The hidden sheet holds the
sheet's identity, the choice lists (named ranges) and one helper row per field.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from tenken.survey.engine import FLAG_MISSING_INFO, FLAG_UNANSWERED
from tenken.survey.model import Field, Questionnaire
from tenken.survey.spec_json import questionnaire_to_json
from tenken.survey.xlsx.formulas import MARK, FieldRefs, quote, relevant_formula, strip

MAIN = "回答シート"
HIDDEN = "_tenken"
MARKER = "tenken-answer-sheet"
FORMAT_VERSION = "1"
HEADER = ("項番", "質問", "回答", "選択肢")

# Hidden sheet: identity in A1:B8, helper rows from row 10, lists from column F.
META_KEYS = (
    "marker", "format", "questionnaire", "version", "fingerprint", "issued_to", "round", "seido",
)  # fmt: skip
# The prefill keys that carry the round and the 制度 a sheet was issued for (not fields: kept
# in _tenken; the 制度 is also in the sheet's 制度等, which must still name it when read).
ROUND_KEY = "@round"
SEIDO_KEY = "@seido"
CALC_FIRST_ROW = 10
LIST_FIRST_COLUMN = 6


def col(n: int) -> str:
    """Column letter of a 1-based column number."""
    letters = ""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def absolute(sheet: str, coordinate: str) -> str:
    """``'sheet'!$C$5`` for ``C5``."""
    letters = coordinate.rstrip("0123456789")
    return f"'{sheet}'!${letters}${coordinate[len(letters) :]}"


@dataclass(frozen=True)
class FieldCells:
    """One field's cells: where the respondent answers and its helper row."""

    field: Field
    row: int  # the row of its label on the main sheet
    input: str | None  # single-valued fields
    options: dict[str, str]  # code -> ○ cell (multi-select)
    calc_row: int


@dataclass
class Layout:
    """Cells and formulas of the answer sheet for one questionnaire."""

    questionnaire: Questionnaire
    fields: dict[str, FieldCells] = field(default_factory=dict)
    list_ranges: dict[str, str] = field(default_factory=dict)  # list name -> defined name
    list_cells: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    formulas: dict[tuple[str, str], str] = field(default_factory=dict)  # (sheet, cell) -> f
    flag_cells: dict[str, str] = field(default_factory=dict)  # flag text -> main cell
    header_row: int = 0
    respondent_title_row: int = 0
    items_title_row: int = 0
    last_row: int = 0

    def meta_cell(self, key: str) -> str:
        return f"B{META_KEYS.index(key) + 1}"

    def refs(self, name: str) -> FieldRefs:
        cells = self.fields[name]
        applies = absolute(HIDDEN, f"B{cells.calc_row}")
        effective = absolute(HIDDEN, f"C{cells.calc_row}")
        options = {code: absolute(MAIN, c) for code, c in cells.options.items()}
        multi = cells.field.kind == "select_multiple"
        return FieldRefs(applies, effective, multi, options)


def fingerprint(q: Questionnaire) -> str:
    """A short hash of the questionnaire's content: a sheet of another edition is refused."""
    text = json.dumps(questionnaire_to_json(q), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(f"{FORMAT_VERSION}\n{text}".encode()).hexdigest()[:16]


_LAYOUTS: dict[int, tuple[Questionnaire, Layout]] = {}


def build_layout(q: Questionnaire) -> Layout:
    """Every cell position and formula (computed once per questionnaire object)."""
    cached = _LAYOUTS.get(id(q))
    if cached is not None and cached[0] is q:
        return cached[1]
    layout = _compute(q)
    _LAYOUTS[id(q)] = (q, layout)
    return layout


def _compute(q: Questionnaire) -> Layout:
    layout = Layout(q)
    _place_lists(layout)
    row = 3
    layout.respondent_title_row = row
    calc_row = CALC_FIRST_ROW
    for f in q.respondent_fields:
        row += 1
        layout.fields[f.name] = FieldCells(f, row, f"B{row}", {}, calc_row)
        calc_row += 1
    row += 2
    for flag in (FLAG_MISSING_INFO, FLAG_UNANSWERED):
        layout.flag_cells[flag] = f"B{row}"
        row += 1
    row += 1
    layout.items_title_row = row
    layout.header_row = row + 1
    row = layout.header_row
    for f in q.items:
        row += 1
        options: dict[str, str] = {}
        if f.kind == "select_multiple":
            for code in q.choices_of(f).codes():
                row += 1
                options[code] = f"C{row}"
        item_row = row - len(options)
        single = None if options else f"C{item_row}"
        layout.fields[f.name] = FieldCells(f, item_row, single, options, calc_row)
        calc_row += 1
    layout.last_row = row
    _place_formulas(layout)
    return layout


def _place_lists(layout: Layout) -> None:
    for offset, (name, choices) in enumerate(sorted(layout.questionnaire.lists.items())):
        letter = col(LIST_FIRST_COLUMN + offset)
        cells = [(f"{letter}{i + 2}", code) for i, code in enumerate(choices.codes())]
        layout.list_cells[name] = [(f"{letter}1", name), *cells]
        layout.list_ranges[name] = f"tk_list_{name}"


def list_range_text(layout: Layout, name: str) -> str:
    """The defined name's target: ``'_tenken'!$F$2:$F$3``."""
    cells = layout.list_cells[name][1:]
    return f"{absolute(HIDDEN, cells[0][0])}:{absolute(HIDDEN, cells[-1][0]).split('!')[1]}"


def _missing_formula(layout: Layout, cells: FieldCells) -> str:
    """TRUE when the field applies, must be answered, and has no valid answer."""
    f = cells.field
    if not f.required or f.filled_by != "respondent":
        return "FALSE"
    applies = f"B{cells.calc_row}"
    if f.kind == "select_multiple":
        marks = "+".join(
            f"({strip(absolute(MAIN, c))}={quote(MARK)})" for c in cells.options.values()
        )
        return f"AND({applies},{marks}=0)"
    assert cells.input is not None
    cell = absolute(MAIN, cells.input)
    if f.kind == "select_one" and f.list_name is not None:
        return f"AND({applies},SUMPRODUCT(--EXACT({layout.list_ranges[f.list_name]},{cell}))=0)"
    return f"AND({applies},LEN({strip(cell)})=0)"


def _effective_formula(cells: FieldCells) -> str:
    applies = f"B{cells.calc_row}"
    if cells.options:
        marks = "+".join(f'({strip(absolute(MAIN, c))}<>"")' for c in cells.options.values())
        return f"IF({applies},{marks},0)"
    assert cells.input is not None
    return f'IF({applies},{strip(absolute(MAIN, cells.input))},"")'


def _place_formulas(layout: Layout) -> None:
    missing: dict[str, list[str]] = {"respondent": [], "items": []}
    for cells in layout.fields.values():
        r = cells.calc_row
        f = cells.field
        layout.formulas[(HIDDEN, f"B{r}")] = relevant_formula(f.relevant, layout.refs)
        layout.formulas[(HIDDEN, f"C{r}")] = _effective_formula(cells)
        layout.formulas[(HIDDEN, f"D{r}")] = _missing_formula(layout, cells)
        missing[f.section].append(absolute(HIDDEN, f"D{r}"))
    for flag, section in ((FLAG_MISSING_INFO, "respondent"), (FLAG_UNANSWERED, "items")):
        terms = ",".join(missing[section]) or "FALSE"
        layout.formulas[(MAIN, layout.flag_cells[flag])] = f'IF(OR({terms}),{quote(flag)},"")'
