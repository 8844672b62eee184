"""The store's one API, used by the CLI, the site and the reports alike.

* rounds: :func:`create_round`, :func:`rounds`, :func:`resolve_round`, :func:`questionnaire_of`;
* writing: :func:`tenken.store.ingest.ingest` (files) and :func:`save_web` (the form), both
  through :func:`tenken.store.ingest.store`, which keeps ``is_current``/``is_counted`` right;
* reading: :func:`counted` (THE rule for what counts), :func:`current`, :func:`history`,
  :func:`submission_state`, and :mod:`tenken.store.status` (the status against the roster).

What counts, in one place: an organisation's latest *submitted* response for a 制度 in the round
(an ingested file or a web submission). A round that covers several 制度 keys every answer by
(organisation, 制度) (:mod:`tenken.survey.seido`); an undivided round keys them all ``""``.
A later web draft is kept as the current version (the form
shows it) but never withdraws the submission: that stays counted until a new one is submitted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from tenken.errors import InputError
from tenken.store.auditing import audit
from tenken.store.models import Origin, Response, RosterEntry, Round
from tenken.survey.aggregate import StoredAnswer
from tenken.survey.document import AnswerDocument
from tenken.survey.engine import Evaluation
from tenken.survey.model import Questionnaire
from tenken.survey.pack import Pack, load_bundled_pack, stored_pack
from tenken.survey.prepare import Prepared
from tenken.survey.seido import UNDIVIDED, asked, check_round_seidos, unknown_in_roster
from tenken.survey.seido import units as seido_units
from tenken.survey.states import (
    DRAFT,
    NOT_STARTED,
    STATES,
    SUBMITTED,
    SUBMITTED_WITH_PROBLEMS,
    state_label,
    with_problems,
)

JST = ZoneInfo("Asia/Tokyo")
# The state labels are the survey's (one rule with the reports); re-exported for the store.
__all__ = ["DRAFT", "NOT_STARTED", "STATES", "SUBMITTED", "SUBMITTED_WITH_PROBLEMS"]
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,59}$")


@dataclass(frozen=True)
class Member:
    """One organisation of a roster to store (the CLI's and the site's rosters both map here)."""

    org_name: str
    org_kind: str
    prefecture: str = ""
    email: str = ""
    seido: str = ""
    zokusei: str = ""


def end_of_day(day: dt.date) -> dt.datetime:
    """A deadline given as a day lasts until 23:59:59 Japan time on that day."""
    return dt.datetime.combine(day, dt.time(23, 59, 59, 999999), tzinfo=JST)


def fingerprint_of(q: Questionnaire) -> str:
    from tenken.survey.xlsx.layout import fingerprint

    return fingerprint(q)


def _create(
    code: str,
    title: str,
    q: Questionnaire,
    deadline: dt.datetime,
    roster: Iterable[Member],
    questionnaire_yaml: str,
    alias: str,
    actor: Any,
    seidos: Sequence[str] = (),
) -> Round:
    with transaction.atomic(using=alias):
        return _create_in_transaction(
            code, title, q, deadline, roster, questionnaire_yaml, alias, actor, seidos
        )


def _create_in_transaction(
    code: str,
    title: str,
    q: Questionnaire,
    deadline: dt.datetime,
    roster: Iterable[Member],
    questionnaire_yaml: str,
    alias: str,
    actor: Any,
    seidos: Sequence[str] = (),
) -> Round:
    members = _unique(roster)
    unknown = unknown_in_roster((m.seido for m in members), seidos)
    if unknown:
        raise InputError(
            "名簿の制度等に、この調査回の対象でない制度があります: " + "、".join(unknown),
            hint="名簿の制度等は空欄（すべての制度）か、--seido で指定した制度にしてください",
        )
    survey_round = Round.objects.using(alias).create(
        code=code,
        title=title,
        questionnaire_id=q.id,
        questionnaire_version=q.version,
        questionnaire_fingerprint=fingerprint_of(q),
        questionnaire_yaml=questionnaire_yaml,
        seidos=list(seidos),
        deadline=deadline,
    )
    details: dict[str, Any] = {"code": code, "title": title}
    if seidos:
        details["seidos"] = list(seidos)
    audit(actor, "round.create", survey_round, details, alias)
    RosterEntry.objects.using(alias).bulk_create(
        RosterEntry(
            round=survey_round,
            org_name=m.org_name,
            org_kind=m.org_kind,
            prefecture=m.prefecture,
            email=m.email,
            seido=m.seido,
            zokusei=m.zokusei,
        )
        for m in members
    )
    return survey_round


def _unique(roster: Iterable[Member]) -> list[Member]:
    return list({m.org_name: m for m in roster}.values())


def create_round(
    code: str | None,
    title: str,
    q: Questionnaire,
    deadline: dt.datetime,
    roster: Iterable[Member],
    *,
    questionnaire_yaml: str = "",
    alias: str = "default",
    actor: Any = "cli",
    seidos: Sequence[str] = (),
) -> Round:
    """A new open round with its roster; ``code`` None gives ``r<id>`` (the site's rounds).

    ``seidos``: the 制度 the round covers (each one of the questionnaire's 制度等 list); none
    gives an undivided round, as every round before 制度 were counted.
    """
    seidos = check_round_seidos(q, seidos) if seidos else []
    if code is not None:
        if not CODE_PATTERN.match(code):
            raise InputError(
                f"調査回ID {code!r} は使えません",
                hint="英数字で始まり、英数字・ . _ - だけの 60 文字以内にしてください（例: 2023）",
            )
        if Round.objects.using(alias).filter(code=code).exists():
            raise InputError(f"調査回ID {code!r} はすでにあります", hint=_known(alias))
        return _create(code, title, q, deadline, roster, questionnaire_yaml, alias, actor, seidos)
    with transaction.atomic(using=alias):
        temporary = "tmp-" + hashlib.sha256(repr(timezone.now()).encode()).hexdigest()[:20]
        survey_round = _create(
            temporary, title, q, deadline, roster, questionnaire_yaml, alias, actor, seidos
        )
        survey_round.code = f"r{survey_round.pk}"
        while Round.objects.using(alias).filter(code=survey_round.code).exists():
            survey_round.code += "x"
        survey_round.save(using=alias, update_fields=["code"])
    return survey_round


def rounds(alias: str = "default") -> list[Round]:
    return list(Round.objects.using(alias).order_by("created_at", "pk"))


def _known(alias: str) -> str:
    codes = [f"{r.code}（{r.title}）" for r in rounds(alias)]
    return "調査回: " + ("、".join(codes) if codes else "なし（tenken survey round create で作成）")


def resolve_round(code: str | None, alias: str = "default") -> Round:
    """The round ``code``; without a code, the only round (several: an InputError listing them)."""
    if code is not None:
        found = Round.objects.using(alias).filter(code=code).first()
        if found is None:
            raise InputError(f"調査回 {code!r} はありません", hint=_known(alias))
        return found
    every = rounds(alias)
    if len(every) == 1:
        return every[0]
    if not every:
        raise InputError(
            "調査回がありません",
            hint="tenken survey round create ID --title 調査名 --deadline YYYY-MM-DD で作成",
        )
    raise InputError("調査回が複数あります。--round で指定してください", hint=_known(alias))


def units(survey_round: Round) -> list[str]:
    """The round's 制度 keys: its 制度 in order, or ``[""]`` for an undivided round."""
    return seido_units(survey_round.seidos)


def asked_units(survey_round: Round, roster_seido: str) -> list[str]:
    """The 制度 keys a roster organisation answers (its roster 制度等 blank: all of them)."""
    return asked(roster_seido, survey_round.seidos)


def check_seido(survey_round: Round, seido: str | None) -> None:
    """``seido`` (a filter or a form's 制度) must be one of the round's 制度."""
    if seido is None or seido in units(survey_round):
        return
    offered = "、".join(survey_round.seidos) or "（制度の指定なし）"
    raise InputError(
        f"制度「{seido}」は調査回 {survey_round.code} の対象ではありません",
        hint=f"調査回の制度: {offered}",
    )


def questionnaire_of(survey_round: Round) -> Questionnaire:
    """The questionnaire the round asked (see :func:`pack_of`)."""
    return pack_of(survey_round).questionnaire


def pack_of(survey_round: Round) -> Pack:
    """The survey pack the round asked and reports with: the pack it kept (questionnaire,
    report settings, risk rules), else the bundled pack of that id (older rounds).

    A bundled questionnaire whose edition changed since the round was made is refused: the
    round's answers were checked against the edition it kept.
    """
    if survey_round.questionnaire_yaml:
        pack = stored_pack(survey_round.questionnaire_yaml, f"調査回 {survey_round.code}")
    else:
        pack = load_bundled_pack(survey_round.questionnaire_id)
    check_questionnaire(survey_round, pack.questionnaire)
    return pack


def check_questionnaire(survey_round: Round, q: Questionnaire) -> None:
    """``q`` must be the round's questionnaire (id, version and, when kept, fingerprint)."""
    same = q.id == survey_round.questionnaire_id and q.version == (
        survey_round.questionnaire_version or q.version
    )
    kept = survey_round.questionnaire_fingerprint
    if not same or (kept and kept != fingerprint_of(q)):
        raise InputError(
            f"調査回 {survey_round.code} の調査票（{survey_round.questionnaire_id} "
            f"版 {survey_round.questionnaire_version}）と違う調査票です（{q.id} 版 {q.version}）",
            hint="-q を省くと、調査回の調査票が使われます",
        )


# ---------------------------------------------------------------- reading


def counted(
    survey_round: Round, alias: str = "default", *, seido: str | None = None
) -> QuerySet[Response]:
    """The responses that count in a round: each organisation's latest submitted one per 制度
    (``seido`` given: of that 制度 only; None: every 制度, the overall figures).

    Status, dashboard, reports, risk and reminders all read this (``is_counted`` is kept by
    :func:`tenken.store.ingest.store`, the one writer).
    """
    found = Response.objects.using(alias).filter(round=survey_round, is_counted=True)
    return found if seido is None else found.filter(seido=seido)


def counted_answers(
    survey_round: Round, alias: str = "default", *, seido: str | None = None
) -> list[StoredAnswer]:
    """The :func:`counted` answers for a report, each with the problems the store kept (so the
    report's 提出済み（不備あり） is the one status and the dashboard show)."""
    return [answer for _unit, answer in _counted_answers(survey_round, alias, seido)]


def _counted_answers(
    survey_round: Round, alias: str, seido: str | None = None
) -> Iterator[tuple[tuple[str, str], StoredAnswer]]:
    fields = ("org_name", "seido", "respondent", "answers", "source_name", "problems")
    for r in counted(survey_round, alias, seido=seido).only(*fields).iterator():
        document = AnswerDocument(dict(r.respondent), dict(r.answers), source=r.source_name)
        yield (r.org_name, r.seido), StoredAnswer(document, tuple(r.problems), r.seido)


def risk_levels(
    survey_round: Round, alias: str = "default", *, seido: str | None = None
) -> dict[str, str]:
    """組織名 → 高 / 中 / 低 of each counted answer, by the round's pack and the report's rule
    (:func:`tenken.survey.report.model.risk_level`). In a round with several 制度, give
    ``seido`` (or read :func:`unit_risk_levels`): an organisation has one level per 制度."""
    return {org: level for (org, _s), level in unit_risk_levels(survey_round, alias, seido).items()}


def unit_risk_levels(
    survey_round: Round, alias: str = "default", seido: str | None = None
) -> dict[tuple[str, str], str]:
    """(組織名, 制度) → 高 / 中 / 低 of each counted answer (see :func:`risk_levels`)."""
    from tenken.survey.report.model import risk_level

    pack = pack_of(survey_round)
    answers = _counted_answers(survey_round, alias, seido)
    return {unit: risk_level(pack, answer) for unit, answer in answers}


def current(
    survey_round: Round, org_name: str, alias: str = "default", *, seido: str = UNDIVIDED
) -> Response | None:
    """The organisation's latest version for ``seido`` (a draft or a submission): what the
    form shows."""
    return (
        Response.objects.using(alias)
        .filter(round=survey_round, org_name=org_name, seido=seido, is_current=True)
        .first()
    )


def counted_one(
    survey_round: Round, org_name: str, alias: str = "default", *, seido: str = UNDIVIDED
) -> Response | None:
    return counted(survey_round, alias, seido=seido).filter(org_name=org_name).first()


def history(
    survey_round: Round, org_name: str, alias: str = "default", *, seido: str = UNDIVIDED
) -> list[Response]:
    """Every version the organisation sent for ``seido`` in this round, newest first."""
    return list(
        Response.objects.using(alias)
        .filter(round=survey_round, org_name=org_name, seido=seido)
        .defer("answers", "respondent")
        .order_by("-received_at", "-pk")
    )


def has_problems(response: Response) -> bool:
    """不備あり: the engine found any problem (flags, invalid values, missing attachments)."""
    return with_problems(response.missing_info, response.unanswered, len(response.problems))


def submission_state(counted_response: Response | None, has_draft: bool = False) -> str:
    """The one label of an organisation's state, shown alike by the site, CLI and reports."""
    if counted_response is None:
        return state_label(False, False, has_draft)
    return state_label(True, has_problems(counted_response))


def drafts_after_submission(survey_round: Round, alias: str = "default") -> set[tuple[str, str]]:
    """(organisation, 制度) whose current version is a draft (saved after or without a
    submission)."""
    rows = Response.objects.using(alias).filter(
        round=survey_round, is_current=True, origin=Origin.WEB_DRAFT
    )
    return set(rows.values_list("org_name", "seido"))


@dataclass(frozen=True)
class OrgLine:
    """One roster organisation and its state, read without model instances (1,788 per page)."""

    org_name: str
    org_kind: str
    prefecture: str
    state: str
    received_at: dt.datetime | None = None
    missing_info: bool = False
    unanswered: bool = False
    problem_count: int = 0
    seido: str = UNDIVIDED

    @property
    def flagged(self) -> bool:
        return self.missing_info or self.unanswered


def overview_version(survey_round: Round, alias: str = "default") -> tuple[Any, ...]:
    """Changes whenever :func:`overview` would (two index look-ups).

    Responses and roster entries are only ever added (never deleted: PROTECT), and which
    response counts changes only when one is added, so the newest ids say it all.
    """

    def newest(model: Any) -> int:
        found = model.objects.using(alias).filter(round=survey_round).order_by("-pk")
        return int(found.values_list("pk", flat=True).first() or 0)

    from tenken.store.models import ResponseAttachment

    attached = ResponseAttachment.objects.using(alias).filter(response__round=survey_round)
    newest_attachment = attached.order_by("-pk").values_list("pk", flat=True).first() or 0
    return (survey_round.pk, newest(Response), newest(RosterEntry), int(newest_attachment))


def roster_units(
    survey_round: Round, alias: str = "default", seido: str | None = None
) -> Iterator[tuple[RosterEntry, str]]:
    """Every (roster entry, 制度) the round asks, in roster order then the round's 制度 order
    (``seido`` given: that 制度's only). What status, overview and reminders go through."""
    roster = RosterEntry.objects.using(alias).filter(round=survey_round).order_by("org_name")
    for entry in roster:
        for unit in asked_units(survey_round, entry.seido):
            if seido is None or unit == seido:
                yield entry, unit


def overview(
    survey_round: Round, alias: str = "default", *, seido: str | None = None
) -> list[OrgLine]:
    """Every (roster organisation, 制度) with its state (:func:`counted` + drafts), in roster
    order; ``seido`` given: that 制度's lines only."""
    fields = ("org_name", "seido", "received_at", "missing_info", "unanswered", "problems")
    rows = counted(survey_round, alias, seido=seido).values_list(*fields)
    counted_rows = {(row[0], row[1]): row for row in rows}
    drafts = drafts_after_submission(survey_round, alias)
    lines = []
    for entry, unit in roster_units(survey_round, alias, seido):
        name, kind, prefecture = entry.org_name, entry.org_kind, entry.prefecture
        row = counted_rows.get((name, unit))
        if row is None:
            state = DRAFT if (name, unit) in drafts else NOT_STARTED
            lines.append(OrgLine(name, kind, prefecture, state, seido=unit))
            continue
        _name, _unit, received, missing, unanswered, problems = row
        state = state_label(True, with_problems(missing, unanswered, len(problems)))
        lines.append(
            OrgLine(
                name, kind, prefecture, state, received, missing, unanswered, len(problems), unit
            )
        )
    return lines


# ---------------------------------------------------------------- writing from the site


def web_prepared(
    document: AnswerDocument,
    evaluation: Evaluation,
    origin: Origin,
    *,
    by: str,
    org_name: str,
    org_kind: str,
    seido: str = UNDIVIDED,
    record: dict[str, str] | None = None,
) -> Prepared:
    """A form's document as a prepared answer (a respondent's, or a delegated municipality's).

    Its fingerprint hashes the document with when and how it was saved (and ``record``'s
    extra facts), so every save of a form is a version of its own, as a new sheet file is.
    """
    now = timezone.now()
    facts: dict[str, Any] = {
        **document.to_json(),
        "saved_at": now.isoformat(),
        "origin": str(origin),
        **(record or {}),
    }
    if seido:
        facts["seido"] = seido
    data = json.dumps(facts, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return Prepared.of(
        document,
        evaluation,
        path=f"{origin.label}{by}",
        sha256=hashlib.sha256(data).hexdigest(),
        org_name=org_name,
        org_kind=org_kind,
        received_at=now,
        seido=seido,
    )


def save_web(
    survey_round: Round,
    member: Member,
    q: Questionnaire,
    document: AnswerDocument,
    evaluation: Evaluation,
    *,
    submit: bool,
    username: str,
    actor: Any = None,
    alias: str = "default",
    seido: str = UNDIVIDED,
) -> tuple[str, Response]:
    """Store the form's document as a new version (draft or submission) for the 制度
    ``seido``; (outcome, response).

    The attachments of the version it replaces are carried over (none are lost).
    """
    check_seido(survey_round, seido)
    from tenken.store.ingest import store

    origin = Origin.WEB_SUBMISSION if submit else Origin.WEB_DRAFT
    prepared = web_prepared(
        document,
        evaluation,
        origin,
        by=f"（{username}）",
        org_name=member.org_name,
        org_kind=member.org_kind,
        seido=seido,
        record={"by": username},
    )
    outcome = store(
        prepared,
        q,
        alias,
        survey_round,
        origin=origin,
        keep_attachments=True,
        actor=actor if actor is not None else f"web:{username}",
        action="survey.answer_save",
    )
    response = Response.objects.using(alias).get(round=survey_round, sha256=prepared.sha256)
    return outcome, response


# ---------------------------------------------------------------- changing a round


def local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(JST)


def set_deadline(
    survey_round: Round,
    deadline: dt.datetime,
    org_name: str | None,
    alias: str = "default",
    actor: Any = "cli",
) -> None:
    """The round's deadline, or (``org_name``) one organisation's extension."""
    details = {"deadline": deadline.isoformat(), "org": org_name}
    with transaction.atomic(using=alias):
        if org_name is None:
            survey_round.deadline = deadline
            survey_round.save(using=alias, update_fields=["deadline"])
        else:
            roster = survey_round.roster.using(alias).filter(org_name=org_name)
            if not roster.update(extended_until=deadline):
                raise InputError(f"{org_name} は調査回 {survey_round.code} の名簿にありません")
        audit(actor, "round.update", survey_round, details, alias)


def set_state(survey_round: Round, state: str, alias: str = "default", actor: Any = "cli") -> None:
    with transaction.atomic(using=alias):
        survey_round.state = state
        survey_round.save(using=alias, update_fields=["state"])
        audit(actor, "round.update", survey_round, {"state": state}, alias)


def set_reopened(entry: RosterEntry, reopened: bool, actor: Any, alias: str = "default") -> None:
    """Let one organisation edit after the deadline (or withdraw that)."""
    with transaction.atomic(using=alias):
        entry.reopened = reopened
        entry.save(using=alias, update_fields=["reopened"])
        details = {"org": entry.org_name, "reopened": reopened}
        audit(actor, "round.reopen", entry.round, details, alias)


def add_attachment(
    response: Response, name: str, size: int, sha256: str, actor: Any, alias: str = "default"
) -> None:
    """Attach a kept file to a response (the site's upload of a requested document); its
    problems are checked again, so a ``missing_attachment`` it gives goes away."""
    from tenken.store.models import ResponseAttachment
    from tenken.survey.engine import evaluate

    with transaction.atomic(using=alias):
        ResponseAttachment.objects.using(alias).create(
            response=response, name=name, size=size, sha256=sha256
        )
        q = questionnaire_of(response.round)
        given = ResponseAttachment.objects.using(alias).filter(response=response)
        document = AnswerDocument(dict(response.respondent), dict(response.answers))
        evaluation = evaluate(q, document, list(given.values_list("name", flat=True)))
        response.problems = [p.to_json() for p in evaluation.problems]
        response.save(using=alias, update_fields=["problems"])
        details = {"org": response.org_name, "name": name, "sha256": sha256}
        audit(actor, "survey.attachment_upload", response, details, alias)


def export_rows(
    survey_round: Round, alias: str = "default", *, seido: str | None = None
) -> list[Any]:
    """One :class:`tenken.survey.export.ExportRow` per roster organisation and 制度, from the
    counted answers (what the ministry aggregates); ``seido`` given: that 制度's rows only."""
    from tenken.survey.export import ExportRow

    fields = ("org_name", "seido", "received_at", "source_name", "problems", "respondent")
    rows_found = counted(survey_round, alias, seido=seido).values_list(*fields, "answers")
    found = {(r[0], r[1]): r for r in rows_found}
    rows = []
    for line in overview(survey_round, alias, seido=seido):
        row = found.get((line.org_name, line.seido))
        if row is None:
            where = (line.org_kind, line.prefecture, line.state)
            rows.append(ExportRow(line.org_name, *where, seido=line.seido))
            continue
        _name, _seido, received, source, problems, respondent, answers = row
        rows.append(
            ExportRow(
                line.org_name,
                line.org_kind,
                line.prefecture,
                line.state,
                local(received).strftime("%Y-%m-%d %H:%M"),
                source,
                len(problems),
                AnswerDocument(dict(respondent), dict(answers)),
                line.seido,
            )
        )
    return rows


def report_roster(
    survey_round: Round, alias: str = "default", seido: str | None = None
) -> list[Any]:
    """The round's roster for a report: one row per (organisation, 制度) it asks, with the
    codes of the local governments (the CLI's and the site's reports read this)."""
    from tenken.survey.local_governments import lookup_org_name
    from tenken.survey.report.model import ListedOrg

    rows: list[Any] = []
    for entry, unit in roster_units(survey_round, alias, seido):
        government = lookup_org_name(entry.org_name)
        if government is not None and not unit:
            rows.append(government)
            continue
        code = government.code if government else ""
        prefecture = government.prefecture if government else entry.prefecture
        rows.append(ListedOrg(entry.org_name, entry.org_kind, prefecture, code, unit))
    return rows


def round_report(
    survey_round: Round,
    generated_at: str,
    alias: str = "default",
    *,
    seido: str | None = None,
    pack: Pack | None = None,
    roster: Sequence[Any] | None = None,
) -> Any:
    """The round's :class:`tenken.survey.report.ReportData` from its counted answers, judged by
    its pack (or ``pack``: ``--rules``), against its roster (or ``roster``); ``seido`` given:
    that 制度's report, else the overall one with a report per 制度 (a round with several)."""
    from tenken.survey.report.model import build_seido_report

    check_seido(survey_round, seido)
    answers = counted_answers(survey_round, alias, seido=seido)
    rows = roster if roster is not None else report_roster(survey_round, alias, seido)
    seidos = survey_round.seidos if seido is None else [seido]
    return build_seido_report(pack or pack_of(survey_round), rows, answers, generated_at, seidos)
