"""The labels of where an organisation stands in a round: one rule for the site, the CLI and
the reports (the store's ``api.submission_state`` and the report's ``OrgRow.state`` call it).

An answer with problems is accepted on every path (the seed's process takes sheets with flags
and follows them up); it is shown as 「提出済み（不備あり）」 so the ministry can filter on it.
"""

from __future__ import annotations

SUBMITTED = "提出済み"
SUBMITTED_WITH_PROBLEMS = "提出済み（不備あり）"
DRAFT = "一時保存"
NOT_STARTED = "未着手"
STATES = (SUBMITTED, SUBMITTED_WITH_PROBLEMS, DRAFT, NOT_STARTED)


def with_problems(missing_info: bool, unanswered: bool, problem_count: int) -> bool:
    """不備あり: a flag of the sheet or any problem the engine found (missing attachments too)."""
    return missing_info or unanswered or problem_count > 0


def state_label(submitted: bool, has_problems: bool, has_draft: bool = False) -> str:
    if submitted:
        return SUBMITTED_WITH_PROBLEMS if has_problems else SUBMITTED
    return DRAFT if has_draft else NOT_STARTED
