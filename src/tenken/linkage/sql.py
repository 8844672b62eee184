"""Pure SQL builders for the inspection: each returns a :class:`Step` and executes nothing.

Tables, in order (inputs registered by :mod:`tenken.linkage.inspection`):

    reg_in, rec_in         the files as strings, with ``row`` (0-based)
    dates, sexes           distinct raw values -> parsed values (western and era dates in
                           SQL, the rest in Python, once per distinct value)
    name_split             distinct raw names, keyed in SQL where the name is its own key,
                           else split into surname and given name in SQL
    name_parts, name_whole name_key of each distinct part / of each name kept whole (Python),
    name_nu                and the 外字 flag of the names that are not plain
    name_keys              distinct raw names -> name key, nu
    reg, rec               typed, cleaned, keyed
    lp                     linked pairs: a record x every registry state of its number
    op                     other persons: same name key, birth and sex, another number
    addr_raw, addr_canon   addresses differing inside lp/op and their fast-path forms
    kana_sql, kana_py      reading keys of differing readings: in SQL, and the rest in Python
    name_pairs, name_cmp_py  name pairs whose keys differ: settled in SQL, the rest in Python
    addr_keys, kana_keys,  keys for the values that still differ (lazy)
    name_cmp, masks
    best                   per linked record, its best registry state with per-fact flags
    others                 per record, the other persons matching on all four facts / partly
    dup                    numbers linked to several records
    verdicts               one row per record
"""

from __future__ import annotations

from tenken.linkage import readings
from tenken.linkage.engine import Dialect, Step
from tenken.linkage.keys import (
    PART_CLASS,
    PLAIN_NAME_CHARS,
    SPLIT_MAX,
    TWO_PARTS,
    folded_part_chars,
)
from tenken.linkage.tables import (
    ADDR_CANON,
    ADDR_CKEYS,
    ADDR_KEYS,
    ADDR_RAW,
    BEST,
    DATES,
    DUP,
    KANA_KEYS,
    KANA_PY,
    KANA_SQL,
    LP,
    LP_OPEN,
    MASKS,
    NAME_CMP,
    NAME_CMP_PY,
    NAME_KEYS,
    NAME_NU,
    NAME_PAIRS,
    NAME_PARTS,
    NAME_SPLIT,
    NAME_WHOLE,
    OP,
    OTHERS,
    REC,
    REC_IN,
    REG,
    REG_IN,
    SEXES,
    VERDICTS,
)
from tenken.normalize.name import UNKNOWN

FULL_DIGITS = "０１２３４５６７８９"
_NUMBER_SEPARATORS = " \\t　-"


def clean_number(d: Dialect, expr: str) -> str:
    """The My Number digits: full-width digits folded, spaces and hyphens removed, '' -> NULL.

    Mirrors :func:`tenken.normalize.mynumber.clean` for digits, spaces and hyphens. A value of
    ASCII digits only (nearly all) is taken as it is: folding and removing leave it unchanged,
    and the check is far cheaper than ``translate`` on every row.
    """
    folded = f"translate({expr}, '{FULL_DIGITS}－', '0123456789-')"
    removed = d.remove_chars(folded, _NUMBER_SEPARATORS)
    return f"NULLIF(CASE WHEN {d.full_match(expr, '[0-9]*')} THEN {expr} ELSE {removed} END, '')"


def check_digit_ok(d: Dialect, expr: str, value: str | None = None) -> str:
    """True when the 12th digit of ``expr``, a string of 12 digits, is the My Number check
    digit of the first 11 (NULL for a string that is not a number). The digits are taken from
    ``value``, the number as one 64-bit integer (by default ``expr`` cast; give a column that
    holds it so the cast runs once): arithmetic, not 12 substrings cast one by one."""
    number = value or d.try_long(expr)
    terms = []
    for n in range(1, 12):  # n-th digit from the right of the first eleven
        weight = n + 1 if n <= 6 else n - 5
        terms.append(f"({d.int_div(number, str(10**n))} % 10) * {weight}")
    remainder = f"(({' + '.join(terms)}) % 11)"
    check = f"((11 - {remainder}) % 11 % 10)"  # 0 when the remainder is 0 or 1, else 11 - it
    return f"({check} = {number} % 10)"


