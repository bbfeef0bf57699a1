from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from django.test import Client

from backcare.accounts.models import User
from backcare.audit.models import AuditEvent
from backcare.logbook.models import ExerciseLog, Session
from backcare.logbook.services import log_session
from backcare.logbook.tests.conftest import (
    TODAY,
    YESTERDAY,
    items_of,
    payload_of,
    raise_red_flag,
    session_json,
)
from backcare.patients.models import Patient
from backcare.programmes.models import Programme
from backcare.testing import logged_in


def form_data(patient: Patient, **fields: Any) -> dict[str, Any]:
    """The today form as a patient sends it: every exercise done as prescribed, pain 3, effort 5."""
    data: dict[str, Any] = {
        "client_id": str(uuid.uuid4()),
        "performed_on": TODAY.isoformat(),
        "notes": "Good day",
    }
    for item in items_of(patient):
        prefix = f"item-{item.pk}-"
        data |= {
            prefix + "status": "done",
            prefix + "pain_during_0_10": "3",
            prefix + "effort_0_10": "5",
        }
        if item.dose_type == "reps":
            data |= {prefix + "sets_done": str(item.sets), prefix + "reps_done": str(item.reps)}
        elif item.dose_type == "hold":
            data |= {prefix + "sets_done": str(item.sets), prefix + "hold_s_done": str(item.hold_s)}
        else:
            data[prefix + "minutes_done"] = str(item.duration_min)
    return data | fields


def field(patient: Patient, position: int, name: str) -> str:
    return f"item-{items_of(patient)[position].pk}-{name}"


def log_yesterday(patient: Patient) -> Session:
    body = session_json(patient, performed_on=YESTERDAY.isoformat())
    return log_session(patient.user, patient, payload_of(body))[0]


# today


def test_it_shows_the_patient_todays_routine(patient: Patient) -> None:
    response = logged_in(patient.user).get("/me/")

    assert response.status_code == 200
    page = response.content.decode()
    for name in ("Abdominal bracing", "Bridge", "Walking"):
        assert name in page
    assert "3 × 10 reps, rest 45 s" in page
    assert "Push through your heels." in page  # a cue
    assert "squeeze your buttocks and lift your hips" in page  # a step
    assert page.count("<svg") >= 3
    assert re.search(r'name="client_id" value="[0-9a-f-]{36}"', page)


def test_it_audits_the_patient_reading_today(patient: Patient) -> None:
    logged_in(patient.user).get("/me/")

    event = AuditEvent.objects.get()
    assert (event.actor, event.action, event.patient_id, event.outcome) == (
        patient.user,
        "logbook.today.view",
        patient.pk,
        "ok",
    )
    assert event.object_type == "programmes.Programme"


def test_it_shows_another_patient_only_their_own_routine(
    patient: Patient, other_patient: Patient
) -> None:
    page = logged_in(other_patient.user).get("/me/").content.decode()

    assert "Pelvic tilt" in page
    assert "Bridge" not in page


@pytest.mark.parametrize("persona", ["clinician", "outsider"])
@pytest.mark.parametrize("path", ["/me/", "/me/history/"])
def test_it_answers_404_to_clinicians_on_patient_pages(
    request: Any, patient: Patient, persona: str, path: str
) -> None:
    user: User = request.getfixturevalue(persona)

    assert logged_in(user).get(path).status_code == 404


@pytest.mark.parametrize("path", ["/me/", "/me/history/"])
def test_it_sends_anonymous_visitors_to_log_in(db: Any, path: str) -> None:
    response = Client().get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_it_shows_red_flag_advice_and_no_routine(patient: Patient) -> None:
    raise_red_flag(patient, "same_day")

    response = logged_in(patient.user).get("/me/")

    page = response.content.decode()
    assert 'role="alert"' in page
    assert "get seen by a doctor today" in page
    assert "Bridge" not in page
    assert 'name="client_id"' not in page
    assert AuditEvent.objects.get().detail == {"red_flag": "same_day"}


def test_it_shows_the_routine_again_after_a_clean_rescreen(patient: Patient) -> None:
    raise_red_flag(patient)
    raise_red_flag(patient, "none")

    page = logged_in(patient.user).get("/me/").content.decode()

    assert "Bridge" in page


def test_it_keeps_a_session_sent_just_before_a_red_flag_was_raised(patient: Patient) -> None:
    data = form_data(patient)
    raise_red_flag(patient)

    response = logged_in(patient.user).post("/me/", data, follow=True)

    assert Session.objects.count() == 1
    assert "get seen by a doctor today" in response.content.decode()


