"""An organisation in a round, as the site sees it: the store's roster entry + the account-side
organisation (whose id is in the URLs and decides who may read or answer).

The store knows organisations by 組織名 only (it has no account tables), so the two are joined
here by name, once per page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.http import Http404

from tenken.store import api
from tenken.store.models import RosterEntry, Round
from tenken.web.accounts.models import Organisation


@dataclass(frozen=True)
class Entry:
    """``seido``: the 制度 whose form this is ("" in a round without a 制度 list; None when the
    round asks the organisation several and the respondent has not picked one yet)."""

    roster: RosterEntry
    organisation: Organisation
    seido: str | None = ""

    @property
    def seidos(self) -> list[str]:
        """The 制度 keys this organisation answers in the round (``[""]``: undivided)."""
        return api.asked_units(self.roster.round, self.roster.seido)

    @property
    def unit(self) -> str:
        """The picked 制度 (404 when none is: the pages of one form need one)."""
        if self.seido is None:
            raise Http404("制度を選んでください")
        return self.seido

    @property
    def query(self) -> str:
        """The URL query naming the picked 制度 ("" when the organisation answers one or none)."""
        if self.seido is None or len(self.seidos) < 2:
            return ""
        return seido_query(self.roster.round, self.seido)

    def picked(self, seido: str) -> Entry:
        return Entry(self.roster, self.organisation, seido)

    @property
    def survey_round(self) -> Round:
        return self.roster.round

    @property
    def survey_round_id(self) -> int:
        return self.roster.round_id

    @property
    def organisation_id(self) -> int:
        return int(self.organisation.pk)

    @property
    def contact_email(self) -> str:
        return self.roster.email

    @property
    def reopened(self) -> bool:
        return self.roster.reopened

    @property
    def deadline(self) -> dt.datetime:
        return self.roster.deadline

    def can_edit(self) -> bool:
        return self.roster.can_edit()


def get_entry(round_id: int, org_id: int, seido: str | None = None) -> Entry:
    """The entry of the URL's round and organisation (404 when either is not in the roster).

    ``seido`` is the URL's ``?seido=N`` (the round's N-th 制度, :func:`seido_query`): a round
    that asks the organisation one 制度 (or none) needs none; with several and none given, the
    entry's 制度 is None (the answer page then lets the respondent pick one)."""
    organisation = Organisation.objects.filter(pk=org_id).first()
    if organisation is None:
        raise Http404("団体がありません")
    roster = (
        RosterEntry.objects.select_related("round")
        .filter(round_id=round_id, org_name=organisation.name)
        .first()
    )
    if roster is None:
        raise Http404("この調査の名簿にない団体です")
    entry = entry_of(roster, organisation)
    units = entry.seidos
    if entry.seido is not None or not seido:
        return entry
    listed = roster.round.seidos
    picked = listed[int(seido) - 1] if seido.isdigit() and 1 <= int(seido) <= len(listed) else None
    if picked not in units:
        raise Http404("この団体が回答する制度ではありません")
    return entry.picked(picked)


def entry_of(roster: RosterEntry, organisation: Organisation) -> Entry:
    """The entry of its one 制度 (or undivided); several: none picked yet (``seido`` None)."""
    entry = Entry(roster, organisation, None)
    units = entry.seidos
    return entry.picked(units[0]) if len(units) == 1 else entry


def seido_query(survey_round: Round, seido: str) -> str:
    """``?seido=N`` for the round's N-th 制度 (URLs stay short and plain ASCII)."""
    return f"?seido={list(survey_round.seidos).index(seido) + 1}" if seido else ""


def organisation_ids(names: list[str]) -> dict[str, int]:
    """Account-side ids of the organisations named (those without an account are left out)."""
    found = Organisation.objects.filter(name__in=names).values_list("name", "pk")
    return {name: int(pk) for name, pk in found}


_IDS: tuple[tuple[int, int], dict[str, int]] | None = None


def organisation_ids_cached() -> tuple[tuple[int, int], dict[str, int]]:
    """(version, every organisation's id by name), reread only when organisations were added."""
    global _IDS
    # Organisations are only ever added (PROTECT): the newest id says whether any was.
    newest = Organisation.objects.order_by("-pk").values_list("pk", flat=True).first()
    key = (int(newest or 0), 0)
    if _IDS is None or _IDS[0] != key:
        _IDS = (key, {name: int(pk) for name, pk in Organisation.objects.values_list("name", "pk")})
    return _IDS


def entries_of_organisation(organisation_id: int) -> list[Entry]:
    organisation = Organisation.objects.get(pk=organisation_id)
    rosters = RosterEntry.objects.select_related("round").filter(org_name=organisation.name)
    return [entry_of(r, organisation) for r in rosters.order_by("-round__created_at")]


def entries_of_round(survey_round: Round) -> list[Entry]:
    """The round's roster with the account-side organisations (one query each)."""
    rosters = list(survey_round.roster.all())
    names = [r.org_name for r in rosters]
    by_name = {o.name: o for o in Organisation.objects.filter(name__in=names)}
    return [entry_of(r, by_name[r.org_name]) for r in rosters if r.org_name in by_name]