def number_status(d: Dialect, expr: str, value: str | None = None) -> str:
    """'none', 'format' (not 12 digits), 'check' (bad check digit) or 'ok'; ``value`` as for
    :func:`check_digit_ok`."""
    return (
        f"CASE WHEN {expr} IS NULL THEN 'none' "
        f"WHEN NOT {d.full_match(expr, '[0-9]{12}')} THEN 'format' "
        f"WHEN NOT {check_digit_ok(d, expr, value)} THEN 'check' ELSE 'ok' END"
    )


def name_split_sql(d: Dialect) -> Step:
    """``name_split``: every distinct non-empty name of both inputs with ``key`` where the
    engine keys it itself (a name of characters ``name_key`` leaves as they are and spaces:
    its key is the name without the spaces, see :func:`tenken.linkage.keys.folded_part_chars`),
    else its surname ``s`` and given name ``g`` where it is written as
    :data:`tenken.linkage.keys.TWO_PARTS` ('' and '' otherwise: the name is keyed whole),
    and ``plain`` (it cannot hold a 外字: keyed by the engine, or only
    :data:`~tenken.linkage.keys.PLAIN_NAME_CHARS`). Only the parts and the few other names
    reach Python."""
    pattern = "^" + TWO_PARTS + "\\z"  # \z: the end of the text on RE2 and Java alike
    parts = d.extract_groups("raw", pattern, ("s", "g"))
    short = f"{d.length('raw')} <= {SPLIT_MAX}"
    own_chars = d.full_match("raw", PART_CLASS + "*")
    own = f"{short} AND {own_chars} AND NOT {d.holds_any('raw', folded_part_chars())}"
    split = f"CASE WHEN NOT own AND {short} THEN {parts} END"
    plain = f"CASE WHEN own THEN true ELSE {d.full_match('raw', PLAIN_NAME_CHARS + '*')} END"
    key = "CASE WHEN own THEN replace(replace(raw, ' ', ''), '\u3000', '') END"
    return Step(
        NAME_SPLIT,
        f"""SELECT raw, key, coalesce(p.s, '') AS s, coalesce(p.g, '') AS g, plain FROM (
  SELECT raw, {key} AS key, {split} AS p, {plain} AS plain FROM (
    SELECT raw, {own} AS own FROM (
      SELECT name AS raw FROM {REG_IN} UNION SELECT name AS raw FROM {REC_IN}) n
    WHERE raw <> '') o) x""",
    )


def name_parts_sql() -> str:
    """The distinct surnames and given names of ``name_split`` (for ``name_key``)."""
    return (
        f"SELECT s AS v FROM {NAME_SPLIT} WHERE s <> '' "
        f"UNION SELECT g AS v FROM {NAME_SPLIT} WHERE g <> ''"
    )


def name_whole_sql() -> str:
    """The names ``name_split`` neither keys nor splits (for ``name_key``)."""
    return f"SELECT raw AS v FROM {NAME_SPLIT} WHERE key IS NULL AND s = ''"


def name_not_plain_sql() -> str:
    """The names that may hold a 外字 (for :func:`tenken.linkage.keys.unverifiable_flag`)."""
    return f"SELECT raw AS v FROM {NAME_SPLIT} WHERE NOT plain"


