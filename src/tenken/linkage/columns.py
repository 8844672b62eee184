"""Column names of the input and output files, verdict codes and their Japanese labels.

Files use Japanese headers; SQL uses the ASCII names on the right so the same statements run on
any engine.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """A header in the user's file and the ASCII name used inside SQL."""

    header: str
    name: str
    required: bool = True


REGISTRY_COLUMNS = (
    Column("個人番号", "mn"),
    Column("氏名", "name"),
    Column("氏名カナ", "kana", required=False),
    Column("生年月日", "birth"),
    Column("性別", "sex"),
    Column("住所", "address"),
    Column("有効開始日", "vfrom"),
    Column("有効終了日", "vto"),
)

RECORD_COLUMNS = (
    Column("制度固有番号", "rid"),
    Column("氏名", "name"),
    Column("氏名カナ", "kana", required=False),
    Column("生年月日", "birth"),
    Column("性別", "sex"),
    Column("住所", "address"),
    Column("個人番号", "mn"),
    Column("紐付け日", "linked_on"),
)

TRUTH_COLUMNS = (
    Column("制度固有番号", "rid"),
    Column("正しい個人番号", "true_mn"),
    Column("誤紐付け", "is_mislink"),
    Column("原因", "cause"),
)

VERDICTS: dict[str, str] = {
    "confirmed": "一致確認",
    "review": "要確認",
    "suspected_mislink": "誤紐付けの疑い",
    "invalid_number": "個人番号の誤り",
    "not_in_registry": "住基に該当番号なし",
    "unlinked_match": "紐付け候補あり（一意に一致）",
    "unlinked_ambiguous": "候補が複数（自動紐付け不可）",
    "unlinked_none": "一致する人なし",
}

REASONS: dict[str, str] = {
    "name_differs": "氏名が異なる（異体字・表記ゆれを除く）",
    "birth_differs": "生年月日が異なる",
    "sex_differs": "性別が異なる",
    "address_differs": "住所が異なり、履歴でも説明できない",
    "kana_differs": "カナ氏名だけが異なる",
    "name_unverifiable": "外字等のため氏名を照合できない",
    "history_used": "住所・氏名の変更履歴で一致",
    "matches_state_before_link": "紐付け日より前の状態とだけ一致",
    "other_person_matches": "基本4情報がすべて一致する別人が住基にいる",
    "same_name_birth_elsewhere": "同じ氏名・生年月日の別人（同姓同名）",
    "family_at_same_address": "紐付け先と同じ住所の別人と一致（家族の番号の可能性）",
    "one_digit_off": "一致する人の個人番号と1桁だけ違う",
    "another_person_also_matches": "別人も基本4情報がすべて一致する",
    "number_format": "個人番号が12桁の数字でない",
    "check_digit": "個人番号のチェックデジットが合わない",
    "number_not_found": "住基にない個人番号",
    "shared_number": "同じ個人番号が複数の記録に紐付いている",
    "partial_candidates_only": "氏名・生年月日・性別だけが一致する候補（紐付け提案ではない）",
}

FLAGGED_VERDICTS = ("review", "suspected_mislink", "invalid_number", "not_in_registry")
"""Verdicts of linked records that send the record to a person for verification."""


def reason_labels(codes: str) -> str:
    """Japanese labels for a ``;``-separated list of reason codes."""
    return "、".join(REASONS.get(code, code) for code in codes.split(";") if code)
