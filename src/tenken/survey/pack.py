"""Survey packs: a questionnaire with its report settings, risk rules and sample settings.

A pack is one validated unit. On disk it is a folder::

    PACK/questionnaire.yaml   the questionnaire (required; see questionnaires/*.yaml)
    PACK/report.yaml          cross-tabs, charted items, free-text items (optional)
    PACK/risk.yaml            risk rules (optional: without it nobody is flagged)
    PACK/sample.yaml          answer weights for generated sample answers (optional)
    PACK/caution.yaml         order of caution per item, for delegated answers (optional)

A bundled pack is ``questionnaires/ID.yaml`` with companions ``ID.report.yaml``,
``ID.risk.yaml``, ``ID.sample.yaml``, ``ID.caution.yaml``. :func:`pack_text` writes the whole
pack as one YAML document (what a round stores, so that it always reports with the rules it was
run with) and :func:`parse_pack_text` reads it back; it also accepts a bare questionnaire.

Loading collects the problems of every file and raises one :class:`SpecError` listing each
with its file and line. When the questionnaire itself is broken the other files are not
checked against it (they refer to its items); their YAML syntax still is.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from tenken.errors import ErrorList, SpecError
from tenken.survey.delegation import CautionOrder
from tenken.survey.loader import DEFAULT_QUESTIONNAIRE, _at_field, _field_lines, build, bundled_ids
from tenken.survey.model import Questionnaire
from tenken.survey.risk import RuleSet, build_rules, no_rules
from tenken.survey.xlsx.formulas import FieldRefs, relevant_formula
from tenken.survey.yamlsrc import at, load_yaml, plain

PARTS = ("questionnaire", "report", "risk", "sample", "caution")
FOLDER_FILES = {part: f"{part}.yaml" for part in PARTS}
PACK_FORMAT = 1
_WHAT = {
    "questionnaire": "調査票ファイル",
    "report": "レポート設定",
    "risk": "リスク判定ルール",
    "sample": "サンプル回答の設定",
    "caution": "慎重さの順",
}


@dataclass(frozen=True)
class ReportSettings:
    """What the report shows besides the level counts.

    ``charts`` None means every select item (the default); ``free_text`` lists typed-in items
    (text, numbers, dates) whose answers are listed organisation by organisation.
    """

    crosstabs: tuple[tuple[str, str], ...] = ()
    charts: tuple[str, ...] | None = None
    free_text: tuple[str, ...] = ()

    def charted(self, q: Questionnaire) -> tuple[str, ...]:
        if self.charts is not None:
            return self.charts
        return tuple(f.name for f in q.items if f.is_select)


@dataclass(frozen=True)
class SampleSettings:
    """Weights for generated answers; anything not listed is drawn uniformly."""

    weights: Mapping[str, Mapping[str, tuple[float, ...]]] = field(default_factory=dict)
    option_odds: Mapping[str, Mapping[str, tuple[float, ...]]] = field(default_factory=dict)
    texts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    respondent: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Pack:
    """A questionnaire and everything that reads its answers, validated together."""

    questionnaire: Questionnaire
    rules: RuleSet
    has_rules: bool
    report: ReportSettings
    sample: SampleSettings
    raw: Mapping[str, Any]  # part -> parsed YAML (plain), for pack_text
    source: str
    caution: CautionOrder = field(default_factory=CautionOrder)

    @property
    def id(self) -> str:
        return self.questionnaire.id

    def with_rules(self, rules: RuleSet) -> Pack:
        """The same pack judged by other rules (``survey report --rules``)."""
        return Pack(self.questionnaire, rules, True, self.report, self.sample, self.raw,
                    self.source, self.caution)  # fmt: skip


# ---------------------------------------------------------------- locating


def bundled_files(pack_id: str) -> dict[str, Path]:
    """The files of a bundled pack that exist (the questionnaire always does)."""
    folder = Path(str(resources.files("tenken.survey") / "questionnaires"))
    names = {part: f"{pack_id}.{part}.yaml" for part in PARTS}
    names["questionnaire"] = f"{pack_id}.yaml"
    return {part: folder / name for part, name in names.items() if (folder / name).is_file()}


def folder_files(folder: Path) -> dict[str, Path]:
    """The files of a pack folder; the questionnaire must be there."""
    if not folder.is_dir():
        raise SpecError(f"調査パックのフォルダ {folder} がありません")
    files = {p: folder / n for p, n in FOLDER_FILES.items() if (folder / n).is_file()}
    if "questionnaire" not in files:
        raise SpecError(
            f"調査パック {folder} に questionnaire.yaml がありません",
            hint="フォルダに questionnaire.yaml（必須）・report.yaml・risk.yaml を置きます",
        )
    return files


def is_pack_reference(value: str) -> bool:
    """Whether ``-q VALUE`` names a path (folder or YAML file) rather than a bundled id."""
    return "/" in value or value.endswith((".yaml", ".yml")) or Path(value).is_dir()


@cache
def load_bundled_pack(pack_id: str = DEFAULT_QUESTIONNAIRE) -> Pack:
    """A pack shipped with tenken (loaded once)."""
    if pack_id not in bundled_ids():
        raise SpecError(
            f"調査票 {pack_id!r} は同梱されていません", hint=f"同梱: {', '.join(bundled_ids())}"
        )
    return load_files(bundled_files(pack_id), pack_id)


def resolve_pack(value: str) -> Pack:
    """A bundled id, a pack folder, or a single questionnaire YAML (no rules, default report)."""
    if not is_pack_reference(value):
        return load_bundled_pack(value)
    path = Path(value)
    if path.is_dir():
        return load_files(folder_files(path), str(path))
    return load_files({"questionnaire": path}, str(path))


# ---------------------------------------------------------------- loading


def load_files(files: Mapping[str, Path], source: str) -> Pack:
    """Read and validate the files of one pack, listing every problem of every file at once."""
    texts: dict[str, tuple[str, str]] = {}
    problems: list[str] = []
    for part, path in files.items():
        try:
            texts[part] = (path.read_text(encoding="utf-8"), str(path))
        except (OSError, UnicodeDecodeError) as error:
            problems.append(f"{_WHAT[part]} {path} を読めません: {error}")
    data: dict[str, tuple[Any, str]] = {}
    for part, (text, where) in texts.items():
        try:
            data[part] = (load_yaml(text, where, _WHAT[part]), where)
        except SpecError as error:
            problems.append(error.message)
    return _build(data, source, problems)


def pack_text(pack: Pack) -> str:
    """The whole pack as one YAML document (stored with a round)."""
    document = {"tenken_pack": PACK_FORMAT, **{p: pack.raw[p] for p in PARTS if p in pack.raw}}
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=1000)


def parse_pack_text(text: str, source: str) -> Pack:
    """A pack from :func:`pack_text`'s output, or from a bare questionnaire YAML."""
    data = load_yaml(text, source, "調査パック")
    if isinstance(data, Mapping) and "tenken_pack" in data:
        if data["tenken_pack"] != PACK_FORMAT:
            raise SpecError(f"調査パック {source} の形式 {data['tenken_pack']!r} は読めません")
        unknown = sorted(set(data) - {"tenken_pack", *PARTS})
        if unknown:
            raise SpecError(f"調査パック {source}: 未知の部分 {unknown}")
        parts = {p: (data[p], f"{source} の {p}") for p in PARTS if p in data}
        return _build(parts, source, [])
    return _build({"questionnaire": (data, source)}, source, [])