def name_keys_sql() -> Step:
    """``name_keys`` (raw, key, nu): the key the engine gave, else the parts' keys joined
    (:func:`tenken.linkage.keys.split_name_keys`) of a split name, of any other name its own
    key; ``nu`` the flag of a name that is not plain (a plain name never holds a 外字)."""
    return Step(
        NAME_KEYS,
        f"""SELECT n.raw,
  coalesce(n.key, CASE WHEN n.s <> '' THEN ps.key || pg.key ELSE w.key END) AS key,
  coalesce(u.key = '1', false) AS nu
FROM {NAME_SPLIT} n
LEFT JOIN {NAME_PARTS} ps ON n.s = ps.raw LEFT JOIN {NAME_PARTS} pg ON n.g = pg.raw
LEFT JOIN {NAME_WHOLE} w ON n.raw = w.raw LEFT JOIN {NAME_NU} u ON n.raw = u.raw""",
    )


def registry_sql(d: Dialect) -> Step:
    """Typed registry states with their name key."""
    return Step(
        REG,
        f"""SELECT i.row, {clean_number(d, "i.mn")} AS mn, i.name, coalesce(i.kana, '') AS kana,
  b.d AS birth, s.s AS sex, i.address, f.d AS vfrom, t.d AS vto, k.key AS nk,
  coalesce(k.nu, false) AS nu
FROM {REG_IN} i
LEFT JOIN {DATES} b ON i.birth = b.raw LEFT JOIN {SEXES} s ON i.sex = s.raw
LEFT JOIN {DATES} f ON i.vfrom = f.raw LEFT JOIN {DATES} t ON i.vto = t.raw
LEFT JOIN {NAME_KEYS} k ON i.name = k.raw""",
    )


def records_sql(d: Dialect) -> Step:
    """Typed records with their cleaned number, its status and the name key."""
    return Step(
        REC,
        f"""SELECT x.row, x.rid, x.mn, x.name, x.kana, x.birth, x.sex, x.address, x.linked_on,
  x.nk, x.nu, {number_status(d, "x.mn", "x.n")} AS mn_status FROM (
  SELECT y.*, {d.try_long("y.mn")} AS n FROM (
  SELECT i.row, i.rid, {clean_number(d, "i.mn")} AS mn, i.name, coalesce(i.kana, '') AS kana,
    b.d AS birth, s.s AS sex, i.address, l.d AS linked_on, k.key AS nk, coalesce(k.nu, false) AS nu
  FROM {REC_IN} i
  LEFT JOIN {DATES} b ON i.birth = b.raw LEFT JOIN {SEXES} s ON i.sex = s.raw
  LEFT JOIN {DATES} l ON i.linked_on = l.raw LEFT JOIN {NAME_KEYS} k ON i.name = k.raw) y) x""",
    )


def linked_pairs_sql() -> Step:
    """Each linked record with every registry state of its number; ``eligible`` when the state
    was valid at or after 紐付け日 (moves and marriages before the link are history)."""
    return Step(
        LP,
        f"""SELECT r.rid, s.row AS srow, s.vfrom, s.vto,
  (s.vto IS NULL OR r.linked_on IS NULL OR s.vto >= r.linked_on) AS eligible,
  coalesce(r.nk = s.nk AND r.nk <> '' AND NOT r.nu AND NOT s.nu, false) AS nk_eq,
  r.name AS rname, s.name AS sname,
  coalesce(r.birth = s.birth, false) AS birth_eq, coalesce(r.sex = s.sex, false) AS sex_eq,
  r.address AS raddr, s.address AS saddr, r.kana AS rkana, s.kana AS skana
FROM {REC} r JOIN {REG} s ON r.mn = s.mn
WHERE r.mn_status = 'ok'""",
    )


def other_pairs_sql() -> Step:
    """Registry states of *other* persons with the record's name key, birth date and sex
    (for unlinked records: of anyone). Blocking on the exact name key keeps this small; names
    with a 外字 cannot prove a four-fact match and are left out."""
    return Step(
        OP,
        f"""SELECT r.rid, r.mn AS rmn, s.mn AS omn, s.row AS srow,
  r.address AS raddr, s.address AS saddr
FROM {REC} r JOIN {REG} s ON r.nk = s.nk AND r.birth = s.birth AND r.sex = s.sex
WHERE r.nk <> '' AND NOT r.nu AND NOT s.nu AND (r.mn IS NULL OR s.mn <> r.mn)""",
    )


