from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from backcare.accounts.models import User
from backcare.audit.models import AuditEvent
from backcare.logbook.models import ExerciseLog, Session
from backcare.logbook.services import (
    InvalidSession,
    NoActiveProgramme,
    SessionConflict,
    log_session,
    morning_prompt_session,
    payload_hash,
    record_next_morning_pain,
    session_summaries,
    session_summary,
    sessions_of,
)
from backcare.logbook.tests.conftest import (
    ASSIGNED_AT,
    TODAY,
    YESTERDAY,
    entry_json,
    items_of,
    payload_of,
    session_json,
)
from backcare.patients.models import Patient
from backcare.programmes.models import Programme


def log(patient: Patient, **fields: Any) -> tuple[Session, bool]:
    return log_session(patient.user, patient, payload_of(session_json(patient, **fields)))


def test_it_stores_a_session_with_one_log_per_exercise(patient: Patient) -> None:
    session, created = log(patient)

    assert created
    assert session.performed_on == TODAY
    assert session.programme == patient.programme_set.get(status="active")
    logs = ExerciseLog.objects.filter(session=session)
    assert logs.count() == 3
    bridge = logs.get(item__exercise__slug="bridge")
    assert (bridge.sets_done, bridge.reps_done, bridge.hold_s_done) == (3, 10, None)
    assert (bridge.pain_during_0_10, bridge.effort_0_10) == (2, 5)


def test_it_returns_the_stored_session_when_the_same_body_comes_again(patient: Patient) -> None:
    body = session_json(patient)
    first, _ = log_session(patient.user, patient, payload_of(body))

    again, created = log_session(patient.user, patient, payload_of(body))

    assert not created
    assert again.pk == first.pk
    assert Session.objects.count() == 1
    assert ExerciseLog.objects.count() == 3


def test_it_hashes_the_same_exercises_in_another_order_alike(patient: Patient) -> None:
    body = session_json(patient)
    reordered = body | {"exercises": list(reversed(body["exercises"]))}

    assert payload_hash(payload_of(body)) == payload_hash(payload_of(reordered))


def test_it_refuses_the_same_client_id_with_a_different_body(patient: Patient) -> None:
    body = session_json(patient)
    first, _ = log_session(patient.user, patient, payload_of(body))

    with pytest.raises(SessionConflict) as caught:
        log_session(patient.user, patient, payload_of(body | {"notes": "Changed my mind."}))

    assert caught.value.session == first
    assert Session.objects.get().notes == "Felt fine."


def test_it_lets_two_patients_use_the_same_client_id(
    patient: Patient, other_patient: Patient
) -> None:
    client_id = str(uuid.uuid4())
    log(patient, client_id=client_id)

    _, created = log(other_patient, client_id=client_id)

    assert created
    assert Session.objects.count() == 2


def test_it_audits_a_stored_session(patient: Patient) -> None:
    session, _ = log(patient)

    event = AuditEvent.objects.get()
    assert event.actor == patient.user
    assert event.action == "logbook.session.create"
    assert event.patient_id == patient.pk
    assert (event.object_type, event.object_id) == ("logbook.Session", str(session.pk))
    assert event.outcome == "ok"
    assert event.detail["client_id"] == str(session.client_id)


def test_it_audits_a_replay_as_a_read(patient: Patient) -> None:
    body = session_json(patient)
    session, _ = log_session(patient.user, patient, payload_of(body))
    log_session(patient.user, patient, payload_of(body))

    replay = AuditEvent.objects.get(action="logbook.session.replay")
    assert (replay.patient_id, replay.object_id, replay.outcome) == (
        patient.pk,
        str(session.pk),
        "ok",
    )
    assert AuditEvent.objects.count() == 2


def test_it_audits_a_conflicting_replay_as_rejected(patient: Patient) -> None:
    body = session_json(patient)
    log_session(patient.user, patient, payload_of(body))

    with pytest.raises(SessionConflict):
        log_session(patient.user, patient, payload_of(body | {"notes": "other"}))

    event = AuditEvent.objects.get(action="logbook.session.replay")
    assert event.outcome == "invalid"
    assert event.detail["same_body"] is False


