"""The names of the inspection's tables inside an engine: defined once, used by every builder.

The SQL builders (:mod:`.sql`, :mod:`.fastpath`, :mod:`.outputs`, :mod:`.evidence`,
:mod:`.scoring`) and :mod:`.inspection` refer to tables only through these constants, so a
rename (or a prefix, when several inspections share one Spark session) is one edit here.
Input tables carry ``row``: the record's position, which
:meth:`tenken.linkage.checks.Source.location` turns back into file and line.
"""

from __future__ import annotations

REG_IN = "reg_in"  # the registry file, strings with ASCII column names, and row
REC_IN = "rec_in"  # the records file, likewise
GAIJI_NAMES = "gaiji_names"  # registry name holding 外字 codes -> the name decoded
REG_DECODED = "reg_decoded"  # the registry with its names decoded (then again reg_in)
DATES_SEEN = "dates_seen"  # (c, v, r): each date column's distinct texts and first rows
DATES_READ = "dates_read"  # (c, v, r, d): dates_seen with the dates the engine reads
DATES_PARSED = "dates_parsed"  # text parse_date read (no western date in ASCII digits) -> d
DATES = "dates"  # raw date text -> d (DATE), parsed once per distinct value
SEXES = "sexes"  # raw sex text -> s ('1', '2', '9')
NAME_SPLIT = "name_split"  # distinct raw name -> s, g (surname, given; '' when kept whole), plain
NAME_PARTS = "name_parts"  # surname or given name -> its name_key
NAME_WHOLE = "name_whole"  # raw name not split -> its name_key
NAME_NU = "name_nu"  # raw name that is not plain -> '1' when it cannot be compared
NAME_KEYS = "name_keys"  # raw name -> key, nu (holds a character that cannot be compared)
REG = "reg"  # typed registry states
REC = "rec"  # typed records with their number's status
LP = "lp"  # linked pairs: record x each registry state of its number
LP_OPEN = "lp_open"  # pairs of records not confirmed as written, addresses or kana differing
OP = "op"  # other persons with the same name key, birth date and sex
ADDR_RAW = "addr_raw"  # distinct addresses that differ inside a pair
KANJI_NUM = "kanji_num"  # fast path: kanji number spelling k -> arabic digits n
ADDR_PRE = "addr_pre"  # fast path, step 1 (see tenken.linkage.fastpath)
PLACE_OK = "place_ok"  # fast path's place guard
ADDR_CANON = "addr_canon"  # raw -> c, the fast path's canonical form
ADDR_CKEYS = "addr_ckeys"  # c -> key, the normaliser's key of forms that still differ
ADDR_KEYS = "addr_keys"  # raw, c, key, main, tail
KANA_KEYS = "kana_keys"  # raw kana -> reading key
KANA_SQL = "kana_sql"  # differing raw kana -> reading key where SQL keys it, else NULL
KANA_PY = "kana_py"  # raw kana SQL cannot key -> reading_key (Python)
NAME_PAIRS = "name_pairs"  # (a, b) name pairs whose keys differ, status where SQL decides
NAME_CMP_PY = "name_cmp_py"  # (a, b) -> status of the pairs left to Python
NAME_CMP = "name_cmp"  # (a, b) -> status for name pairs whose keys differ
MASKS = "masks"  # mn -> masked number (candidate lists)
BEST = "best"  # per linked record, its best registry state
OTHERS = "others"  # per record, the other persons who match
DUP = "dup"  # numbers linked to several records
VERDICTS = "verdicts"  # one row per record
REVIEW = "review"  # review.xlsx's cells of the records not confirmed, with row
TRUTH_IN = "truth_in"  # the answer key of a synthetic population (scoring)

ALL = (REG_IN, REC_IN, GAIJI_NAMES, REG_DECODED, DATES_SEEN, DATES_READ, DATES_PARSED,
       DATES, SEXES, NAME_SPLIT,
       NAME_PARTS, NAME_WHOLE, NAME_NU, NAME_KEYS, REG, REC, LP,
       LP_OPEN, OP, ADDR_RAW, KANJI_NUM, ADDR_PRE, PLACE_OK, ADDR_CANON, ADDR_CKEYS, ADDR_KEYS,
       KANA_KEYS, KANA_SQL, KANA_PY, NAME_PAIRS, NAME_CMP_PY, NAME_CMP, MASKS, BEST, OTHERS,
       DUP, VERDICTS, REVIEW, TRUTH_IN)  # fmt: skip
"""Every table the inspection creates or registers."""
