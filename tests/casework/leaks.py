"""Find valid full My Numbers in what the product wrote (pages, files, the raw database).

Hex digests (SHA-256 hashes of the audit trail, the HMAC blind index, file checksums) are
removed first: 12 decimal digits in a row occur by chance inside hex strings, and such a run
is not a number anyone stored. Anything else that is 12 digits with a valid check digit counts.
"""

from __future__ import annotations

import re

from tenken.normalize.mynumber import is_valid

_HEX = re.compile(rb"[0-9a-f]{16,}")
_RUN = re.compile(rb"(?<!\d)\d{12}(?!\d)")


def full_numbers(data: bytes | str) -> list[str]:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    cleaned = _HEX.sub(b"#", raw)
    return [m.decode() for m in _RUN.findall(cleaned) if is_valid(m.decode())]