def _differ(left: str, right: str) -> str:
    """SQL: two values that both hold text and differ (only such a pair needs keys)."""
    return f"({left} <> {right} AND {left} <> '' AND {right} <> '')"


def differing_values_sql(table: str, left: str, right: str) -> str:
    """Distinct values of two columns in the rows where they differ (the keys still needed)."""
    differ = _differ(left, right)
    return (
        f"SELECT {left} AS v FROM {table} WHERE {differ} "
        f"UNION SELECT {right} AS v FROM {table} WHERE {differ}"
    )


def kana_values_sql(d: Dialect) -> Step:
    """``kana_sql`` (raw, key): the distinct readings of open linked pairs that differ as
    written, with ``reading_key`` where the engine computes it
    (:func:`tenken.linkage.readings.reading_key_sql`), NULL for the few left to Python."""
    values = differing_values_sql(LP_OPEN, "rkana", "skana")
    return Step(
        KANA_SQL,
        f"SELECT raw, {readings.reading_key_sql(d, 'raw', 't')} AS key FROM ("
        f"SELECT v AS raw, {readings.reading_text_sql(d, 'v')} AS t FROM ({values}) v) x",
    )


def settled_sql(name: str, table: str, python: str, columns: str, answer: str) -> Step:
    """``name``: the rows of ``table`` the engine settled (``answer`` not NULL) and the rows
    Python settled into ``python`` for the others, with the same ``columns``."""
    return Step(
        name,
        f"SELECT {columns} FROM {table} WHERE {answer} IS NOT NULL "
        f"UNION ALL SELECT {columns} FROM {python}",
    )


def kana_python_sql() -> str:
    """The readings ``kana_sql`` left to ``reading_key``."""
    return f"SELECT raw AS v FROM {KANA_SQL} WHERE key IS NULL"


def kana_keys_sql() -> Step:
    """``kana_keys`` (raw, key): every differing reading with its reading key."""
    return settled_sql(KANA_KEYS, KANA_SQL, KANA_PY, "raw, key", "key")


def address_values_sql() -> Step:
    """``addr_raw``: the distinct addresses of linked and other-person pairs that differ as
    written (only these need a comparison beyond ``=``)."""
    return Step(
        ADDR_RAW,
        f"{differing_values_sql(LP_OPEN, 'raddr', 'saddr')} "
        f"UNION {differing_values_sql(OP, 'raddr', 'saddr')}",
    )


def differing_canonical_sql() -> str:
    """The distinct canonical forms (``addr_canon.c``) of pairs still differing after the fast
    path: the only values the Python normaliser sees. The pairs are not made distinct first
    (hashing 900k pairs of strings cost more than the few repeated pairs it saves)."""
    differ = _differ("raddr", "saddr")
    return f"""WITH pairs AS (
  SELECT raddr, saddr FROM {LP_OPEN} WHERE {differ}
  UNION ALL SELECT raddr, saddr FROM {OP} WHERE {differ}),
d AS (SELECT a.c AS x, b.c AS y FROM pairs
  JOIN {ADDR_CANON} a ON pairs.raddr = a.raw JOIN {ADDR_CANON} b ON pairs.saddr = b.raw
  WHERE a.c <> b.c)
SELECT x AS v FROM d UNION SELECT y AS v FROM d"""


