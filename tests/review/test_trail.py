"""The hash chain (pure): every kind of tampering is named at the first bad entry."""

from __future__ import annotations

from dataclasses import replace

from tenken.trail import GENESIS, Entry, entry_hash, scrub, verify
from tests.linkage.fixtures import number


def chain(n: int) -> list[Entry]:
    entries, prev = [], GENESIS
    for seq in range(1, n + 1):
        fields = {
            "at": f"2026-12-02T00:00:{seq:02d}.000000+00:00",
            "actor": "suzuki",
            "action": "case.decide",
            "organisation": "",
            "object_type": "case",
            "object_id": str(seq),
            "details": {"reason": "別人"},
        }
        digest = entry_hash(prev, fields)
        entries.append(Entry(seq, **fields, prev_hash=prev, hash=digest))
        prev = digest
    return entries


def test_intact_chain_verifies_with_count_and_head() -> None:
    entries = chain(5)
    result = verify(entries, expect=entries[2].hash)
    assert result.ok and result.count == 5 and result.head == entries[-1].hash


def test_edit_is_named() -> None:
    entries = chain(5)
    entries[2] = replace(entries[2], details={"reason": "本人"})
    assert str(verify(entries).problem) == "エントリ 3: 改ざん（内容が変更されています）"


def test_delete_is_named() -> None:
    entries = chain(5)
    del entries[2]
    problem = verify(entries).problem
    assert problem and (problem.seq, problem.kind) == (4, "deleted")


def test_reorder_is_named() -> None:
    entries = chain(5)
    entries[1], entries[2] = replace(entries[2], seq=2), replace(entries[1], seq=3)
    problem = verify(entries).problem
    assert problem and (problem.seq, problem.kind) == (2, "reordered")


def test_insert_is_named() -> None:
    entries = chain(5)
    fields = {**entries[2].fields(), "details": {"reason": "偽"}}
    forged = Entry(3, **fields, prev_hash="f" * 64, hash=entry_hash("f" * 64, fields))
    shifted = [replace(e, seq=e.seq + 1) if e.seq >= 3 else e for e in entries]
    problem = verify([*shifted, forged]).problem
    assert problem and (problem.seq, problem.kind) == (3, "inserted")


def test_truncated_tail_is_found_with_the_recorded_head() -> None:
    entries = chain(5)
    assert verify(entries[:3]).ok  # a chain cannot prove its own end
    problem = verify(entries[:3], expect=entries[-1].hash).problem
    assert problem and problem.kind == "head_missing"


def test_scrub_masks_every_twelve_digit_run() -> None:
    full = number(7)
    wide = full.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    cleaned = scrub({"q": f"番号{full}を", "w": [wide], "n": 3})
    assert full not in str(cleaned) and cleaned["n"] == 3
    assert cleaned["q"].endswith(full[-4:] + "を")


def test_scrub_finds_numbers_as_messages_do() -> None:
    """The trail and error messages share one rule: typed with separators or in other digits."""
    full = number(8)
    spaced = f"{full[:4]}-{full[4:8]} {full[8:]}"
    arabic = full.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    cleaned = scrub({"a": f"番号 {spaced} 確認", "b": arabic, "c": "法人番号1234567890123"})
    assert full[:8] not in str(cleaned).replace("-", "").replace(" ", "")
    assert arabic[:8] not in cleaned["b"]
    assert cleaned["c"] == "法人番号1234567890123"  # 13 digits are not a My Number
    assert cleaned["a"].startswith("番号 ") and cleaned["a"].endswith(" 確認")  # rest kept as given


def test_insert_chained_to_its_predecessor_is_named() -> None:
    entries = chain(5)
    fields = {**entries[2].fields(), "details": {"reason": "偽"}}
    prev = entries[1].hash
    forged = Entry(3, **fields, prev_hash=prev, hash=entry_hash(prev, fields))
    shifted = [replace(e, seq=e.seq + 1) if e.seq >= 3 else e for e in entries]
    problem = verify([*shifted, forged]).problem
    assert problem and (problem.seq, problem.kind) == (3, "inserted")
