"""Risk classification: rules as data (``QUESTIONNAIRE.risk.yaml``) applied to evaluated answers.

A rule fires when its ``condition`` holds (an expression in the questionnaire's language,
evaluated with :func:`tenken.survey.engine.effective_lookup`, so skipped items read as empty
exactly as in ``relevant``) or when its ``flag`` is set by the engine. An organisation's level is
the highest level among the rules that fired, the file's ``default_level`` when none did.
Answers are taken as given (see the file's ``note``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal, cast

from tenken.errors import ErrorList, SpecError
from tenken.survey.document import AnswerDocument
from tenken.survey.engine import FLAG_MISSING_INFO, FLAG_UNANSWERED, Evaluation, effective_lookup
from tenken.survey.expr import BinOp, Call, Expr, Node, Ref, parse
from tenken.survey.loader import DEFAULT_QUESTIONNAIRE, _compared_codes, load_bundled
from tenken.survey.model import Questionnaire
from tenken.survey.yamlsrc import at, line_of, load_yaml

Level = Literal["高", "中", "低"]
LEVELS: tuple[Level, ...] = ("高", "中", "低")  # most severe first
FLAGS = (FLAG_MISSING_INFO, FLAG_UNANSWERED)
_RULE_KEYS = {"id", "title", "level", "condition", "flag", "rationale", "quote"}
_TOP_KEYS = {
    "questionnaire", "version", "default_level", "note", "note_quote", "levels", "rules",
}  # fmt: skip

_HINT = "項目名は調査票の name（例: 7-2）、選択肢は ① などのコードで書きます"


@dataclass(frozen=True)
class RiskRule:
    """One rule: fires on a condition over the answers or on an engine flag."""

    id: str
    title: str
    level: Level
    rationale: str
    quote: str
    condition: Expr | None = None
    flag: str | None = None

    def fires(self, lookup: Any, evaluation: Evaluation) -> bool:
        if self.flag is not None:
            return evaluation.flags[self.flag]
        return self.condition is not None and self.condition.truthy(lookup)

    @property
    def trigger(self) -> str:
        """The condition or flag as text (for reports)."""
        return str(self.condition) if self.condition is not None else f"{self.flag}"


@dataclass(frozen=True)
class RuleSet:
    """The rules of one questionnaire, with the level meanings and the reading note."""

    questionnaire_id: str
    rules: tuple[RiskRule, ...]
    default_level: Level
    note: str
    note_quote: str
    levels: dict[str, str]


@dataclass(frozen=True)
class Assessment:
    """An organisation's level and the rules that fired (most severe first)."""

    level: Level
    fired: tuple[RiskRule, ...]

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.fired)


def level_rank(level: str) -> int:
    """0 for 高, 1 for 中, 2 for 低 (for sorting most severe first)."""
    return LEVELS.index(level) if level in LEVELS else len(LEVELS)


def assess(
    rules: RuleSet,
    questionnaire: Questionnaire,
    document: AnswerDocument,
    evaluation: Evaluation,
) -> Assessment:
    """Apply every rule to one organisation's answers."""
    lookup = effective_lookup(questionnaire, document)
    fired = [r for r in rules.rules if r.fires(lookup, evaluation)]
    fired.sort(key=lambda r: level_rank(r.level))
    level = fired[0].level if fired else rules.default_level
    return Assessment(level, tuple(fired))


# ---------------------------------------------------------------- loading


def bundled_rules_path(questionnaire_id: str) -> Path:
    ref = resources.files("tenken.survey") / "questionnaires" / f"{questionnaire_id}.risk.yaml"
    return Path(str(ref))


@cache
def load_bundled_rules(questionnaire_id: str = DEFAULT_QUESTIONNAIRE) -> RuleSet:
    """The rule file shipped beside a bundled questionnaire (loaded once)."""
    return load_rules(bundled_rules_path(questionnaire_id), load_bundled(questionnaire_id))


