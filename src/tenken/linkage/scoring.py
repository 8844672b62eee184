"""Score an inspection against a truth table (``--truth``, e.g. synth's truth.csv).

A linked record counts as *flagged* when its verdict sends it to a person
(:data:`~tenken.linkage.columns.FLAGGED_VERDICTS`); precision and recall are about flagged
mislinks, and ``false_alarms_per_10000`` counts flagged records that were linked right, per
10,000 right links. Link proposals for unlinked records are scored apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from tenken.linkage.checks import Input, check_unique
from tenken.linkage.columns import FLAGGED_VERDICTS, TRUTH_COLUMNS
from tenken.linkage.engine import Engine
from tenken.linkage.tables import TRUTH_IN, VERDICTS

if TYPE_CHECKING:
    from tenken.linkage.parts import Place

STRICT_VERDICTS = ("suspected_mislink", "invalid_number", "not_in_registry")


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def _count(cond: str) -> str:
    return f"SUM(CASE WHEN {cond} THEN 1 ELSE 0 END)"


def scoring_sql() -> str:
    """Counts of flagged/unflagged right/wrong links and of right/wrong proposals."""
    linked = "v.mn IS NOT NULL"
    mislink = "t.is_mislink = '1'"
    flagged = f"v.verdict IN {_in(FLAGGED_VERDICTS)}"
    strict = f"v.verdict IN {_in(STRICT_VERDICTS)}"
    return f"""SELECT
  {_count(f"{linked} AND {mislink} AND {flagged}")} AS true_alarms,
  {_count(f"{linked} AND {mislink} AND {strict}")} AS strict_alarms,
  {_count(f"{linked} AND {mislink} AND NOT {flagged}")} AS missed,
  {_count(f"{linked} AND NOT {mislink} AND {flagged}")} AS false_alarms,
  {_count(f"{linked} AND NOT {mislink}")} AS right_links,
  {_count("v.verdict = 'unlinked_match' AND v.first_full = t.true_mn")} AS right_proposals,
  {_count("v.verdict = 'unlinked_match' AND v.first_full <> t.true_mn")} AS wrong_proposals,
  {_count("t.rid IS NULL")} AS without_truth
FROM {VERDICTS} v LEFT JOIN {TRUTH_IN} t ON v.rid = t.rid"""


def load_truth(engine: Engine, truth: Place, mapping: Mapping[str, str] | None = None) -> None:
    """Read the truth table into the engine (:meth:`Engine.load`, as the inputs: DuckDB and
    Spark read the CSV themselves) and check it; done before the inspection's inputs are read,
    so that a wrong file stops the run at once instead of after all the work."""
    source = engine.load(TRUTH_IN, truth, TRUTH_COLUMNS, mapping or {})
    check_unique(engine, Input(TRUTH_IN, source), "rid")


def score(engine: Engine) -> dict[str, Any]:
    """Precision, recall and false alarms of this inspection against the truth table
    (:func:`load_truth`)."""
    row = engine.arrow(scoring_sql()).to_pylist()[0]
    n = {k: int(v or 0) for k, v in row.items()}
    flagged = n["true_alarms"] + n["false_alarms"]
    mislinks = n["true_alarms"] + n["missed"]
    return {
        "precision": round(n["true_alarms"] / flagged, 6) if flagged else 1.0,
        "recall": round(n["true_alarms"] / mislinks, 6) if mislinks else 1.0,
        "recall_strict": round(n["strict_alarms"] / mislinks, 6) if mislinks else 1.0,
        "false_alarms_per_10000": (
            round(n["false_alarms"] * 10000 / n["right_links"], 3) if n["right_links"] else 0.0
        ),
        "mislinks": mislinks,
        **n,
    }
