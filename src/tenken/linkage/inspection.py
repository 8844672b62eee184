"""``tenken inspect``: re-check every linked record against the resident registry.

Flow (each stage reports to ``progress``):

1. read both files into the engine (:meth:`Engine.load`), check columns and unique IDs;
2. normalise dates, sexes and names once per distinct value (dates and names mostly in SQL:
   a name of characters ``name_key`` leaves alone is its own key; other names are split into
   surname and given name so only the parts reach :mod:`tenken.linkage.keys` through
   :meth:`Engine.lookup`, on Spark on the executors);
3. in the engine: type the tables, pair each linked record with its number's registry states
   and with other persons of the same name key, birth date and sex;
4. compute address/kana keys and name comparisons only for the values that differ in those
   pairs (most values are equal as written; kana keys and most name comparisons in SQL), then
   the per-record verdicts in SQL.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from tenken.errors import InputError
from tenken.fileio import check_out_folder
from tenken.linkage import checks, fastpath, keys
from tenken.linkage import sql as q
from tenken.linkage import tables as t
from tenken.linkage.checks import Input
from tenken.linkage.columns import RECORD_COLUMNS, REGISTRY_COLUMNS
from tenken.linkage.engine import Engine, Step, engine_kind, make_engine, release
from tenken.linkage.gaiji_table import load_gaiji_table
from tenken.linkage.outputs import OUTPUT_NAMES, counts, write_all
from tenken.linkage.parts import Place
from tenken.linkage.scoring import load_truth, score
from tenken.normalize.address import address_key
from tenken.normalize.gaiji import PRIVATE_USE_CLASS, decode
from tenken.normalize.mynumber import mask
from tenken.normalize.name import name_key, reading_key

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


@dataclass(frozen=True)
class Inputs:
    """The two files, read into the engine and checked."""

    registry: Input
    records: Input


def load(
    engine: Engine,
    registry: Place,
    records: Place,
    mapping: Mapping[str, str],
    gaiji: Mapping[str, str] | None = None,
) -> Inputs:
    """Read both files into the engine (:meth:`Engine.load`: Spark reads CSV and Parquet
    itself) and check them there (columns present, 制度固有番号 unique and non-empty); with
    the registry's 外字 table ``gaiji``, its names hold the characters the codes stand for."""
    known = {c.header for c in (*REGISTRY_COLUMNS, *RECORD_COLUMNS)}
    unknown = sorted(set(mapping) - known)
    if unknown:
        raise InputError(
            f"--map の列名「{unknown[0]}」は入力の列ではありません",
            hint="使える列名: " + "、".join(sorted(known)),
        )
    reg = Input(t.REG_IN, engine.load(t.REG_IN, registry, REGISTRY_COLUMNS, mapping))
    if gaiji:
        _decode_gaiji(engine, gaiji)
    rec = Input(t.REC_IN, engine.load(t.REC_IN, records, RECORD_COLUMNS, mapping))
    checks.check_unique(engine, rec, "rid")
    return Inputs(reg, rec)


def _decode_gaiji(engine: Engine, table: Mapping[str, str]) -> None:
    """The registry's names with their 外字 codes replaced by the characters ``table`` gives,
    decoded once per distinct name that holds a private-use code; the rest stay as read."""
    d = engine.dialect
    holds_code = d.contains_match("name", PRIVATE_USE_CLASS)
    engine.lookup(
        t.GAIJI_NAMES,
        f"SELECT DISTINCT name AS v FROM {t.REG_IN} WHERE {holds_code}",
        partial(decode, table=dict(table)),
    )
    columns = engine.arrow(f"SELECT * FROM {t.REG_IN} LIMIT 0").column_names
    chosen = ", ".join(
        "coalesce(g.key, r.name) AS name" if c == "name" else f"r.{c}" for c in columns
    )
    join = f"{t.REG_IN} r LEFT JOIN {t.GAIJI_NAMES} g ON r.name = g.raw"
    engine.run(Step(t.REG_DECODED, f"SELECT {chosen} FROM {join}"))
    release(engine, t.REG_IN, t.GAIJI_NAMES)
    engine.run(Step(t.REG_IN, f"SELECT * FROM {t.REG_DECODED}"))
    release(engine, t.REG_DECODED)


