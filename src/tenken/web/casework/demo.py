"""``python -m tenken.web.casework.demo OUT_DIR``: the review flow on the demo's inspect output.

``--accounts`` instead of OUT_DIR only creates the demo's three users and their roles.

Run by ``tenken demo`` in the site's own process (the site's settings and workspace): imports
the run, creates a 点検担当者, a 承認者 and a 監査, decides three cases (one mislink set to the
one person agreeing on all four facts), approves two, returns one, fixes and approves it,
exports the corrections and verifies the audit trail. Prints a JSON summary.
"""

from __future__ import annotations

import json
import secrets
import sys
from pathlib import Path
from typing import Any

ORG = "14神奈川県相模原市"
USERS = {"reviewer": "demo-reviewer", "approver": "demo-approver", "auditor": "demo-auditor"}


def _users(workspace: Path) -> tuple[dict[str, Any], dict[str, dict[str, str]]]:
    from django.contrib.auth import get_user_model

    from tenken.linkage.review.model import Role
    from tenken.store.casework.services import grant

    path = workspace / "demo-review-accounts.json"
    known = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    users, accounts = {}, {}
    roles = {"reviewer": Role.REVIEWER, "approver": Role.APPROVER, "auditor": Role.AUDITOR}
    for key, username in USERS.items():
        user, _ = get_user_model().objects.get_or_create(username=username)
        password = known.get(key, {}).get("password") or secrets.token_urlsafe(12)
        user.set_password(password)
        user.save()
        grant("demo", user, ORG, roles[key])
        users[key], accounts[key] = user, {"username": username, "password": password}
    path.write_text(json.dumps(accounts, ensure_ascii=False), encoding="utf-8")
    path.chmod(0o600)
    return users, accounts


def _pick(run: Any) -> dict[str, Any]:
    """A mislink with a unique full match, a review case to keep, one to unlink."""
    from tenken.linkage.review.model import Status

    open_cases = run.cases.filter(status=Status.OPEN).order_by("position")
    mislink = open_cases.filter(verdict="suspected_mislink").exclude(proposed_mask="").first()
    keep = open_cases.filter(verdict="review").exclude(claimed_mask="").first()
    taken = [c.pk for c in (mislink, keep) if c is not None]
    unlink = open_cases.filter(verdict__in=["suspected_mislink", "review", "not_in_registry"]
                               ).exclude(pk__in=taken).first()  # fmt: skip
    return {"mislink": mislink, "keep": keep, "unlink": unlink}


def run_demo(out_dir: Path, workspace: Path) -> dict[str, Any]:
    from tenken.linkage.review.model import Action
    from tenken.store.audit import verify
    from tenken.store.casework import services

    users, accounts = _users(workspace)
    imported = services.import_output(out_dir, ORG, "デモの総点検（合成データ）", "demo")
    run = imported.run
    picked = _pick(run)
    reviewer, approver = users["reviewer"], users["approver"]
    steps = []
    if all(picked.values()):
        m, k, u = picked["mislink"], picked["keep"], picked["unlink"]
        services.decide(
            m.pk,
            reviewer,
            Action.MISLINK,
            "同姓同名の別人に紐付いていた（4情報が一意に一致する人へ訂正）",
        )
        services.decide(k.pk, reviewer, Action.CORRECT, "住民票の写しで本人と確認")
        services.decide(u.pk, reviewer, Action.UNLINK, "本人を特定できない")
        services.approve(m.pk, approver)
        services.approve(k.pk, approver)
        services.return_case(u.pk, approver, "照会の結果を理由に書いてください")
        services.decide(
            u.pk, reviewer, Action.UNLINK, "J-LIS 照会で該当なし。本人確認書類の提出を依頼"
        )
        services.approve(u.pk, approver)
        steps = [m.rid, k.rid, u.rid]
    out = workspace / "corrections.csv"
    exported = services.export_run(
        run, approver, out, reason="デモ: 業務システムへの訂正の取り込み"
    )
    checked = verify()
    return {"run": run.pk, "created": imported.created, "cases": run.cases.count(),
            "decided": steps, "exported": exported.count, "file": str(out),
            "audit_ok": checked.ok, "audit_count": checked.count, "audit_head": checked.head,
            "accounts": accounts}  # fmt: skip


def main() -> None:
    from tenken.web import setup

    setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    workspace = Path(settings.WORKSPACE)
    if sys.argv[1] == "--accounts":  # only the three users (the E2E test drives the rest)
        print(json.dumps({"accounts": _users(workspace)[1]}, ensure_ascii=False))
        return
    print(json.dumps(run_demo(Path(sys.argv[1]), workspace), ensure_ascii=False))


if __name__ == "__main__":
    main()
