"""Migration 0002 takes names out of old rows, then locks the table; reversing it unlocks."""

from __future__ import annotations

import pytest
from django.db import connection

from backcare.accounts.models import User
from backcare.audit.guard import guard_triggers
from backcare.audit.models import AuditEvent
from backcare.testing import migrate_to

BEFORE = [("audit", "0001_initial")]
AFTER = [("audit", "0002_append_only")]


@pytest.mark.django_db(transaction=True)
def test_old_rows_lose_usernames_and_addresses_before_the_lock(clinician: User) -> None:
    try:
        old = migrate_to(BEFORE).get_model("audit", "AuditEvent")
        assert guard_triggers(connection) == []
        by_person = old.objects.create(
            actor_id=clinician.pk,
            actor_label="alice",
            action="x",
            detail={"note": "550 <pat@example.org> refused"},
        )
        gone = old.objects.create(actor_label="bob", action="y")
        job = old.objects.create(actor_label="system", action="z")
    finally:
        migrate_to(AFTER)
    assert AuditEvent.objects.get(pk=by_person.pk).actor_label == f"clinician:{clinician.pk}"
    assert AuditEvent.objects.get(pk=by_person.pk).detail == {
        "note": "550 <[e-mail address]> refused"
    }
    assert AuditEvent.objects.get(pk=gone.pk).actor_label == "deleted user"
    assert AuditEvent.objects.get(pk=job.pk).actor_label == "system"
    assert guard_triggers(connection) != []