@lru_cache(maxsize=16)
def stored_pack(text: str, source: str) -> Pack:
    """The pack a round stored; a bare bundled questionnaire (older rounds) means its pack.

    Cached by text: every page of a round reads its pack, and validating one takes ~150 ms
    (packs are immutable; a broken text raises every time, exceptions are not cached)."""
    pack = parse_pack_text(text, source)
    if set(pack.raw) == {"questionnaire"} and pack.id in bundled_ids():
        bundled = load_bundled_pack(pack.id)
        if bundled.questionnaire == pack.questionnaire:
            return bundled
    return pack


def _build(data: Mapping[str, tuple[Any, str]], source: str, problems: list[str]) -> Pack:
    q: Questionnaire | None = None
    if "questionnaire" in data:
        raw, where = data["questionnaire"]
        try:
            q = build(raw, where)
        except SpecError as error:
            problems.append(error.message)
    if q is not None:
        problems += _sheet_problems(q, *data["questionnaire"])
    if q is None:
        if problems and len(data) > 1:
            problems.append("調査票の誤りを直すと、レポート設定・リスク判定ルールも点検します")
        _raise(problems, source)
    assert q is not None
    rules, report, sample = no_rules(q), ReportSettings(), SampleSettings()
    builders: dict[str, Callable[[Any, str], Any]] = {
        "risk": lambda raw, where: build_rules(raw, q, where),
        "report": lambda raw, where: build_report_settings(raw, q, where),
        "sample": lambda raw, where: build_sample_settings(raw, q, where),
        "caution": lambda raw, where: build_caution(raw, q, where),
    }
    built: dict[str, Any] = {}
    for part, builder in builders.items():
        if part in data:
            try:
                built[part] = builder(*data[part])
            except SpecError as error:
                problems.append(error.message)
    _raise(problems, source)
    rules = built.get("risk", rules)
    report = built.get("report", report)
    sample = built.get("sample", sample)
    caution = built.get("caution", CautionOrder())
    raw_parts = {part: plain(value) for part, (value, _where) in data.items()}
    return Pack(q, rules, "risk" in built, report, sample, raw_parts, source, caution)


