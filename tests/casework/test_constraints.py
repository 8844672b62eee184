"""The four-eyes rule as a database constraint, on SQLite and PostgreSQL: a row naming the
decider as approver is refused however it is written."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from tenken.store.casework.models import Case, Run
from tests.store.conftest import Db, store_db  # noqa: F401  (fixture)


def test_database_refuses_approver_equal_to_decider(store_db: Db, django_db_blocker: Any) -> None:  # noqa: F811
    alias = store_db.alias
    with django_db_blocker.unblock():
        users = get_user_model().objects.db_manager(alias)
        alice, bob = users.create_user("alice"), users.create_user("bob")
        run = Run.objects.using(alias).create(organisation="X", title="t", fingerprint="f" * 64,
                                              source="s", summary={}, record_rows=1,
                                              imported_by="cli:test")  # fmt: skip
        case = Case.objects.using(alias).create(run=run, position=0, rid="R1", verdict="review",
                                                status="decided", action="unlink", reason="x",
                                                decided_by=alice)  # fmt: skip
        rows = Case.objects.using(alias).filter(pk=case.pk)
        with pytest.raises(IntegrityError), transaction.atomic(using=alias):
            rows.update(status="approved", approved_by=alice)
        with pytest.raises(IntegrityError), transaction.atomic(using=alias):
            rows.update(status="approved")  # approved, but by nobody
        with pytest.raises(IntegrityError), transaction.atomic(using=alias):
            rows.update(action="mislink", number_source="")  # a number from nowhere
        rows.update(status="approved", approved_by=bob)
        assert rows.get().approved_by_id == bob.pk
