"""``python -m tenken.web.demo_site [ANSWERS_DIR]``: prepare the demo site in TENKEN_WORKSPACE.

Migrates, creates the demo round and one account per role, ingests the sample answers of the
roster's organisations, and prints ``{"accounts": ..., "ingested": N}`` as JSON. Run by
``tenken demo`` in its own process so that the site's settings never mix with the CLI's.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main() -> None:
    from tenken.web import setup

    setup()
    from django.conf import settings
    from django.core.management import call_command

    from tenken.web.accounts.demo import ingest_sample_answers, seed

    call_command("migrate", interactive=False, verbosity=0)
    accounts = seed(settings.WORKSPACE)
    ingested = ingest_sample_answers(Path(sys.argv[1])) if len(sys.argv) > 1 else 0
    print(json.dumps({"accounts": accounts, "ingested": ingested}, ensure_ascii=False))


if __name__ == "__main__":
    main()