def normalise(engine: Engine, inputs: Inputs) -> None:
    """Register the lookup tables for dates, sexes and name keys (checking dates and sexes)."""
    reg, rec = inputs.registry, inputs.records
    date_columns = [
        (reg, "birth", True),
        (reg, "vfrom", False),
        (reg, "vto", False),
        (rec, "birth", True),
        (rec, "linked_on", False),
    ]
    checks.dates(engine, date_columns)
    engine.register(t.SEXES, checks.sexes(engine, [(reg, "sex", True), (rec, "sex", True)]))
    name_keys(engine)


def name_keys(engine: Engine) -> None:
    """``name_keys`` for every distinct name of both inputs. The engine splits the names into
    surname and given name (:func:`tenken.linkage.sql.name_split_sql`), so the normaliser reads
    only the distinct parts (tens of thousands, where there are about a million names) and the
    few names of another shape; the 外字 flag is read only for names that are not plain."""
    engine.run(q.name_split_sql(engine.dialect))
    engine.lookup(t.NAME_PARTS, q.name_parts_sql(), name_key)
    engine.lookup(t.NAME_WHOLE, q.name_whole_sql(), name_key)
    engine.lookup(t.NAME_NU, q.name_not_plain_sql(), keys.unverifiable_flag)
    engine.run(q.name_keys_sql())
    release(engine, t.NAME_SPLIT, t.NAME_PARTS, t.NAME_WHOLE, t.NAME_NU)


def kana_keys(engine: Engine) -> None:
    """``kana_keys`` for the readings that differ as written in open linked pairs: keyed by the
    engine where it can (:mod:`tenken.linkage.readings`), the rest by ``reading_key``."""
    engine.run(q.kana_values_sql(engine.dialect))
    engine.lookup(t.KANA_PY, q.kana_python_sql(), reading_key)
    engine.run(q.kana_keys_sql())
    release(engine, t.KANA_SQL, t.KANA_PY)


def name_comparisons(engine: Engine) -> None:
    """``name_cmp`` for the linked pairs whose name keys differ or hold a 外字: 'mismatch' in
    SQL where both keys are known and comparable, ``compare_names`` for the rest."""
    engine.run(q.name_pairs_sql(engine.dialect))
    schema = keys.NAME_CMP_SCHEMA
    engine.map_table(t.NAME_CMP_PY, q.name_pairs_python_sql(), keys.name_comparisons, schema)
    engine.run(q.name_cmp_sql())
    release(engine, t.NAME_PAIRS, t.NAME_CMP_PY)


def _count(engine: Engine, table: str) -> int:
    return int(engine.arrow(f"SELECT count(*) AS n FROM {table}").column(0)[0].as_py())


def address_keys(engine: Engine, fast: bool = True) -> dict[str, int]:
    """``addr_keys`` for the addresses that differ as written: the fast path's canonical form
    for each (:mod:`tenken.linkage.fastpath`), and the normaliser's key only for the forms of
    pairs that still differ. ``fast=False`` sends every differing value to the normaliser.
    Returns how many distinct values differed as written and how many the normaliser read."""
    engine.run(q.address_values_sql())
    if fast:
        fastpath.canonical(engine, f"SELECT v FROM {t.ADDR_RAW}")
    else:
        engine.run(fastpath.identity_step(f"SELECT v FROM {t.ADDR_RAW}"))
    engine.lookup(t.ADDR_CKEYS, q.differing_canonical_sql(), address_key)
    engine.run(q.address_keys_sql())
    row = engine.arrow(
        f"SELECT (SELECT count(*) FROM {t.ADDR_RAW}) AS differing, "
        f"(SELECT count(*) FROM {t.ADDR_CKEYS}) AS normalised"
    ).to_pylist()[0]
    release(engine, t.ADDR_RAW, t.KANJI_NUM, t.ADDR_PRE, t.ADDR_CANON, t.ADDR_CKEYS, t.PLACE_OK)
    return {k: int(v) for k, v in row.items()}