def address_keys_sql() -> Step:
    """``addr_keys`` (raw, c, key, main, tail): each differing address, its canonical form and,
    where the normaliser was needed, the key of that form (``address_key(c) ==
    address_key(raw)``) split as :func:`tenken.normalize.address.split_key` does."""
    return Step(
        ADDR_KEYS,
        "SELECT a.raw, a.c, k.key, split_part(k.key, '#', 1) AS main,"
        " split_part(k.key, '#', 2) AS tail"
        f" FROM {ADDR_CANON} a LEFT JOIN {ADDR_CKEYS} k ON a.c = k.raw",
    )


def address_equal(pair: str) -> str:
    """Whether the two addresses of ``pair`` are one address: equal as written, equal after the
    fast path, or keys that agree (:func:`address_agree`; ``ar``/``sa`` are ``addr_keys``
    joined on each side)."""
    agree = address_agree("ar", "sa")
    return f"coalesce({pair}.raddr = {pair}.saddr OR ar.c = sa.c OR {agree}, false)"


def open_pairs_sql() -> Step:
    """Linked pairs of records *not* already confirmed as written (a state valid at or after
    紐付け日 with the same address text and the same name key, birth and sex). Only these need
    address and kana keys, so most records skip Python normalisation of addresses entirely;
    only the pairs whose addresses or kana differ are kept, with those columns (all that the
    lazy keys read)."""
    return Step(
        LP_OPEN,
        f"""SELECT rid, raddr, saddr, rkana, skana FROM {LP}
WHERE ({_differ("raddr", "saddr")} OR {_differ("rkana", "skana")}) AND rid NOT IN (
  SELECT rid FROM {LP} WHERE eligible AND nk_eq AND birth_eq AND sex_eq AND raddr = saddr
    AND (rkana = '' OR skana = '' OR rkana = skana))""",
    )


def name_pairs_sql(d: Dialect) -> Step:
    """``name_pairs`` (a, b, status): the distinct (record name, registry name) pairs whose
    keys differ or hold a 外字, with ``status`` 'mismatch' where both keys are known, differ
    and hold no U+FFFD (what ``compare_names`` answers then), else NULL (left to Python)."""
    comparable = " AND ".join(f"NOT {d.contains_text(k, UNKNOWN)}" for k in ("r.nk", "s.nk"))
    decided = f"r.nk IS NOT NULL AND s.nk IS NOT NULL AND r.nk <> s.nk AND {comparable}"
    return Step(
        NAME_PAIRS,
        f"""SELECT DISTINCT lp.rname AS a, lp.sname AS b,
  CASE WHEN {decided} THEN 'mismatch' END AS status
FROM {LP} lp JOIN {REC} r ON lp.rid = r.rid JOIN {REG} s ON lp.srow = s.row
WHERE NOT lp.nk_eq""",
    )


def name_pairs_python_sql() -> str:
    """The name pairs ``name_pairs`` leaves to :func:`tenken.linkage.keys.name_comparisons`."""
    return f"SELECT a, b FROM {NAME_PAIRS} WHERE status IS NULL"


def name_cmp_sql() -> Step:
    """``name_cmp`` (a, b, status) for every pair of ``name_pairs``."""
    return settled_sql(NAME_CMP, NAME_PAIRS, NAME_CMP_PY, "a, b, status", "status")


SCORE = (
    "(CASE WHEN eligible THEN 128 ELSE 0 END + CASE WHEN birth_eq THEN 32 ELSE 0 END"
    " + CASE WHEN sex_eq THEN 16 ELSE 0 END + CASE name_st WHEN 'match' THEN 8"
    " WHEN 'unverifiable' THEN 4 ELSE 0 END + CASE WHEN addr_eq THEN 2 ELSE 0 END"
    " + CASE WHEN kana_eq THEN 1 ELSE 0 END)"
)