def _sheet_problems(q: Questionnaire, raw: Any, where: str) -> list[str]:
    """Every ``relevant`` must also work as the answer sheet's formula (one rule, two places:
    the engine and the sheet's flags), so a pack that cannot become a sheet fails here, at
    load, naming the field's line, rather than when a sheet is first generated."""
    errors = ErrorList("調査票ファイル", where)
    lines = _field_lines(raw.get("fields") if isinstance(raw, Mapping) else None)

    def refs(name: str) -> FieldRefs:
        f = q.field(name)
        options = {c: "A1" for c in q.choices_of(f).codes()} if f.list_name else {}
        return FieldRefs("A1", "A1", f.kind == "select_multiple", options)

    for f in q.fields:
        try:
            relevant_formula(f.relevant, refs)
        except SpecError as error:
            errors.add(_at_field(f.name, lines, " relevant"), error.message)
    try:
        errors.raise_if_any()
    except SpecError as error:
        return [error.message]
    return []


def _raise(problems: list[str], source: str) -> None:
    if len(problems) == 1:
        raise SpecError(problems[0])
    if problems:
        raise SpecError(f"調査パック {source} に誤りがあります:\n" + "\n".join(problems))


# ---------------------------------------------------------------- report settings

_REPORT_KEYS = {"crosstabs", "charts", "free_text"}


def build_report_settings(data: Any, q: Questionnaire, source: str) -> ReportSettings:
    """Validate ``report.yaml``: every item named exists and is of a kind the setting needs."""
    errors = ErrorList("レポート設定", source, hint="項目は調査票の name で書きます")
    if data is None:
        return ReportSettings()
    _check_keys(data, _REPORT_KEYS, errors)
    names = {f.name: f for f in q.items}

    def item(name: Any, where: str, select: bool) -> str:
        text = str(name)
        f = names.get(text)
        if f is None:
            errors.add(where, f"調査票に調査項目 {text!r} はありません")
        elif select and not f.is_select:
            errors.add(where, f"項目 {text} は選択式ではありません（集計できません）")
        elif not select and f.is_select:
            errors.add(where, f"項目 {text} は選択式です（一覧ではなく charts で集計します）")
        return text

    pairs: list[tuple[str, str]] = []
    for i, pair in enumerate(_as_list(data.get("crosstabs"), "crosstabs", data, errors)):
        where = at(f"crosstabs[{i}]", data["crosstabs"], i)
        if not isinstance(pair, list) or len(pair) != 2:
            errors.add(where, "[行の項目, 列の項目] の2つを書きます")
            continue
        pairs.append((item(pair[0], where, True), item(pair[1], where, True)))
    charts = None
    if "charts" in data:
        raw = _as_list(data["charts"], "charts", data, errors)
        charts = tuple(item(n, at(f"charts[{i}]", raw, i), True) for i, n in enumerate(raw))
    raw_text = _as_list(data.get("free_text"), "free_text", data, errors)
    texts = tuple(
        item(n, at(f"free_text[{i}]", raw_text, i), False) for i, n in enumerate(raw_text)
    )
    errors.raise_if_any()
    return ReportSettings(tuple(pairs), charts, texts)


