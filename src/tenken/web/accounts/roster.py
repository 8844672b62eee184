"""A round's roster: the survey's roster CSV (tenken.survey.roster, the same file the CLI
reads), plus what the site needs on top: when the questionnaire names local governments (its
組織名 is checked with ``local-government()``), every organisation must be one of the bundled
list with the matching 組織区分 — the site fixes 組織名 and 組織区分 in the form, so a wrong
line could never be corrected by the respondent — and gets its prefecture and login name.
Other packs (ministries' own bodies, agencies, …) take the roster's names as given.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from tenken.errors import InputError, Location
from tenken.survey.local_governments import lookup_org_name
from tenken.survey.model import Questionnaire
from tenken.survey.roster import parse_roster as parse_survey_roster
from tenken.survey.validators import names_local_governments


@dataclass(frozen=True)
class RosterRow:
    """One organisation of the roster, with its prefecture and login name derived."""

    org_name: str
    kind: str
    prefecture: str
    email: str
    username: str


def parse_roster(data: bytes, q: Questionnaire, source: str = "名簿.csv") -> list[RosterRow]:
    """Parse and check a roster; raises one InputError listing every bad line."""
    rows: list[RosterRow] = []
    errors: list[str] = []
    # The survey reader reports any bad line, so here each entry is line index + 2.
    local = names_local_governments(q)
    for line, entry in enumerate(parse_survey_roster(data, source, q), start=2):
        if not local:
            digest = hashlib.sha256(entry.org_name.encode("utf-8")).hexdigest()[:10]
            rows.append(RosterRow(entry.org_name, entry.org_kind, "", entry.email, f"o{digest}"))
            continue
        government = lookup_org_name(entry.org_name)
        if government is None:
            errors.append(f"{line}行目: 組織名 {entry.org_name!r} が地方公共団体の一覧にありません")
        elif government.kind != entry.org_kind:
            errors.append(f"{line}行目: {entry.org_name} の組織区分は {government.kind} です")
        else:
            username = f"r{government.code6}"
            rows.append(
                RosterRow(
                    entry.org_name, entry.org_kind, government.prefecture, entry.email, username
                )
            )
    if errors:
        raise InputError(
            f"名簿に {len(errors)} 件の誤りがあります:\n" + "\n".join(errors),
            location=Location(source),
            hint="組織名は「14神奈川県相模原市」「13東京都」のように書きます",
        )
    return rows