def test_it_says_so_when_there_is_no_active_programme(patient: Patient) -> None:
    Programme.objects.filter(patient=patient).update(status="draft")

    page = logged_in(patient.user).get("/me/").content.decode()

    assert "don't have an active programme" in page
    assert "Bridge" not in page


def test_it_logs_the_session_from_the_form(patient: Patient) -> None:
    client = logged_in(patient.user)

    response = client.post("/me/", form_data(patient))

    assert response.status_code == 302
    session = Session.objects.get()
    assert (session.performed_on, session.notes) == (TODAY, "Good day")
    bridge = session.exercises.get(item__exercise__slug="bridge")
    assert (bridge.done, bridge.sets_done, bridge.reps_done, bridge.pain_during_0_10) == (
        True,
        3,
        10,
        3,
    )
    assert "Session logged" in client.get("/me/").content.decode()


def test_it_stores_one_session_when_the_form_is_sent_twice(patient: Patient) -> None:
    client, data = logged_in(patient.user), form_data(patient)

    client.post("/me/", data)
    client.post("/me/", data)

    assert Session.objects.count() == 1
    assert "Already saved" in client.get("/me/").content.decode()


def test_it_stores_a_skipped_exercise_without_the_prefilled_numbers(patient: Patient) -> None:
    data = form_data(patient, **{field(patient, 1, "status"): "skipped"})

    logged_in(patient.user).post("/me/", data)

    bridge = ExerciseLog.objects.get(item__exercise__slug="bridge")
    assert (bridge.done, bridge.sets_done, bridge.reps_done, bridge.pain_during_0_10) == (
        False,
        None,
        None,
        None,
    )


@pytest.mark.parametrize(
    ("position", "name", "typed", "message"),
    [
        (1, "pain_during_0_10", "11", "must be between 0 and 10"),
        (1, "reps_done", "lots", "Enter a whole number"),
        (2, "effort_0_10", "-2", "must be between 0 and 10"),
        (0, "status", "", "Choose done or skipped"),
    ],
)
def test_it_shows_form_errors_and_keeps_what_was_typed(
    patient: Patient, position: int, name: str, typed: str, message: str
) -> None:
    data = form_data(patient, notes="Kept this note", **{field(patient, position, name): typed})

    response = logged_in(patient.user).post("/me/", data)

    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "Some answers need checking" in page
    assert "Kept this note" in page
    if typed:
        assert f'name="{field(patient, position, name)}" value="{typed}"' in page
    assert (
        f'value="{data["client_id"]}"' in page
    )  # the same session id, so a retry cannot double up
    assert Session.objects.count() == 0


def test_it_refuses_a_future_day_and_keeps_the_answers(patient: Patient) -> None:
    data = form_data(patient, performed_on="2025-03-13", **{field(patient, 1, "reps_done"): "8"})

    response = logged_in(patient.user).post("/me/", data)

    page = response.content.decode()
    assert "must not be in the future" in page
    assert 'value="2025-03-13"' in page
    assert f'name="{field(patient, 1, "reps_done")}" value="8"' in page
    assert Session.objects.count() == 0


def test_it_offers_a_new_session_when_the_page_was_already_used_with_other_answers(
    patient: Patient,
) -> None:
    client, data = logged_in(patient.user), form_data(patient)
    client.post("/me/", data)

    response = client.post("/me/", data | {"notes": "Changed"})

    page = response.content.decode()
    assert "already saved a session with different answers" in page
    new_id = re.search(r'name="client_id" value="([0-9a-f-]{36})"', page)
    assert new_id is not None and new_id.group(1) != data["client_id"]
    client.post("/me/", data | {"notes": "Changed", "client_id": new_id.group(1)})
    assert Session.objects.count() == 2


def test_it_never_answers_500_to_junk(patient: Patient) -> None:
    response = logged_in(patient.user).post("/me/", {"client_id": "junk", "performed_on": "soon"})

    assert response.status_code == 200
    assert Session.objects.count() == 0


# next-morning pain


def test_it_asks_how_the_back_is_the_morning_after(patient: Patient) -> None:
    session = log_yesterday(patient)

    page = logged_in(patient.user).get("/me/").content.decode()

    assert "How is your back this morning?" in page
    assert f"/me/sessions/{session.pk}/morning-pain/" in page