def test_it_audits_a_rejected_session(patient: Patient) -> None:
    with pytest.raises(InvalidSession):
        log(patient, performed_on=(TODAY + timedelta(days=1)).isoformat())

    event = AuditEvent.objects.get()
    assert (event.action, event.outcome, event.patient_id) == (
        "logbook.session.create",
        "invalid",
        patient.pk,
    )
    assert event.detail["errors"] == ["performed_on: must not be in the future"]
    assert Session.objects.count() == 0


def with_session(**fields: Any) -> Any:
    """A valid session body with its own ``fields`` changed."""
    return lambda patient: session_json(patient, **fields)


def with_entry(index: int, **fields: Any) -> Any:
    """A valid session body with exercise ``index`` changed: 0 is a hold, 1 reps, 2 minutes."""

    def make(patient: Patient) -> dict[str, Any]:
        body = session_json(patient)
        body["exercises"][index] |= fields
        return body

    return make


def twice(patient: Patient) -> dict[str, Any]:
    return session_json(patient, exercises=[entry_json(items_of(patient)[0])] * 2)


@pytest.mark.parametrize(
    ("make_body", "field", "message"),
    [
        (with_session(performed_on="2025-03-13"), "performed_on", "future"),
        (with_session(performed_on="2025-02-09"), "performed_on", "before the programme"),
        (with_session(notes="x" * 5001), "notes", "at most 5000"),
        (with_session(exercises=[]), "exercises", "at least one"),
        (with_entry(0, item_id=999_999), "exercises.0.item_id", "not an item"),
        (twice, "exercises.1.item_id", "twice"),
        (with_entry(0, reps_done=10), "exercises.0.reps_done", "does not apply"),
        (with_entry(1, hold_s_done=10), "exercises.1.hold_s_done", "does not apply"),
        (with_entry(2, sets_done=1), "exercises.2.sets_done", "does not apply"),
        (with_entry(1, done=False), "exercises.1.reps_done", "skipped"),
        (with_entry(1, pain_during_0_10=11), "exercises.1.pain_during_0_10", "between 0 and 10"),
        (with_entry(1, effort_0_10=-1), "exercises.1.effort_0_10", "between 0 and 10"),
        (with_entry(1, reps_done=501), "exercises.1.reps_done", "between 0 and 500"),
    ],
)
def test_it_refuses_a_session_that_breaks_a_rule(
    patient: Patient, make_body: Any, field: str, message: str
) -> None:
    with pytest.raises(InvalidSession) as caught:
        log_session(patient.user, patient, payload_of(make_body(patient)))

    assert any(e.field == field and message in e.message for e in caught.value.errors), caught.value
    assert Session.objects.count() == 0


def test_it_refuses_an_item_of_another_patients_programme(
    patient: Patient, other_patient: Patient
) -> None:
    foreign = items_of(other_patient)[0]

    with pytest.raises(InvalidSession) as caught:
        log(patient, exercises=[entry_json(foreign)])

    assert caught.value.errors[0].field == "exercises.0.item_id"


def test_it_refuses_an_item_of_a_superseded_programme(patient: Patient) -> None:
    old_items = items_of(patient)
    Programme.objects.filter(patient=patient).update(status="superseded")
    newer = Programme.objects.create(
        patient=patient, version=2, stage="initial", status="active", assigned_at=ASSIGNED_AT
    )
    newer.items.create(position=0, exercise=old_items[0].exercise, dose_type="hold", hold_s=10)

    with pytest.raises(InvalidSession) as caught:
        log(patient, exercises=[entry_json(old_items[1])])

    assert caught.value.errors[0].field == "exercises.0.item_id"


def test_it_accepts_a_skipped_exercise_without_numbers(patient: Patient) -> None:
    item = items_of(patient)[1]

    session, _ = log(patient, exercises=[{"item_id": item.pk, "done": False}])

    logged = session.exercises.get()
    assert not logged.done
    assert logged.reps_done is None


def test_it_refuses_to_log_without_an_active_programme(patient: Patient) -> None:
    body = session_json(patient)
    Programme.objects.filter(patient=patient).update(status="superseded")

    with pytest.raises(NoActiveProgramme):
        log_session(patient.user, patient, payload_of(body))

    assert AuditEvent.objects.get().outcome == "invalid"


