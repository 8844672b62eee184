"""A small, documented subset of XLSForm expressions.

Grammar (precedence low → high)::

    expr    := or
    or      := and ("or" and)*
    and     := cmp ("and" cmp)*
    cmp     := primary (("=" | "!=" | "<" | "<=" | ">" | ">=") primary)?
    primary := STRING | NUMBER | "${" name "}" | "."
             | func "(" [expr ("," expr)*] ")" | "(" expr ")"

* ``${name}`` is the value of another field (``""`` when empty or when that field does not apply);
  ``.`` is the value of the field being checked (in ``constraint``).
* Strings are quoted with ``'`` or ``"``; comparisons of a string with a number compare as text.
* Functions: see :data:`FUNCTIONS` (``not``, ``selected``, ``count-selected``,
  ``string-length``, ``regex``, ``coalesce``) plus the validators registered by
  :mod:`tenken.survey.validators` (``phone``, ``email``, ``year-month``, ``local-government``).

A multi-select value is a list of codes; ``selected(${item}, '①')`` tests membership.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from tenken.errors import SpecError

Value = str | float | bool | list[str]
Lookup = Callable[[str], Value]


@dataclass(frozen=True)
class Literal_:
    value: str | float


@dataclass(frozen=True)
class Ref:
    name: str


@dataclass(frozen=True)
class Current:
    pass


@dataclass(frozen=True)
class Call:
    func: str
    args: tuple[Node, ...]


@dataclass(frozen=True)
class BinOp:
    op: str
    left: Node
    right: Node


Node = Literal_ | Ref | Current | Call | BinOp


@dataclass(frozen=True)
class Expr:
    """A parsed expression with its source text and the field names it refers to."""

    source: str
    node: Node
    refs: frozenset[str]

    def evaluate(self, lookup: Lookup, current: Value = "") -> Value:
        return _eval(self.node, lookup, current)

    def truthy(self, lookup: Lookup, current: Value = "") -> bool:
        return to_bool(self.evaluate(lookup, current))

    def __str__(self) -> str:
        return self.source


# ---------------------------------------------------------------- functions


def to_bool(value: Value) -> bool:
    if isinstance(value, list):
        return bool(value)
    if isinstance(value, str):
        return value != ""
    return bool(value)


def to_text(value: Value) -> str:
    if isinstance(value, list):
        return " ".join(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    return value


def _selected(values: Value, code: Value) -> bool:
    wanted = to_text(code)
    if isinstance(values, list):
        return wanted in values
    return wanted in to_text(values).split()


def _count_selected(values: Value) -> float:
    if isinstance(values, list):
        return float(len(values))
    return float(len(to_text(values).split()))


def _regex(value: Value, pattern: Value) -> bool:
    return re.search(to_text(pattern), to_text(value)) is not None


def _coalesce(a: Value, b: Value) -> Value:
    return a if to_bool(a) else b


FUNCTIONS: dict[str, tuple[int, Callable[..., Value]]] = {
    "not": (1, lambda v: not to_bool(v)),
    "selected": (2, _selected),
    "count-selected": (1, _count_selected),
    "string-length": (1, lambda v: float(len(to_text(v)))),
    "regex": (2, _regex),
    "coalesce": (2, _coalesce),
}


def register_function(name: str, arity: int, func: Callable[..., Value]) -> None:
    """Add a function to the expression language (used for format validators)."""
    FUNCTIONS[name] = (arity, func)


# ---------------------------------------------------------------- tokenizer

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<ref>\$\{[^}]*\})
      | (?P<str>'[^']*'|"[^"]*")
      | (?P<num>\d+(?:\.\d+)?)
      | (?P<op>!=|<=|>=|=|<|>|\(|\)|,)
      | (?P<word>[A-Za-z][A-Za-z0-9_-]*)
      | (?P<dot>\.)
    )""",
    re.VERBOSE,
)