def _check_keys(data: Any, known: set[str], errors: ErrorList) -> None:
    """A settings file is a mapping of known keys (a non-mapping stops here, unknown keys add)."""
    if not isinstance(data, Mapping):
        errors.add("全体", f"マッピング（{'・'.join(sorted(known))}）である必要があります")
        errors.raise_if_any()
    for key in sorted(set(data) - known):
        errors.add(at("全体", data, key), f"未知のキー {key!r}")


def _as_list(value: Any, key: str, parent: Any, errors: ErrorList) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        errors.add(at(key, parent, key), "リストである必要があります")
        return []
    return value


# ---------------------------------------------------------------- sample settings

_SAMPLE_KEYS = {"weights", "option_odds", "texts", "respondent"}
PROFILES = ("careful", "typical", "lax")


def build_sample_settings(data: Any, q: Questionnaire, source: str) -> SampleSettings:
    """Validate ``sample.yaml``: weights per profile, one per choice of the item's list."""
    errors = ErrorList("サンプル回答の設定", source)
    if data is None:
        return SampleSettings()
    _check_keys(data, _SAMPLE_KEYS, errors)
    fields = {f.name: f for f in q.fields}
    tables: dict[str, dict[str, dict[str, tuple[float, ...]]]] = {}
    for key, kind in (("weights", "select_one"), ("option_odds", "select_multiple")):
        table: dict[str, dict[str, tuple[float, ...]]] = {}
        for name, profiles in (data.get(key) or {}).items():
            where = at(f"{key}.{name}", data[key], name)
            f = fields.get(str(name))
            if f is None or f.kind != kind:
                errors.add(where, f"項目 {name} は {kind} の調査項目ではありません")
                continue
            size = len(q.choices_of(f).choices)
            table[str(name)] = {}
            for profile, values in (profiles or {}).items():
                if profile not in PROFILES or not isinstance(values, list) or len(values) != size:
                    errors.add(where, f"{profile}: {'・'.join(PROFILES)} ごとに {size} 個の数値")
                    continue
                table[str(name)][str(profile)] = tuple(float(v) for v in values)
        tables[key] = table
    texts: dict[str, tuple[str, ...]] = {}
    respondent: dict[str, tuple[str, ...]] = {}
    for key in ("texts", "respondent"):
        for name, values in (data.get(key) or {}).items():
            if str(name) not in fields or not isinstance(values, list) or not values:
                errors.add(at(f"{key}.{name}", data[key], name), "項目名と例のリストを書きます")
                continue
        texts_of = {str(n): tuple(str(v) for v in vs) for n, vs in (data.get(key) or {}).items()}
        if key == "texts":
            texts = texts_of
        else:
            respondent = texts_of
    errors.raise_if_any()
    return SampleSettings(tables["weights"], tables["option_odds"], texts, respondent)


# ---------------------------------------------------------------- order of caution

_CAUTION_KEYS = {"items", "quote"}


def build_caution(data: Any, q: Questionnaire, source: str) -> CautionOrder:
    """Validate ``caution.yaml``: each item is a select_one item of the questionnaire and lists
    every choice of its list exactly once, least safe first (:mod:`tenken.survey.delegation`)."""
    errors = ErrorList(
        "慎重さの順", source, hint="items: {項目: [最も危うい選択肢, …, 最も安全な選択肢]}"
    )
    if data is None:
        return CautionOrder()
    _check_keys(data, _CAUTION_KEYS, errors)
    items = data.get("items") or {}
    if not isinstance(items, Mapping):
        errors.add(
            at("items", data, "items"), "項目ごとの選択肢のリスト（マッピング）である必要があります"
        )
        errors.raise_if_any()
    fields = {f.name: f for f in q.items}
    orders: dict[str, tuple[str, ...]] = {}
    for name, order in items.items():
        where = at(f"items.{name}", items, name)
        f = fields.get(str(name))
        if f is None or f.kind != "select_one":
            errors.add(where, f"項目 {name} は調査票の択一式（select_one）の調査項目ではありません")
            continue
        codes = q.choices_of(f).codes()
        given = [str(c) for c in order] if isinstance(order, list) else []
        if sorted(given) != sorted(codes) or len(set(given)) != len(given):
            errors.add(where, f"選択肢 {'・'.join(codes)} を1回ずつ、最も危うい順に並べます")
            continue
        orders[str(name)] = tuple(given)
    errors.raise_if_any()
    return CautionOrder(orders, str(data.get("quote", "")).strip())