def address_agree(left: str, right: str) -> str:
    """SQL: the addr_keys rows ``left`` and ``right`` name one address — the rule of
    :func:`tenken.normalize.address.keys_agree`: equal AREA/TOWN/BLOCKS (``main``), and TAILs
    equal, one empty, or one the leading part of the other."""
    l_tail, r_tail = f"{left}.tail", f"{right}.tail"
    return (
        f"({left}.main = {right}.main AND ({l_tail} = {r_tail} OR {l_tail} = '' OR {r_tail} = ''"
        f" OR left({r_tail}, length({l_tail}) + 1) = {l_tail} || '-'"
        f" OR left({l_tail}, length({r_tail}) + 1) = {r_tail} || '-'))"
    )


def best_state_sql() -> Step:
    """Per linked record, the registry state that agrees best (eligible states first), with
    per-fact flags, and whether some *ineligible* state agreed on all four facts."""
    scored = f"""SELECT lp.rid, lp.srow, lp.vfrom, lp.vto, lp.eligible, lp.birth_eq, lp.sex_eq,
    CASE WHEN lp.nk_eq THEN 'match' ELSE coalesce(c.status, 'mismatch') END AS name_st,
    {address_equal("lp")} AS addr_eq,
    coalesce(lp.rkana = '' OR lp.skana = '' OR lp.rkana = lp.skana OR kr.key = ks.key, false)
      AS kana_eq
  FROM {LP} lp
  LEFT JOIN {NAME_CMP} c ON lp.rname = c.a AND lp.sname = c.b
  LEFT JOIN {ADDR_KEYS} ar ON lp.raddr = ar.raw LEFT JOIN {ADDR_KEYS} sa ON lp.saddr = sa.raw
  LEFT JOIN {KANA_KEYS} kr ON lp.rkana = kr.raw LEFT JOIN {KANA_KEYS} ks ON lp.skana = ks.raw"""
    full = "(name_st = 'match' AND birth_eq AND sex_eq AND addr_eq)"
    return Step(
        BEST,
        f"""SELECT * FROM (
  SELECT *, {full} AS full4,
    bool_or(NOT eligible AND {full}) OVER (PARTITION BY rid) AS full_before,
    row_number() OVER (PARTITION BY rid ORDER BY {SCORE} DESC, srow DESC) AS rn
  FROM ({scored}) x) y
WHERE rn = 1""",
    )


def other_persons_sql(d: Dialect) -> Step:
    """Per record, the other persons agreeing on all four facts (``n_full``) and those agreeing
    on name, birth and sex only (``n_partial``), with masked candidate lists."""
    addr_eq = address_equal("op")
    padded = [f"rpad(left(coalesce({c}, ''), 12), 12, 'x')" for c in ("op.rmn", "op.omn")]
    one_off = f"(length(op.rmn) = 12 AND {d.hamming(*padded)} = 1)"
    return Step(
        OTHERS,
        f"""SELECT rid,
  count(DISTINCT CASE WHEN addr_eq THEN omn END) AS n_full,
  count(DISTINCT omn) AS n_partial,
  bool_or(addr_eq AND one_off) AS one_digit_off,
  min(CASE WHEN addr_eq THEN omn END) AS first_full,
  min(CASE WHEN addr_eq THEN srow END) AS full_srow, min(srow) AS partial_srow,
  {d.string_agg("CASE WHEN addr_eq THEN masked END", " / ")} AS full_list,
  {d.string_agg("masked", " / ")} AS partial_list
FROM (SELECT op.rid, op.omn, op.srow, m.key AS masked, {addr_eq} AS addr_eq, {one_off} AS one_off
  FROM {OP} op LEFT JOIN {ADDR_KEYS} ar ON op.raddr = ar.raw
  LEFT JOIN {ADDR_KEYS} sa ON op.saddr = sa.raw LEFT JOIN {MASKS} m ON op.omn = m.raw) z
GROUP BY rid""",
    )


def duplicates_sql(d: Dialect) -> Step:
    """Numbers linked to more than one record, each with a group id D000001, ..."""
    number = d.cast_text("row_number() OVER (ORDER BY mn)")
    return Step(
        DUP,
        f"""SELECT mn, 'D' || lpad({number}, 6, '0') AS grp
FROM {REC} WHERE mn IS NOT NULL GROUP BY mn HAVING count(*) > 1""",
    )


