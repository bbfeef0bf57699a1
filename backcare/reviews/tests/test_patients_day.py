"""The nightly review judges each patient as of their own date: the days in stage, the sessions in
its windows and the review's date follow the patient's clock, not the server's (UTC)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from backcare.patients.models import Patient
from backcare.programmes.models import Programme
from backcare.reviews.models import Review
from backcare.reviews.services import run_nightly
from backcare.testing import log_sessions

pytestmark = pytest.mark.django_db

NIGHTLY = datetime(2026, 3, 20, 10, 30, tzinfo=UTC)
"""Friday 20 March in UTC; Saturday 21 March, 00:30, on Kiritimati (UTC+14); Thursday 19 March,
23:30, in Pago Pago (UTC-11)."""


def improving_since(patient: Patient, zone: str, assigned_at: datetime, first: date) -> Patient:
    """In ``zone``, with its programme assigned at ``assigned_at`` and a session every day from
    ``first`` to the patient's today, pain easing from 5 to 2."""
    patient.time_zone = zone
    patient.save(update_fields=["time_zone"])
    programme = patient.programme_set.get(status="active")
    Programme.objects.filter(pk=programme.pk).update(assigned_at=assigned_at)
    today = NIGHTLY.astimezone(ZoneInfo(zone)).date()
    log_sessions(programme, first, (today - first).days + 1, 5, 2)
    return patient


def test_it_counts_the_days_in_stage_to_the_patients_today_ahead_of_utc(
    patient: Patient, time_machine: Any
) -> None:
    # assigned 23:00 on 7 March on Kiritimati: 14 days in stage on their Saturday the 21st (the
    # initial stage's minimum), though the server, still on the 20th, would count 13
    improving_since(
        patient, "Pacific/Kiritimati", datetime(2026, 3, 7, 9, 0, tzinfo=UTC), date(2026, 3, 8)
    )
    time_machine.move_to(NIGHTLY, tick=False)

    run_nightly()

    review = Review.objects.get(patient=patient)
    assert (review.decision, review.computed_on) == ("progress", date(2026, 3, 21))
    days = next(r for r in review.reasons if r["rule"] == "min_days_in_stage")["figures"]
    assert days["days_in_stage"] == 14


def test_it_waits_for_the_patients_own_day_behind_utc(patient: Patient, time_machine: Any) -> None:
    # assigned 01:00 on 6 March in Pago Pago: 13 days in stage on their Thursday the 19th, one
    # short of the minimum, though the server, already on the 20th, would count 14
    improving_since(
        patient, "Pacific/Pago_Pago", datetime(2026, 3, 6, 12, 0, tzinfo=UTC), date(2026, 3, 7)
    )
    time_machine.move_to(NIGHTLY, tick=False)

    run_nightly()
    assert not Review.objects.filter(patient=patient).exists()

    run_nightly(date(2026, 3, 20))  # the same records a day later: now it is time
    assert Review.objects.get(patient=patient).decision == "progress"


def test_it_reviews_patients_on_both_sides_of_the_date_line_in_one_run(
    patient: Patient, other_patient: Patient, time_machine: Any
) -> None:
    ahead = improving_since(
        patient, "Pacific/Kiritimati", datetime(2026, 3, 1, 9, 0, tzinfo=UTC), date(2026, 3, 2)
    )
    behind = improving_since(
        other_patient,
        "Pacific/Pago_Pago",
        datetime(2026, 3, 1, 9, 0, tzinfo=UTC),
        date(2026, 2, 28),
    )
    time_machine.move_to(NIGHTLY, tick=False)

    run_nightly()

    dates = dict(Review.objects.values_list("patient_id", "computed_on"))
    assert dates == {ahead.pk: date(2026, 3, 21), behind.pk: date(2026, 3, 19)}
