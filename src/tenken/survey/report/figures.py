"""The report's figures as plain JSON-ready data (``report.json``; the HTML and CSV read it too)."""

from __future__ import annotations

from typing import Any

from tenken.survey.aggregate import CrossTab, ItemTally
from tenken.survey.engine import flags_json
from tenken.survey.report.model import OrgRow, ReportData


def share(count: int, base: int) -> float:
    """A share rounded to 4 decimals (0 when the base is 0)."""
    return round(count / base, 4) if base else 0.0


def tally_json(tally: ItemTally) -> dict[str, Any]:
    return {
        "item": tally.item,
        "type": tally.kind,
        "text": tally.text,
        "choices": [
            {"code": code, "label": label}
            for code, label in zip(tally.codes, tally.labels, strict=True)
        ],
        "groups": {
            name: {
                "respondents": g.respondents,
                "applicable": g.applicable,
                "answered": g.answered,
                "no_answer": g.no_answer,
                "counts": dict(g.counts),
                "shares": {code: share(n, g.answered) for code, n in g.counts.items()},
            }
            for name, g in tally.groups.items()
        },
    }


def crosstab_json(tab: CrossTab) -> dict[str, Any]:
    return {
        "row": tab.row,
        "col": tab.col,
        "row_codes": list(tab.row_codes),
        "col_codes": list(tab.col_codes),
        "cells": {r: {c: tab.cell(r, c) for c in tab.col_codes} for r in tab.row_codes},
        "row_totals": dict(tab.row_totals),
        "col_not_counted": dict(tab.col_missing),
    }


def org_json(org: OrgRow) -> dict[str, Any]:
    return {
        "org_name": org.org_name,
        "kind": org.kind,
        "prefecture": org.prefecture,
        "code": org.code,
        "submitted": org.submitted,
        "state": org.state,
        "in_roster": org.in_roster,
        "flags": flags_json(org.missing_info, org.unanswered),
        "problems": org.problems,
        "level": org.level,
        "rules": list(org.rules),
        **({"seido": org.seido} if org.seido else {}),
    }


def report_json(data: ReportData) -> dict[str, Any]:
    """Every figure of the report."""
    q, rules = data.questionnaire, data.rules
    rule_counts = data.rule_counts()
    by_seido = {
        name: {**_figures(part), "rule_counts": part.rule_counts()} for name, part in data.by_seido
    }
    return {
        "questionnaire": {"id": q.id, "version": q.version, "title": q.title},
        "generated_at": data.generated_at,
        "note": rules.note,
        "levels": rules.levels,
        "rules": [
            {
                "id": r.id,
                "title": r.title,
                "level": r.level,
                "trigger": r.trigger,
                "rationale": r.rationale,
                "quote": r.quote,
                "organisations": rule_counts[r.id],
            }
            for r in rules.rules
        ],
        **_figures(data),
        **({"by_seido": by_seido} if by_seido else {}),
    }


def _figures(data: ReportData) -> dict[str, Any]:
    """The counts of one report (the whole round, or one 制度 of it)."""
    return {
        "summary": {
            "organisations": sum(1 for o in data.orgs if o.in_roster),
            "submitted": len(data.submitted),
            "not_submitted": len(data.not_submitted),
            "outside_roster": sum(1 for o in data.orgs if not o.in_roster),
            "flagged": len(data.flagged),
            "submitted_with_problems": len(data.flagged),
            "duplicates": list(data.duplicates),
            "levels": data.level_counts(),
        },
        "items": [tally_json(t) for t in data.tallies],
        "crosstabs": [crosstab_json(t) for t in data.crosstabs],
        "texts": [
            {"item": t.item, "text": t.text, "answers": [list(e) for e in t.entries]}
            for t in data.texts
        ],
        "organisations": [org_json(o) for o in data.orgs],
    }