# Kana is evidence, never a verdict: a reading that differs after reading_key folding is listed
# (kana_differs) on a record whose four facts agree, which stays confirmed. Kana is not one of
# the four facts and the registry had none before 2025 (docs/address-key.md, "Names").
_VERDICT = """CASE
  WHEN r.mn_status = 'none' THEN CASE WHEN coalesce(o.n_full, 0) = 1 THEN 'unlinked_match'
    WHEN o.n_full > 1 THEN 'unlinked_ambiguous' ELSE 'unlinked_none' END
  WHEN r.mn_status <> 'ok' THEN 'invalid_number'
  WHEN b.rid IS NULL THEN 'not_in_registry'
  WHEN b.eligible AND b.full4 AND coalesce(o.n_full, 0) = 0 THEN 'confirmed'
  WHEN coalesce(o.n_full, 0) > 0 AND NOT (b.eligible AND b.full4) THEN 'suspected_mislink'
  WHEN NOT b.birth_eq OR NOT b.sex_eq OR b.name_st = 'mismatch' THEN 'suspected_mislink'
  ELSE 'review' END"""

_REASONS = (
    ("number_format", "r.mn_status = 'format'"),
    ("check_digit", "r.mn_status = 'check'"),
    ("number_not_found", "r.mn_status = 'ok' AND b.rid IS NULL"),
    ("name_differs", "b.name_st = 'mismatch'"),
    ("name_unverifiable", "b.name_st = 'unverifiable'"),
    ("birth_differs", "NOT b.birth_eq"),
    ("sex_differs", "NOT b.sex_eq"),
    ("address_differs", "NOT b.addr_eq"),
    ("kana_differs", "NOT b.kana_eq"),
    ("history_used", "b.vto IS NOT NULL AND b.full4"),
    ("matches_state_before_link", "b.full_before AND NOT (b.eligible AND b.full4)"),
    (
        "other_person_matches",
        "r.mn_status <> 'none' AND o.n_full > 0 AND NOT coalesce(b.eligible AND b.full4, false)",
    ),
    ("another_person_also_matches", "o.n_full > 0 AND b.eligible AND b.full4"),
    (
        "same_name_birth_elsewhere",
        "o.n_full > 0 AND b.name_st = 'match' AND b.birth_eq AND NOT b.addr_eq",
    ),
    ("family_at_same_address", "o.n_full > 0 AND b.addr_eq AND NOT b.full4"),
    ("one_digit_off", "o.one_digit_off"),
    ("shared_number", "g.grp IS NOT NULL"),
    (
        "partial_candidates_only",
        "r.mn_status = 'none' AND coalesce(o.n_full, 0) = 0 AND o.n_partial > 0",
    ),
)


def verdicts_sql() -> Step:
    """One row per record: verdict, reason codes, candidates (masked), duplicate group, and
    the registry state used as evidence."""
    reasons = ", ".join(f"CASE WHEN {cond} THEN '{code}' END" for code, cond in _REASONS)
    return Step(
        VERDICTS,
        f"""SELECT r.row, r.rid, {_VERDICT} AS verdict, concat_ws(';', {reasons}) AS reasons,
  CASE WHEN coalesce(o.n_full, 0) > 0 THEN o.full_list
    WHEN r.mn_status = 'none' THEN o.partial_list END AS candidates,
  g.grp AS duplicate_group, b.vfrom AS state_from, b.vto AS state_to,
  coalesce(b.srow, o.full_srow, o.partial_srow) AS evidence_srow, o.first_full, r.mn
FROM {REC} r LEFT JOIN {BEST} b ON r.rid = b.rid LEFT JOIN {OTHERS} o ON r.rid = o.rid
LEFT JOIN {DUP} g ON r.mn = g.mn""",
    )
