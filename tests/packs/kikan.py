"""The test pack (tests/data/packs/kikan) and three answers that exercise it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tenken.survey.document import AnswerDocument, parse_document
from tenken.survey.pack import Pack, resolve_pack

PACKS = Path(__file__).resolve().parents[1] / "data" / "packs"
PACK_DIR = PACKS / "kikan"
RULES = PACKS / "kikan.risk.yaml"
ROSTER = PACKS / "kikan.roster.csv"

MINISTRY = "テスト省"
AGENCY = "独立行政法人テスト機構"
COMPANY = "テスト特殊会社"


def pack() -> Pack:
    return resolve_pack(str(PACK_DIR))


def _who(kind: str, name: str, mail: str) -> dict[str, str]:
    return {"組織区分": kind, "組織名": name, "担当者メール": mail}


def answers() -> dict[str, dict[str, Any]]:
    """A complete ministry answer, a complete agency answer, and a company's faulty one."""
    return {
        MINISTRY: {
            "respondent": _who("府省庁", MINISTRY, "a@example.go.jp"),
            "answers": {
                "A1": "あり", "A2": "120", "A3": "2025-12-01", "B1": ["kana", "jusho"],
                "B3": "mokushi", "C1": "なし", "C2": "二人で確認",
            },
        },
        AGENCY: {
            "respondent": _who("独立行政法人", AGENCY, "b@example.go.jp"),
            "answers": {"A1": "なし", "B1": ["kana", "seinengappi"], "B2": "あり"},
        },
        COMPANY: {
            "respondent": _who("特殊法人", COMPANY, "c@example"),
            "answers": {
                "A1": "あり", "A2": "十二", "A3": "2025/13/01", "B1": ["jusho"], "B2": "なし",
            },
        },
    }  # fmt: skip


def document(name: str, p: Pack | None = None) -> AnswerDocument:
    q = (p or pack()).questionnaire
    return parse_document(answers()[name], q, f"{name}.json")