def load_rules(path: Path, questionnaire: Questionnaire) -> RuleSet:
    """Read and validate a risk rule file against ``questionnaire``."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SpecError(f"リスク判定ルール {path} を読めません: {error}") from error
    return build_rules(load_yaml(text, str(path), "リスク判定ルール"), questionnaire, str(path))


def no_rules(questionnaire: Questionnaire) -> RuleSet:
    """The rule set of a pack without risk rules: nobody is flagged, and reports say so."""
    return RuleSet(
        questionnaire_id=questionnaire.id,
        rules=(),
        default_level="低",
        note="この調査票にはリスク判定ルールがありません。判定は行わず、全団体を「低」としています。",
        note_quote="",
        levels={"低": "リスク判定ルールがないため判定していません"},
    )


def build_rules(data: Any, questionnaire: Questionnaire, source: str = "<rules>") -> RuleSet:
    """Build a rule set from parsed YAML, listing every problem in one SpecError."""
    errors = ErrorList("リスク判定ルール", source, hint=_HINT)
    if not isinstance(data, Mapping) or not isinstance(data.get("rules"), list):
        errors.add("全体", "マッピングで、rules（ルールのリスト）が必要です")
        errors.raise_if_any()
    data = cast(Mapping[str, Any], data)
    for key in sorted(set(data) - _TOP_KEYS):
        errors.add("全体", f"未知のキー {key!r}")
    declared = data.get("questionnaire")
    if declared is not None and declared != questionnaire.id:
        errors.add(
            at("questionnaire", data, "questionnaire"),
            f"{declared!r} はこの調査票（{questionnaire.id}）ではありません",
        )
    default_level = data.get("default_level", "低")
    if default_level not in LEVELS:
        errors.add(
            at("default_level", data, "default_level"),
            f"{default_level!r} は 高・中・低 のいずれかです",
        )
    rules: list[RiskRule] = []
    seen: set[str] = set()
    for i, entry in enumerate(data["rules"]):
        rule = _build_rule(entry, at(f"rules[{i}]", data["rules"], i), questionnaire, errors)
        if rule is None:
            continue
        if rule.id in seen:
            errors.add(at(f"ルール {rule.id}", data["rules"], i), "id が重複しています")
        seen.add(rule.id)
        rules.append(rule)
    errors.raise_if_any()
    return RuleSet(
        questionnaire_id=questionnaire.id,
        rules=tuple(rules),
        default_level=cast(Level, default_level),
        note=str(data.get("note", "")).strip(),
        note_quote=str(data.get("note_quote", "")).strip(),
        levels={str(k): str(v) for k, v in (data.get("levels") or {}).items()},
    )


def _build_rule(entry: Any, at_i: str, q: Questionnaire, errors: ErrorList) -> RiskRule | None:
    if not isinstance(entry, Mapping) or "id" not in entry:
        errors.add(at_i, "id が必要です")
        return None
    line = line_of(entry)
    where = f"{line}行目 ルール {entry['id']}" if line else f"ルール {entry['id']}"
    for key in sorted(set(entry) - _RULE_KEYS):
        errors.add(where, f"未知のキー {key!r}")
    for key in ("title", "level", "rationale", "quote"):
        if not str(entry.get(key) or "").strip():
            errors.add(where, f"{key} が必要です")
    level = entry.get("level")
    if level is not None and level not in LEVELS:
        errors.add(where, f"level {level!r} は 高・中・低 のいずれかです")
    has_condition, flag = "condition" in entry, entry.get("flag")
    if has_condition == (flag is not None):
        errors.add(where, "condition と flag のどちらか一方が必要です")
    if flag is not None and flag not in FLAGS:
        errors.add(where, f"flag {flag!r} は {'・'.join(FLAGS)} のいずれかです")
    condition = _condition(entry.get("condition"), where, q, errors) if has_condition else None
    return RiskRule(
        id=str(entry["id"]),
        title=str(entry.get("title", "")).strip(),
        level=cast(Level, level if level in LEVELS else "低"),
        rationale=str(entry.get("rationale", "")).strip(),
        quote=str(entry.get("quote", "")).strip(),
        condition=condition,
        flag=str(flag) if flag is not None else None,
    )


def _condition(source: Any, where: str, q: Questionnaire, errors: ErrorList) -> Expr | None:
    try:
        expr = parse(str(source))
    except SpecError as error:
        errors.add(f"{where} condition", error.message)
        return None
    fields = {f.name: f for f in q.fields}
    for ref in sorted(expr.refs - fields.keys()):
        errors.add(f"{where} condition", f"調査票に項目 ${{{ref}}} はありません")
    for ref, code in _compared_codes(expr.node):
        target = fields.get(ref)
        if target is None or target.list_name is None:
            continue
        codes = q.lists[target.list_name].codes()
        if code not in codes:
            allowed = "、".join(codes)
            errors.add(
                f"{where} condition", f"項目 {ref} の選択肢に {code!r} はありません（{allowed}）"
            )
    for ref in sorted(_compared_multi(expr.node, q)):
        errors.add(
            f"{where} condition",
            f"項目 {ref} は複数選択です: = ではなく selected(${{{ref}}}, '①') で調べてください",
        )
    return expr


def _compared_multi(node: Node, q: Questionnaire) -> set[str]:
    """Multi-select fields compared with = or != (always a mistake: use selected())."""
    found: set[str] = set()
    if isinstance(node, BinOp):
        if node.op in ("=", "!="):
            for side in (node.left, node.right):
                multi = isinstance(side, Ref) and side.name in q.names()
                if multi and q.field(side.name).kind == "select_multiple":  # type: ignore[union-attr]
                    found.add(side.name)  # type: ignore[union-attr]
        found |= _compared_multi(node.left, q) | _compared_multi(node.right, q)
    elif isinstance(node, Call):
        for arg in node.args:
            found |= _compared_multi(arg, q)
    return found
