"""Sessions are dated by the patient's own day, in their time zone, not the server's (UTC)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from typing import Any

import pytest

from backcare.accounts.models import Clinic
from backcare.logbook.models import Session
from backcare.logbook.services import InvalidSession, log_session, record_next_morning_pain
from backcare.logbook.tests.conftest import payload_of, session_json
from backcare.logbook.tests.test_guided import player_data
from backcare.patients.models import Patient
from backcare.reminders.models import ReminderSchedule
from backcare.testing import logged_in

# 17:30 on Tuesday 11 March in Los Angeles (PDT, UTC-7) is 00:30 on Wednesday 12 March in UTC;
# in Auckland (NZDT, UTC+13) Wednesday begins at 11:00 on Tuesday in UTC.
LA_EVENING = datetime(2025, 3, 12, 0, 30, tzinfo=UTC)
TUESDAY, WEDNESDAY = date(2025, 3, 11), date(2025, 3, 12)


def lives_in(patient: Patient, zone: str) -> Patient:
    patient.time_zone = zone
    patient.save(update_fields=["time_zone"])
    ReminderSchedule.objects.create(patient=patient, weekdays=list(range(7)), time_of_day=time(18))
    return patient


def initial_performed_on(page: str) -> str:
    found = re.search(r'<input[^>]*name="performed_on"[^>]*>', page)
    assert found is not None, "no performed_on field on the page"
    value = re.search(r'value="([0-9-]+)"', found.group(0))
    assert value is not None
    return value.group(1)


@pytest.mark.parametrize(
    ("zone", "now", "day"),
    [
        ("America/Los_Angeles", LA_EVENING, TUESDAY),
        ("Pacific/Auckland", datetime(2025, 3, 11, 0, 30, tzinfo=UTC), TUESDAY),
        ("Pacific/Auckland", datetime(2025, 3, 11, 11, 30, tzinfo=UTC), WEDNESDAY),
        ("Europe/London", LA_EVENING, WEDNESDAY),
        # across the date line at one instant, 10:30 UTC on Wednesday 12 March
        ("Pacific/Kiritimati", datetime(2025, 3, 12, 10, 30, tzinfo=UTC), date(2025, 3, 13)),
        ("Pacific/Pago_Pago", datetime(2025, 3, 12, 10, 30, tzinfo=UTC), TUESDAY),
    ],
)
def test_it_dates_todays_form_and_the_player_by_the_patients_day(
    patient: Patient, time_machine: Any, zone: str, now: datetime, day: date
) -> None:
    lives_in(patient, zone)
    time_machine.move_to(now, tick=False)
    client = logged_in(patient.user)

    assert initial_performed_on(client.get("/me/").content.decode()) == day.isoformat()
    assert player_data(client.get("/me/session/").content.decode())["today"] == day.isoformat()


def test_it_uses_the_clinics_zone_when_the_patient_has_none(
    patient: Patient, time_machine: Any
) -> None:
    time_machine.move_to(LA_EVENING, tick=False)
    client = logged_in(patient.user)
    assert initial_performed_on(client.get("/me/").content.decode()) == WEDNESDAY.isoformat()

    Clinic.objects.filter(pk=patient.clinic_id).update(time_zone="America/Los_Angeles")

    assert initial_performed_on(client.get("/me/").content.decode()) == TUESDAY.isoformat()


def test_it_refuses_the_patients_tomorrow_though_it_is_the_servers_today(
    patient: Patient, time_machine: Any
) -> None:
    lives_in(patient, "America/Los_Angeles")
    time_machine.move_to(LA_EVENING, tick=False)

    with pytest.raises(InvalidSession) as refused:
        log_session(patient.user, patient, payload_of(session_json(patient)))  # Wednesday

    assert [(e.field, e.message) for e in refused.value.errors] == [
        ("performed_on", "must not be in the future")
    ]
    body = session_json(patient, performed_on=TUESDAY.isoformat())
    assert log_session(patient.user, patient, payload_of(body))[1]


def test_it_takes_the_patients_today_though_the_server_is_still_on_yesterday(
    patient: Patient, time_machine: Any
) -> None:
    lives_in(patient, "Pacific/Auckland")
    time_machine.move_to(datetime(2025, 3, 11, 11, 30, tzinfo=UTC), tick=False)  # 00:30 Wed

    response = logged_in(patient.user).post(
        "/api/v1/me/sessions",
        session_json(patient, performed_on=WEDNESDAY.isoformat()),
        content_type="application/json",
    )

    assert response.status_code == 201
    assert Session.objects.get().performed_on == WEDNESDAY


def test_it_asks_for_next_morning_pain_only_once_the_patients_day_is_over(
    patient: Patient, time_machine: Any
) -> None:
    lives_in(patient, "America/Los_Angeles")
    time_machine.move_to(LA_EVENING, tick=False)
    body = session_json(patient, performed_on=TUESDAY.isoformat())
    session, _ = log_session(patient.user, patient, payload_of(body))

    with pytest.raises(InvalidSession):
        record_next_morning_pain(patient.user, session, 2)  # still Tuesday evening there

    time_machine.move_to(datetime(2025, 3, 12, 15, 0, tzinfo=UTC), tick=False)  # 08:00 Wed
    assert record_next_morning_pain(patient.user, session, 2).next_morning_pain_0_10 == 2
