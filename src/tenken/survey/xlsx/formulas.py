"""Translate questionnaire expressions (``relevant``) into Excel formulas.

The answer sheet shows 「情報未入力あり」/「未回答あり」 with formulas that follow the engine's
rules. They are generated from the same parsed expressions the engine evaluates, so a change
in the questionnaire file changes both. Semantics mirrored from :mod:`tenken.survey.engine`:

* a field's *effective* value is its trimmed answer when it applies and ``""`` when it does not
  (so skips chain); helper cells on the hidden sheet hold each field's "applies" and "effective";
* ``=``/``!=`` compare as text, case-sensitively (``EXACT``), like the engine's ``to_text``;
* a select answer counts only when it is exactly one of the list's codes
  (``SUMPRODUCT(--EXACT(list, cell))``, no wildcards, unlike ``COUNTIF``);
* a multi-select option counts when its cell holds ``○``.

Trimming: Excel's ``TRIM`` removes ASCII spaces only, so tabs, line breaks and the full-width
space are turned into spaces first. Other Unicode spaces (e.g. U+00A0) are not trimmed by the
sheet, while Python's ``str.strip`` trims them; the reader (Python) is the source of truth.

Only what the sheet needs is supported; anything else raises :class:`SpecError` naming it, so a
questionnaire that cannot be turned into a sheet fails when the sheet is generated.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from tenken.errors import SpecError
from tenken.survey.expr import BinOp, Call, Current, Expr, Literal_, Node, Ref, to_text

MARK = "○"
Kind = Literal["text", "number", "bool", "multi"]


def quote(text: str) -> str:
    """An Excel string literal."""
    return '"' + text.replace('"', '""') + '"'


def strip(ref: str) -> str:
    """The trimmed text of a cell, as the engine's ``str.strip`` sees it (see module doc)."""
    inner = f'SUBSTITUTE({ref},"　"," ")'
    for code in (9, 10, 13):
        inner = f'SUBSTITUTE({inner},CHAR({code})," ")'
    return f"TRIM({inner})"


@dataclass(frozen=True)
class FieldRefs:
    """Where the formulas find one field: its helper cells and its input cells."""

    applies: str  # a cell holding TRUE/FALSE
    effective: str  # a cell holding the effective text (single) or the count of marks (multi)
    multi: bool
    option_cells: Mapping[str, str]  # code -> input cell, multi-select only


Resolve = Callable[[str], FieldRefs]


class _Translator:
    def __init__(self, source: str, resolve: Resolve) -> None:
        self.source = source
        self.resolve = resolve

    def unsupported(self, what: str) -> SpecError:
        return SpecError(
            f"式 {self.source!r} を Excel の数式に変換できません: {what}",
            hint="回答シートで使える式: =、!=、and、or、not、selected、count-selected、"
            "string-length、coalesce",
        )

    def boolean(self, node: Node) -> str:
        """A formula that is TRUE exactly when the engine's ``to_bool`` of ``node`` is."""
        if isinstance(node, BinOp) and node.op in ("and", "or"):
            return f"{node.op.upper()}({self.boolean(node.left)},{self.boolean(node.right)})"
        if isinstance(node, BinOp):
            return self.compare(node)
        if isinstance(node, Call) and node.func == "not":
            return f"NOT({self.boolean(node.args[0])})"
        if isinstance(node, Call) and node.func == "selected":
            return self.selected(node)
        formula, kind = self.value(node)
        if kind == "text":
            return f"LEN({formula})>0"
        if kind in ("number", "multi"):
            return f"{formula}<>0"
        return formula

    def value(self, node: Node) -> tuple[str, Kind]:
        if isinstance(node, Literal_):
            if isinstance(node.value, float):
                return to_text(node.value), "number"
            return quote(node.value), "text"
        if isinstance(node, Ref):
            refs = self.resolve(node.name)
            return refs.effective, "multi" if refs.multi else "text"
        if isinstance(node, Current):
            raise self.unsupported("「.」は constraint でしか使えません")
        if isinstance(node, Call):
            return self.call(node)
        return self.boolean(node), "bool"

    def call(self, node: Call) -> tuple[str, Kind]:
        if node.func in ("not", "selected"):
            return self.boolean(node), "bool"
        if node.func == "count-selected":
            formula, kind = self.value(node.args[0])
            if kind != "multi":
                raise self.unsupported("count-selected は複数選択の項目にだけ使えます")
            return formula, "number"
        if node.func == "string-length":
            return f"LEN({self.text(node.args[0])})", "number"
        if node.func == "coalesce":
            a, b = self.text(node.args[0]), self.text(node.args[1])
            return f"IF(LEN({a})>0,{a},{b})", "text"
        raise self.unsupported(f"関数 {node.func}")

    def text(self, node: Node) -> str:
        formula, kind = self.value(node)
        if kind == "text":
            return formula
        if kind == "number" and isinstance(node, Literal_):
            return quote(formula)
        raise self.unsupported("文字列が必要な位置に文字列以外があります")

    def compare(self, node: BinOp) -> str:
        (left, lkind), (right, rkind) = self.value(node.left), self.value(node.right)
        if "multi" in (lkind, rkind) or "bool" in (lkind, rkind):
            raise self.unsupported(f"{node.op} の両辺は文字列か数値です")
        if lkind == rkind == "number":
            op = "<>" if node.op == "!=" else node.op
            return f"{left}{op}{right}"
        if node.op not in ("=", "!="):
            raise self.unsupported(f"文字列の大小比較（{node.op}）")
        # The engine compares text with text (a number literal reads as its text).
        left = quote(left) if lkind == "number" and isinstance(node.left, Literal_) else left
        right = quote(right) if rkind == "number" and isinstance(node.right, Literal_) else right
        exact = f"EXACT({left},{right})"
        return exact if node.op == "=" else f"NOT({exact})"

    def selected(self, node: Call) -> str:
        target, code = node.args
        if not isinstance(code, Literal_):
            raise self.unsupported("selected の2番目の引数は選択肢のコード（文字列）です")
        wanted = to_text(code.value)
        if isinstance(target, Ref) and self.resolve(target.name).multi:
            refs = self.resolve(target.name)
            cell = refs.option_cells.get(wanted)
            if cell is None:
                return "FALSE"
            return f"AND({refs.applies},{strip(cell)}={quote(MARK)})"
        text = self.text(target)
        return f'ISNUMBER(FIND({quote(" " + wanted + " ")}," "&{text}&" "))'


def relevant_formula(expr: Expr | None, resolve: Resolve) -> str:
    """The formula (without ``=``) for whether a field applies."""
    if expr is None:
        return "TRUE"
    return _Translator(expr.source, resolve).boolean(expr.node)