def test_it_refuses_to_log_for_a_patient_the_actor_cannot_see(
    patient: Patient, outsider: User, other_patient: Patient
) -> None:
    for actor in (outsider, other_patient.user):
        with pytest.raises(PermissionDenied):
            log_session(actor, patient, payload_of(session_json(patient)))

    assert Session.objects.count() == 0


def test_it_records_next_morning_pain(patient: Patient) -> None:
    session, _ = log(patient, performed_on=YESTERDAY.isoformat())

    record_next_morning_pain(patient.user, session, 3)

    session.refresh_from_db()
    assert session.next_morning_pain_0_10 == 3
    event = AuditEvent.objects.get(action="logbook.session.morning_pain")
    assert (event.patient_id, event.object_id, event.detail) == (
        patient.pk,
        str(session.pk),
        {"pain_0_10": 3, "previous": None},
    )


@pytest.mark.parametrize("pain", [-1, 11])
def test_it_refuses_next_morning_pain_outside_0_to_10(patient: Patient, pain: int) -> None:
    session, _ = log(patient, performed_on=YESTERDAY.isoformat())

    with pytest.raises(InvalidSession):
        record_next_morning_pain(patient.user, session, pain)


def test_it_refuses_next_morning_pain_on_the_day_of_the_session(patient: Patient) -> None:
    session, _ = log(patient)

    with pytest.raises(InvalidSession):
        record_next_morning_pain(patient.user, session, 3)


def test_it_refuses_next_morning_pain_for_someone_elses_session(
    patient: Patient, other_patient: Patient
) -> None:
    session, _ = log(patient, performed_on=YESTERDAY.isoformat())

    with pytest.raises(PermissionDenied):
        record_next_morning_pain(other_patient.user, session, 3)

    session.refresh_from_db()
    assert session.next_morning_pain_0_10 is None


def test_it_asks_about_yesterdays_session_until_answered(patient: Patient) -> None:
    session, _ = log(patient, performed_on=YESTERDAY.isoformat())
    assert morning_prompt_session(patient.user, patient, TODAY) == session

    record_next_morning_pain(patient.user, session, 2)

    assert morning_prompt_session(patient.user, patient, TODAY) is None


@pytest.mark.parametrize("days_ago", [0, 2])
def test_it_does_not_ask_about_todays_or_older_sessions(patient: Patient, days_ago: int) -> None:
    log(patient, performed_on=(TODAY - timedelta(days=days_ago)).isoformat())

    assert morning_prompt_session(patient.user, patient, TODAY) is None


def test_it_reads_back_the_session_a_concurrent_request_stored_first(
    patient: Patient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race on PostgreSQL: both requests look, see nothing, insert; the second insert fails."""
    from backcare.logbook import services

    body = session_json(patient)
    first, _ = log_session(patient.user, patient, payload_of(body))
    real_find = services._find
    looks: list[int] = []

    def find_after_the_race(*args: Any) -> Session | None:
        looks.append(1)
        return None if len(looks) == 1 else real_find(*args)

    monkeypatch.setattr(services, "_find", find_after_the_race)

    again, created = log_session(patient.user, patient, payload_of(body))

    assert (again.pk, created) == (first.pk, False)
    assert Session.objects.count() == 1
    assert AuditEvent.objects.filter(action="logbook.session.replay").count() == 1


def test_it_counts_each_session_for_the_cores_as_its_logs_read(patient: Patient) -> None:
    first, second, third = items_of(patient)
    log(patient, performed_on=YESTERDAY.isoformat(), exercises=[entry_json(first)])
    log(
        patient,
        exercises=[
            entry_json(first, pain_during_0_10=7),
            entry_json(second, pain_during_0_10=None),
            {"item_id": third.pk, "done": False},
        ],
    )
    programme = patient.programme_set.get()
    Session.objects.create(  # opened, nothing logged
        patient=patient, programme=programme, client_id=uuid.uuid4(), performed_on=TODAY
    )

    counted = session_summaries(patient.user, patient)

    read = [session_summary(s) for s in sessions_of(patient.user, patient)]
    assert sorted(counted, key=repr) == sorted(read, key=repr)
    assert {
        (s.exercises_prescribed, s.exercises_done, s.max_pain_during_0_10) for s in counted
    } == {
        (1, 1, 2),
        (3, 2, 7),
        (0, 0, None),
    }
