"""Delegated municipalities in the store: who a prefecture delegated to, their answers, and the
prefecture's consolidated submission with its provenance (see :mod:`tenken.survey.delegation`).

* :func:`add_delegate` records a municipality and gives its invitation link's token;
* :func:`save_delegate_answer` (web form) and :func:`ingest_delegate_sheet` (Excel sheet) keep its
  answers in :class:`DelegateAnswer` — never a :class:`Response`, so ``api.counted`` (status,
  tallies, reports, risk) cannot see them;
* :func:`sources` gives the prefecture's own answer and its delegates' latest submitted ones;
* :func:`submit_consolidated` stores the consolidated answer as the prefecture's web submission
  (the one counted answer) with a :class:`Consolidation` holding the provenance.

Every change is audited (``delegation.add``, ``delegation.link``, ``delegation.answer_save``,
``delegation.upload``, ``survey.consolidate``), under the prefecture's name so its 監査 sees them.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from tenken.errors import InputError
from tenken.store import api
from tenken.store.auditing import audit
from tenken.store.ingest import answer_fields
from tenken.store.models import Consolidation, DelegateAnswer, Delegation, Origin, Response, Round
from tenken.survey.delegation import Consolidated, Source, delegate_problem, missing_reasons
from tenken.survey.document import AnswerDocument
from tenken.survey.engine import Evaluation, evaluate
from tenken.survey.model import Questionnaire
from tenken.survey.prepare import Prepared


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _details(delegation: Delegation, **more: Any) -> dict[str, Any]:
    return {
        "round": delegation.round.code,
        "org": delegation.prefecture,
        "seido": delegation.seido,
        "municipality": delegation.municipality,
        **more,
    }


def delegations(
    survey_round: Round, prefecture: str, *, seido: str = "", alias: str = "default"
) -> list[Delegation]:
    """The prefecture's delegated municipalities in the round (for one 制度), in the order added."""
    found = Delegation.objects.using(alias).filter(
        round=survey_round, prefecture=prefecture, seido=seido
    )
    return list(found.order_by("pk"))


def add_delegate(
    survey_round: Round,
    prefecture: str,
    municipality: str,
    *,
    seido: str = "",
    email: str = "",
    actor: Any = "cli",
    alias: str = "default",
) -> tuple[Delegation, str]:
    """Record ``municipality`` as delegated to by ``prefecture``; (delegation, link token).

    Refused (InputError) when it is not a 市区町村 of that prefecture or is already recorded.
    """
    api.check_seido(survey_round, seido)
    municipality = municipality.strip()
    problem = delegate_problem(prefecture, municipality)
    if problem:
        raise InputError(problem)
    token = secrets.token_urlsafe(32)
    try:
        with transaction.atomic(using=alias):
            delegation = Delegation.objects.using(alias).create(
                round=survey_round,
                prefecture=prefecture,
                seido=seido,
                municipality=municipality,
                email=email.strip(),
                token_hash=hash_token(token),
                created_by=str(getattr(actor, "username", actor))[:150],
            )
            audit(actor, "delegation.add", delegation, _details(delegation), alias)
    except IntegrityError:
        raise InputError(f"{municipality} は委任先として登録済みです") from None
    return delegation, token


def renew_link(delegation: Delegation, *, actor: Any, alias: str = "default") -> str:
    """A new invitation link for the delegate; the old one stops working (a lost or forwarded
    link)."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic(using=alias):
        delegation.token_hash = hash_token(token)
        delegation.save(using=alias, update_fields=["token_hash"])
        audit(actor, "delegation.link", delegation, _details(delegation), alias)
    return token


def by_token(token: str, alias: str = "default") -> Delegation | None:
    """The delegation of an invitation link (None for an unknown token)."""
    found = Delegation.objects.using(alias).select_related("round")
    return found.filter(token_hash=hash_token(token)).first()


def current_answer(delegation: Delegation, alias: str = "default") -> DelegateAnswer | None:
    return (
        DelegateAnswer.objects.using(alias).filter(delegation=delegation, is_current=True).first()
    )


def submitted_answer(delegation: Delegation, alias: str = "default") -> DelegateAnswer | None:
    """The delegate's latest submitted answer (a sheet or a web submission): what is used."""
    found = DelegateAnswer.objects.using(alias).filter(
        delegation=delegation, origin__in=(Origin.FILE, Origin.WEB_SUBMISSION)
    )
    return found.order_by("-received_at", "-pk").first()


def _store(
    delegation: Delegation, prepared: Prepared, origin: Origin, actor: Any, action: str, alias: str
) -> DelegateAnswer | None:
    """A new version (None when the same content is already kept); the newest is current."""
    answers = DelegateAnswer.objects.using(alias).filter(delegation=delegation)
    with transaction.atomic(using=alias):
        if answers.filter(sha256=prepared.sha256).exists():
            return None
        answers.select_for_update().filter(is_current=True).update(is_current=False)
        answer = DelegateAnswer.objects.using(alias).create(
            delegation=delegation,
            origin=origin,
            **answer_fields(prepared),
            is_current=True,
        )
        more = {"origin": str(origin), "file": answer.source_name, "problems": len(answer.problems)}
        audit(actor, action, delegation, _details(delegation, **more), alias)
    return answer