def _tokenize(source: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    pos = 0
    source = source.rstrip()
    while pos < len(source):
        match = _TOKEN.match(source, pos)
        if match is None or match.end() == pos:
            raise SpecError(
                f"式を解釈できません: {source!r} の {pos + 1} 文字目 {source[pos : pos + 10]!r}"
            )
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        pos = match.end()
    return tokens


# ---------------------------------------------------------------- parser


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.tokens = _tokenize(source)
        self.pos = 0

    def error(self, what: str) -> SpecError:
        return SpecError(f"式 {self.source!r}: {what}")

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise self.error("式が途中で終わっています")
        self.pos += 1
        return token

    def expect(self, text: str) -> None:
        _kind, value = self.take()
        if value != text:
            raise self.error(f"{text!r} が必要な位置に {value!r} があります")

    def parse(self) -> Node:
        node = self.parse_or()
        if self.peek() is not None:
            raise self.error(f"余分な {self.peek()[1]!r} があります")  # type: ignore[index]
        return node

    def parse_or(self) -> Node:
        node = self.parse_and()
        while self.peek() == ("word", "or"):
            self.take()
            node = BinOp("or", node, self.parse_and())
        return node

    def parse_and(self) -> Node:
        node = self.parse_cmp()
        while self.peek() == ("word", "and"):
            self.take()
            node = BinOp("and", node, self.parse_cmp())
        return node

    def parse_cmp(self) -> Node:
        node = self.parse_primary()
        token = self.peek()
        if token and token[0] == "op" and token[1] in ("=", "!=", "<", "<=", ">", ">="):
            self.take()
            node = BinOp(token[1], node, self.parse_primary())
        return node

    def parse_primary(self) -> Node:
        kind, value = self.take()
        if kind == "str":
            return Literal_(value[1:-1])
        if kind == "num":
            return Literal_(float(value))
        if kind == "ref":
            name = value[2:-1].strip()
            if not name:
                raise self.error("${} に項目名がありません")
            return Ref(name)
        if kind == "dot":
            return Current()
        if value == "(":
            node = self.parse_or()
            self.expect(")")
            return node
        if kind == "word":
            return self.parse_call(value)
        raise self.error(f"予期しない {value!r} があります")

    def parse_call(self, name: str) -> Node:
        if name not in FUNCTIONS:
            known = "、".join(sorted(FUNCTIONS))
            raise self.error(f"未知の関数 {name!r}（使える関数: {known}）")
        self.expect("(")
        args: list[Node] = []
        if self.peek() != ("op", ")"):
            args.append(self.parse_or())
            while self.peek() == ("op", ","):
                self.take()
                args.append(self.parse_or())
        self.expect(")")
        arity = FUNCTIONS[name][0]
        if len(args) != arity:
            raise self.error(f"関数 {name} の引数は {arity} 個です（{len(args)} 個あります）")
        return Call(name, tuple(args))


def _refs(node: Node) -> set[str]:
    if isinstance(node, Ref):
        return {node.name}
    if isinstance(node, Call):
        return set().union(*(_refs(a) for a in node.args)) if node.args else set()
    if isinstance(node, BinOp):
        return _refs(node.left) | _refs(node.right)
    return set()


def parse(source: str) -> Expr:
    """Parse ``source``; raise :class:`SpecError` with the position of any mistake."""
    node = _Parser(str(source)).parse()
    return Expr(str(source), node, frozenset(_refs(node)))


# ---------------------------------------------------------------- evaluation


def _compare(op: str, left: Value, right: Value) -> bool:
    if isinstance(left, float) and isinstance(right, float):
        a: str | float = left
        b: str | float = right
    else:
        a, b = to_text(left), to_text(right)
    if op == "=":
        return a == b
    if op == "!=":
        return a != b
    ordered: Mapping[str, Callable[[object, object], bool]] = {
        "<": lambda x, y: x < y,  # type: ignore[operator]
        "<=": lambda x, y: x <= y,  # type: ignore[operator]
        ">": lambda x, y: x > y,  # type: ignore[operator]
        ">=": lambda x, y: x >= y,  # type: ignore[operator]
    }
    return ordered[op](a, b)


def _eval(node: Node, lookup: Lookup, current: Value) -> Value:
    if isinstance(node, Literal_):
        return node.value
    if isinstance(node, Ref):
        return lookup(node.name)
    if isinstance(node, Current):
        return current
    if isinstance(node, Call):
        func = FUNCTIONS[node.func][1]
        return func(*(_eval(a, lookup, current) for a in node.args))
    if node.op == "and":
        return to_bool(_eval(node.left, lookup, current)) and to_bool(
            _eval(node.right, lookup, current)
        )
    if node.op == "or":
        return to_bool(_eval(node.left, lookup, current)) or to_bool(
            _eval(node.right, lookup, current)
        )
    return _compare(node.op, _eval(node.left, lookup, current), _eval(node.right, lookup, current))
