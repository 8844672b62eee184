"""Several 制度 in one round: what a 制度 is on the sheet and which answers it keys, in one place.

The answer sheet's 制度等 (◆リストから選択(厚労省で入力)) is a respondent field filled by the
ministry from the questionnaire's list. A round may cover several of that list's 制度; an
organisation then answers once per 制度 (its own sheet or web form for each), and every answer
is keyed by (organisation, 制度). A round without a 制度 list is *undivided*: every answer has
the key ``""`` and the round behaves as before 制度 were counted.

The unit that status, tallies, cross-tabs, risk and reminders count is therefore one
(organisation, 制度) pair; the overall figures are the sum over the round's 制度.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from tenken.errors import InputError
from tenken.survey.model import SEIDO_FIELD, Questionnaire

__all__ = ["SEIDO_FIELD", "UNDIVIDED"]  # SEIDO_FIELD: the shared convention, as 組織名/組織区分
UNDIVIDED = ""
"""The 制度 key of every answer in a round without a 制度 list."""
_SEPARATORS = re.compile(r"[、,;；|｜]")


def listed(q: Questionnaire) -> list[str]:
    """The 制度 the questionnaire's 制度等 list offers (empty when it has no such list)."""
    for f in q.respondent_fields:
        if f.name == SEIDO_FIELD and f.list_name:
            return list(q.choices_of(f).codes())
    return []


def check_round_seidos(q: Questionnaire, seidos: Sequence[str]) -> list[str]:
    """The round's 制度 as given (order kept); each must be one of the 制度等 list, once."""
    offered = listed(q)
    clean = [s.strip() for s in seidos]
    problems = [f"「{s}」は 制度等 の選択肢にありません" for s in clean if s not in offered]
    problems += [f"「{s}」が2回指定されています" for s in sorted(set(clean)) if clean.count(s) > 1]
    if problems:
        choices = "、".join(offered) if offered else "（調査票に 制度等 の選択肢がありません）"
        raise InputError(
            "制度等の指定が正しくありません: " + " / ".join(problems),
            hint=f"調査票の 制度等 の選択肢: {choices}。制度を増やすには調査票の制度等の"
            "選択肢（choices の seido などの一覧）に加えてください",
        )
    return clean


def units(round_seidos: Sequence[str]) -> list[str]:
    """The 制度 keys of a round: its 制度, or the one undivided key."""
    return list(round_seidos) or [UNDIVIDED]


def divided(round_seidos: Sequence[str]) -> bool:
    """A round gives figures per 制度 (besides the overall ones) when it covers two or more."""
    return len(round_seidos) > 1


def _named(roster_seido: str) -> set[str]:
    """The 制度 a roster's 制度等 names (「A、B」; blank: none named)."""
    return {part.strip() for part in _SEPARATORS.split(roster_seido) if part.strip()}


def asked(roster_seido: str, round_seidos: Sequence[str]) -> list[str]:
    """The 制度 an organisation of the roster answers: every 制度 of the round when its roster
    制度等 is blank, else those it names (「A、B」), in the round's order."""
    if not round_seidos:
        return [UNDIVIDED]
    named = _named(roster_seido)
    if not named:
        return list(round_seidos)
    return [s for s in round_seidos if s in named]


def unknown_in_roster(roster_seidos: Iterable[str], round_seidos: Sequence[str]) -> list[str]:
    """制度 named in roster entries that the round does not cover (a round refuses them)."""
    if not round_seidos:
        return []
    found = {name for text in roster_seidos for name in _named(text)}
    return sorted(found - set(round_seidos))


def key_of(written: str, issued: str, round_seidos: Sequence[str]) -> tuple[str, str]:
    """(the 制度 key of an answer, why it is refused or "").

    ``written`` is the answer's 制度等, ``issued`` the 制度 its sheet was generated for ("" for
    JSON and older sheets). In an undivided round every answer has the key ``""``. Otherwise
    the key is the 制度 the sheet was issued for, which its 制度等 must still name (a sheet of
    one 制度 is never taken as another's), and it must be one of the round's 制度.
    """
    if not round_seidos:
        return UNDIVIDED, ""
    written = written.strip()
    if issued and written != issued:
        changed = f"「{written}」に書き換えられています" if written else "消されています"
        return issued, (
            f"この回答シートは制度「{issued}」用ですが、制度等が{changed}。"
            "制度ごとに、その制度の回答シートで送ってください"
        )
    key = issued or written
    if key not in round_seidos:
        offered = "、".join(round_seidos)
        what = f"制度「{key}」" if key else "制度等が空欄の"
        return key, f"{what}回答は、この調査回の対象ではありません（対象の制度: {offered}）"
    return key, ""


def other_seido(key: str, wanted: str | None) -> str:
    """Why an answer of 制度 ``key`` is refused where only 制度 ``wanted`` is taken ("" if not)."""
    if wanted is None or key == wanted:
        return ""
    return (
        f"この回答は制度「{key}」のものです（受け付けているのは制度「{wanted}」）。"
        f"制度「{wanted}」の回答シートで送ってください"
    )
