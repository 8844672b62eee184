"""The web app's seam to the survey store (issue 3: response models, SHA-256, history, ingest).

The site keeps no answers of its own: drafts, submissions and their history go through the
store's models and its ingest function, the same as ``tenken survey ingest``. Until that store
is on main, :func:`available` is False and the form only checks answers (点検) without saving.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tenken.survey.document import AnswerDocument
from tenken.survey.engine import Evaluation
from tenken.web.accounts.models import RosterEntry


@dataclass(frozen=True)
class Stored:
    """An organisation's current answer in a round."""

    document: AnswerDocument
    submitted: bool
    updated_at: datetime
    missing_info: bool = False
    unanswered: bool = False
    problem_count: int = 0


@dataclass(frozen=True)
class HistoryRow:
    at: datetime
    action: str
    by: str
    missing_info: bool
    unanswered: bool


def available() -> bool:
    """True once the survey store is installed."""
    return False


def load(entry: RosterEntry) -> Stored | None:
    return None


def load_round(round_id: int) -> dict[int, Stored]:
    """Every stored answer of a round, keyed by organisation id (for the dashboard)."""
    return {}


def history(entry: RosterEntry) -> list[HistoryRow]:
    return []


def save(
    entry: RosterEntry, document: AnswerDocument, evaluation: Evaluation, submit: bool, user: Any
) -> None:
    raise RuntimeError("回答の保存先（調査回答ストア）がまだ導入されていません")