def match(engine: Engine, progress: Progress = _quiet, fast: bool = True) -> dict[str, int]:
    """Build the pair tables, the lazy keys and the verdicts table; returns the address
    counts of :func:`address_keys`. Tables no later step reads are released on the way."""
    d = engine.dialect
    steps = (q.registry_sql(d), q.records_sql(d), q.linked_pairs_sql(), q.other_pairs_sql())
    for step in (*steps, q.open_pairs_sql()):
        engine.run(step)
    release(engine, t.DATES, t.SEXES, t.NAME_KEYS)
    progress(STAGES[3])
    counted = address_keys(engine, fast)
    kana_keys(engine)
    release(engine, t.LP_OPEN)
    name_comparisons(engine)
    engine.lookup(t.MASKS, f"SELECT DISTINCT omn AS v FROM {t.OP}", mask)
    progress(STAGES[4])
    for step in (q.best_state_sql(), q.other_persons_sql(d), q.duplicates_sql(d), q.verdicts_sql()):
        engine.run(step)
    release(engine, t.BEST, t.OTHERS, t.DUP, t.ADDR_KEYS, t.KANA_KEYS, t.NAME_CMP, t.MASKS)
    return counted


def inspect(
    engine: Engine, inputs: Inputs, progress: Progress = _quiet, fast: bool = True
) -> dict[str, int]:
    """Run the whole inspection; the result is the engine's ``verdicts`` table. ``fast=False``
    skips the address fast path (the reference the fast path is tested against). Returns the
    address counts of :func:`address_keys`."""
    progress(STAGES[1])
    normalise(engine, inputs)
    progress(STAGES[2])
    return match(engine, progress, fast)


STAGES = (
    "読み込み",
    "正規化（氏名・生年月日・性別）",
    "照合",
    "表記の正規化（違う値だけ）",
    "判定",
    "書き出し",
)
"""The stage names reported to ``progress``, in order."""


def run(
    registry: Place,
    records: Place,
    out: Path,
    *,
    mapping: Mapping[str, str] | None = None,
    truth: Path | None = None,
    engine_name: str = "duckdb",
    progress: Progress = _quiet,
    fast: bool = True,
    gaiji: Path | None = None,
) -> dict[str, Any]:
    """Inspect ``records`` against ``registry`` and write the results into ``out``; ``gaiji``
    is the registry's 外字 table (:mod:`tenken.linkage.gaiji_table`).

    Returns the summary (also written as summary.json). Bad input raises
    :class:`~tenken.errors.InputError` before anything is written.
    """
    started = time.perf_counter()
    stage_seconds: dict[str, float] = {}

    def timed(name: str) -> None:
        stage_seconds[name] = round(time.perf_counter() - started, 2)
        progress(name)

    engine_kind(engine_name)  # an unknown engine stops before any file is read
    timed(STAGES[0])
    check_out_folder(out, OUTPUT_NAMES)  # before any work: a wrong --out costs nothing
    gaiji_table = load_gaiji_table(gaiji) if gaiji is not None else None
    engine = make_engine(engine_name)
    try:
        if truth is not None:  # checked before the inputs are read
            load_truth(engine, truth, mapping)
        inputs = load(engine, registry, records, mapping or {}, gaiji_table)
        addresses = inspect(engine, inputs, timed, fast)
        summary: dict[str, Any] = {
            "registry": str(registry),
            "records": str(records),
            "registry_rows": _count(engine, t.REG_IN),
            "record_rows": _count(engine, t.REC_IN),
            "engine": engine_name,
            "verdicts": counts(engine),
            "address_values": addresses,
        }
        if truth is not None:
            scores = score(engine)
            summary.update(
                {k: scores[k] for k in ("precision", "recall", "false_alarms_per_10000")}
            )
            summary["scoring"] = scores
        timed(STAGES[-1])
        summary["stage_seconds"] = stage_seconds
        write_all(engine, out, summary)
    finally:
        engine.close()
    return summary