def save_delegate_answer(
    delegation: Delegation,
    document: AnswerDocument,
    evaluation: Evaluation,
    *,
    submit: bool,
    actor: Any,
    alias: str = "default",
) -> DelegateAnswer | None:
    """The delegate's web form (through its invitation link), as a draft or a submission."""
    origin = Origin.WEB_SUBMISSION if submit else Origin.WEB_DRAFT
    prepared = api.web_prepared(
        document,
        evaluation,
        origin,
        by=f"（委任先 {delegation.municipality}）",
        org_name=delegation.municipality,
        org_kind="市区町村",
    )
    return _store(delegation, prepared, origin, actor, "delegation.answer_save", alias)


def ingest_delegate_sheet(
    delegation: Delegation, prepared: Prepared, *, actor: Any, alias: str = "default"
) -> DelegateAnswer | None:
    """A delegate's filled-in sheet (uploaded by the prefecture or through the link): it must be
    that municipality's sheet of this round and of the delegation's 制度 (the admission rule of
    every sheet, :func:`tenken.store.ingest.admit`)."""
    from tenken.store.ingest import admit

    prepared, wrong = admit(prepared, delegation.round, delegation.seido)
    if wrong:
        raise InputError(wrong)
    if prepared.org_name != delegation.municipality:
        raise InputError(
            f"この回答シートは {prepared.org_name} のものです"
            f"（委任先 {delegation.municipality} の回答シートを使ってください）"
        )
    return _store(delegation, prepared, Origin.FILE, actor, "delegation.upload", alias)


def _document(row: Response | DelegateAnswer) -> AnswerDocument:
    return AnswerDocument(dict(row.respondent), dict(row.answers))


def own_answer(
    survey_round: Round, prefecture: str, *, seido: str = "", alias: str = "default"
) -> Response | None:
    """The prefecture's own latest answer (draft or submission) for the 制度 ``seido``, not a
    consolidated one."""
    found = Response.objects.using(alias).filter(
        round=survey_round, org_name=prefecture, seido=seido, consolidation__isnull=True
    )
    return found.order_by("-received_at", "-pk").first()


@dataclass(frozen=True)
class Sources:
    """The prefecture's own answer and each delegate's latest submitted one (None: not yet)."""

    own: Source | None
    delegates: tuple[tuple[Delegation, Source | None], ...]

    @property
    def answered(self) -> list[Source]:
        return [s for _d, s in self.delegates if s is not None]


def sources(
    survey_round: Round, prefecture: str, *, seido: str = "", alias: str = "default"
) -> Sources:
    own = own_answer(survey_round, prefecture, seido=seido, alias=alias)
    pairs = []
    for delegation in delegations(survey_round, prefecture, seido=seido, alias=alias):
        answer = submitted_answer(delegation, alias)
        source = Source(delegation.municipality, _document(answer)) if answer else None
        pairs.append((delegation, source))
    own_source = Source(prefecture, _document(own)) if own is not None else None
    return Sources(own_source, tuple(pairs))


def submit_consolidated(
    survey_round: Round,
    member: api.Member,
    q: Questionnaire,
    consolidated: Consolidated,
    *,
    username: str,
    seido: str = "",
    actor: Any = None,
    alias: str = "default",
) -> Response:
    """Store the consolidated answer as the prefecture's submission, with its provenance.

    Refused when a change from the proposal gives no reason.
    """
    unexplained = missing_reasons(consolidated)
    if unexplained:
        raise InputError(
            "提案から変更した項目には理由が必要です: " + "、".join(f"項番{i}" for i in unexplained)
        )
    who = actor if actor is not None else f"web:{username}"
    with transaction.atomic(using=alias):
        # Checked again with the attachments the prefecture gave (they carry over to this
        # version): an item taken from a delegate that calls for a document is 不備あり until
        # the prefecture attaches it.
        current = api.current(survey_round, member.org_name, alias, seido=seido)
        attached = list(current.attachments.values_list("name", flat=True)) if current else []
        _outcome, response = api.save_web(
            survey_round,
            member,
            q,
            consolidated.document,
            evaluate(q, consolidated.document, attached),
            submit=True,
            username=username,
            actor=who,
            alias=alias,
            seido=seido,
        )
        used = sorted({i.source for i in consolidated.items} - {"", member.org_name})
        Consolidation.objects.using(alias).create(
            response=response,
            prefecture=member.org_name,
            seido=seido,
            provenance=consolidated.provenance(),
            delegates=used,
            created_by=username[:150],
        )
        changed = [i.item for i in consolidated.items if i.reason]
        details = {
            "round": survey_round.code,
            "org": member.org_name,
            "seido": seido,
            "from_delegates": used,
            "changed": changed,
        }
        audit(who, "survey.consolidate", response, details, alias)
    return response


def consolidation_of(response: Response | None) -> Consolidation | None:
    """The provenance of a counted answer, when it is a consolidated one (read from the
    database the response came from)."""
    if response is None:
        return None
    alias = response._state.db or "default"
    return Consolidation.objects.using(alias).filter(response=response).first()
