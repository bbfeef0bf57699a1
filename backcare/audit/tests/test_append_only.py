"""The audit table refuses UPDATE and DELETE in the database, whoever asks."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction

from backcare.accounts.models import User
from backcare.audit.guard import guard_triggers
from backcare.audit.models import AuditEvent
from backcare.testing import audit_row

TRIGGERS = {
    "sqlite": ["audit_auditevent_no_delete", "audit_auditevent_no_update"],
    "postgresql": ["audit_auditevent_no_truncate", "audit_auditevent_no_update_delete"],
}


def _unchanged(event: AuditEvent) -> bool:
    stored = AuditEvent.objects.get(pk=event.pk)
    return (stored.action, stored.actor_label, stored.detail) == (
        event.action,
        event.actor_label,
        event.detail,
    )


def _refused(sql: str, params: list[Any]) -> None:
    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)


@pytest.fixture
def event(db: Any, clinician: User) -> AuditEvent:
    return audit_row(clinician, "patient.view", patient_id=7, count=1)


def test_the_migration_installs_the_triggers_of_this_engine(db: Any) -> None:
    assert guard_triggers(connection) == TRIGGERS[connection.vendor]


def test_a_raw_update_fails_and_the_row_is_unchanged(event: AuditEvent) -> None:
    _refused("UPDATE audit_auditevent SET action = %s WHERE id = %s", ["forged", event.pk])
    assert _unchanged(event)


def test_a_raw_delete_fails_and_the_row_stays(event: AuditEvent) -> None:
    _refused("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_orm_queryset_update_fails(event: AuditEvent) -> None:
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(actor_label="someone else")
    assert _unchanged(event)


def test_the_orm_queryset_delete_fails(event: AuditEvent) -> None:
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_model_refuses_to_save_again_or_delete(event: AuditEvent) -> None:
    event.action = "forged"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE exists on PostgreSQL only")
def test_truncate_fails_on_postgresql(event: AuditEvent) -> None:
    with connection.cursor() as cursor:  # run the deferred foreign-key checks of the insert now,
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # or PostgreSQL refuses TRUNCATE first
    _refused("TRUNCATE audit_auditevent", [])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_a_login_in_the_trail_cannot_be_deleted(event: AuditEvent, clinician: User) -> None:
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        clinician.delete()
    assert AuditEvent.objects.get(pk=event.pk).actor == clinician


def test_flush_refuses_outside_the_test_harness(event: AuditEvent, settings: Any) -> None:
    settings.AUDIT_FLUSH_ALLOWED = False
    with pytest.raises(CommandError, match="append-only"):
        call_command("flush", interactive=False, verbosity=0)
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_the_harness_flush_empties_the_table_and_puts_the_triggers_back(
    clinician: User,
) -> None:
    audit_row(clinician, "patient.view", patient_id=7)
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()
    assert guard_triggers(connection) == TRIGGERS[connection.vendor]
    kept = audit_row(None, "demo.seed")
    _refused("DELETE FROM audit_auditevent WHERE id = %s", [kept.pk])