def test_it_does_not_ask_without_a_session_yesterday(patient: Patient) -> None:
    log_session(patient.user, patient, payload_of(session_json(patient)))

    page = logged_in(patient.user).get("/me/").content.decode()

    assert "How is your back this morning?" not in page


def test_it_records_next_morning_pain(patient: Patient) -> None:
    session = log_yesterday(patient)
    client = logged_in(patient.user)

    response = client.post(f"/me/sessions/{session.pk}/morning-pain/", {"pain_0_10": "4"})

    assert response.status_code == 302
    session.refresh_from_db()
    assert session.next_morning_pain_0_10 == 4
    event = AuditEvent.objects.get(action="logbook.session.morning_pain")
    assert (event.actor, event.patient_id, event.object_id) == (
        patient.user,
        patient.pk,
        str(session.pk),
    )
    assert "How is your back this morning?" not in client.get("/me/").content.decode()


@pytest.mark.parametrize("typed", ["", "11", "bad"])
def test_it_shows_an_error_for_bad_morning_pain(patient: Patient, typed: str) -> None:
    session = log_yesterday(patient)

    response = logged_in(patient.user).post(
        f"/me/sessions/{session.pk}/morning-pain/", {"pain_0_10": typed}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose a number from 0 to 10" in page or "Select a valid choice" in page
    session.refresh_from_db()
    assert session.next_morning_pain_0_10 is None


def test_it_hides_another_patients_session_from_the_morning_form(
    patient: Patient, other_patient: Patient
) -> None:
    session = log_yesterday(patient)

    response = logged_in(other_patient.user).post(
        f"/me/sessions/{session.pk}/morning-pain/", {"pain_0_10": "1"}
    )

    assert response.status_code == 404
    session.refresh_from_db()
    assert session.next_morning_pain_0_10 is None
    assert AuditEvent.objects.get(actor=other_patient.user).outcome == "not_found"


def test_it_takes_morning_pain_only_by_post(patient: Patient) -> None:
    session = log_yesterday(patient)

    assert (
        logged_in(patient.user).get(f"/me/sessions/{session.pk}/morning-pain/").status_code == 405
    )


@pytest.mark.parametrize("persona", ["clinician", "outsider"])
def test_it_answers_404_to_clinicians_on_the_morning_form(
    request: Any, patient: Patient, persona: str
) -> None:
    session = log_yesterday(patient)
    user: User = request.getfixturevalue(persona)

    response = logged_in(user).post(f"/me/sessions/{session.pk}/morning-pain/", {"pain_0_10": "1"})

    assert response.status_code == 404


# history


def test_it_shows_the_patients_own_history(patient: Patient) -> None:
    log_yesterday(patient)

    response = logged_in(patient.user).get("/me/history/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Tuesday 11 March 2025" in page
    assert "3 × 10 reps" in page  # bridge, as achieved
    assert "20 min" in page  # walking
    assert "2/10" in page  # pain during
    assert "Felt fine." in page
    event = AuditEvent.objects.get(action="logbook.history.view")
    assert (event.actor, event.patient_id, event.detail["sessions"]) == (
        patient.user,
        patient.pk,
        1,
    )


def test_it_shows_another_patient_none_of_this_history(
    patient: Patient, other_patient: Patient
) -> None:
    log_yesterday(patient)

    page = logged_in(other_patient.user).get("/me/history/").content.decode()

    assert "No sessions logged yet" in page
    assert "Bridge" not in page


def test_it_ignores_a_junk_history_page_number(patient: Patient) -> None:
    assert logged_in(patient.user).get("/me/history/?page=zzz").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_today_is_drawn_outside_a_transaction_and_its_row_written_after(patient: Patient) -> None:
    """On SQLite the audit row takes the database's one write lock until commit; drawing the
    page (the slow part) inside a transaction would make every other writer wait."""
    from django.db import connection
    from django.test.signals import template_rendered

    seen: list[tuple[bool, int]] = []

    def drawn(sender: Any, template: Any, **kwargs: Any) -> None:
        if template.name == "logbook/today.html":
            seen.append((connection.in_atomic_block, AuditEvent.objects.count()))

    template_rendered.connect(drawn)
    try:
        assert logged_in(patient.user).get("/me/").status_code == 200
    finally:
        template_rendered.disconnect(drawn)
    assert seen == [(False, 0)], "the page was drawn inside a transaction"
    assert AuditEvent.objects.count() == 1
