"""case_evidence.parquet: what a reviewer needs beside each record that is not confirmed.

One row per (case, person state): ``role`` is ``record`` (the record's facts as written),
``claimed`` (every registry state of the number the record is linked to, with validity dates)
or ``other`` (every state of each other person who agrees on name, birth date and sex, so also
those agreeing on all four facts). Numbers are the full, cleaned numbers: this file is input
data for ``tenken review import`` (which stores them encrypted) and must be kept like the
inspection's input files. Built from the inspection's own tables; executes nothing itself.
"""

from __future__ import annotations

from tenken.linkage.engine import Dialect
from tenken.linkage.tables import LP, OP, REC, REC_IN, REG, REG_IN, VERDICTS

COLUMNS = ("rid", "role", "srow", "mn", "name", "kana", "birth", "sex", "address",
           "vfrom", "vto", "linked_on")  # fmt: skip


def _state(d: Dialect) -> str:
    return f"""CAST(s.row AS BIGINT) AS srow, g.mn, s.name, coalesce(s.kana, '') AS kana, s.birth,
  s.sex, s.address, {d.cast_text("g.vfrom")} AS vfrom, {d.cast_text("g.vto")} AS vto,
  {d.cast_text("NULL")} AS linked_on"""


def evidence_select(d: Dialect) -> str:
    """The rows of case_evidence.parquet, ordered by record and state (casts spelt by ``d``)."""
    state, null = _state(d), d.cast_text("NULL")
    return f"""WITH cases AS (SELECT row, rid FROM {VERDICTS} WHERE verdict <> 'confirmed')
SELECT * FROM (
  SELECT c.rid, 'record' AS role, CAST(c.row AS BIGINT) AS srow, x.mn, r.name,
    coalesce(r.kana, '') AS kana, r.birth, r.sex, r.address, {null} AS vfrom,
    {null} AS vto, r.linked_on
  FROM cases c JOIN {REC_IN} r ON r.row = c.row JOIN {REC} x ON x.row = c.row
  UNION ALL
  SELECT c.rid, 'claimed' AS role, {state}
  FROM cases c JOIN {LP} lp ON lp.rid = c.rid JOIN {REG_IN} s ON s.row = lp.srow
    JOIN {REG} g ON g.row = lp.srow
  UNION ALL
  SELECT c.rid, 'other' AS role, {state}
  FROM cases c JOIN (SELECT DISTINCT rid, omn FROM {OP}) o ON o.rid = c.rid
    JOIN {REG} g ON g.mn = o.omn JOIN {REG_IN} s ON s.row = g.row
) e ORDER BY rid, role DESC, srow"""
