"""The e-mail reminder job: due times across time zones and clock changes, once per day, skips,
mail outages, audit."""

from __future__ import annotations

import io
import re
import threading
import uuid
from datetime import UTC, date, datetime, time
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.db import connections
from django.utils import translation

from backcare.accounts.models import Clinic, User
from backcare.audit.models import AuditEvent
from backcare.library.services import refresh_library
from backcare.logbook.models import ExerciseLog, Session
from backcare.logbook.tests.test_views import form_data
from backcare.patients.models import Patient, RedFlagScreen
from backcare.reminders.delivery import send_reminders
from backcare.reminders.models import ReminderDelivery, ReminderSchedule
from backcare.reminders.tests.conftest import schedule, started
from backcare.testing import log_sessions, logged_in, make_patient, make_programme

LANGUAGES_SEEN: list[str] = []


class LanguageBackend(EmailBackend):
    """The test outbox, noting the language active when each e-mail was sent."""

    def send_messages(self, messages: Any) -> int:
        LANGUAGES_SEEN.append(translation.get_language())
        return super().send_messages(messages)


def at(time_machine: Any, year: int, month: int, day: int, hour: int, minute: int) -> None:
    time_machine.move_to(datetime(year, month, day, hour, minute, tzinfo=UTC), tick=False)


def delivery(patient: Patient) -> ReminderDelivery:
    return ReminderDelivery.objects.get(patient=patient)


@pytest.fixture
def london(patient: Patient) -> Patient:
    """``patient`` exercising on Monday, Wednesday and Friday at 18:00 London time."""
    schedule(patient, {0, 2, 4}, time(18, 0), "Europe/London")
    return patient


def test_it_emails_the_patient_when_their_time_comes(london: Patient, time_machine: Any) -> None:
    at(time_machine, 2026, 1, 14, 18, 10)  # Wednesday, London is on UTC in winter

    report = send_reminders()

    assert report.sent == 1 and len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["pat@example.org"]
    assert "http://127.0.0.1:8000/me/session/" in message.body
    assert "http://127.0.0.1:8000/me/reminders/" in message.body
    sent = delivery(london)
    assert (sent.status, sent.local_date, sent.attempts) == ("sent", date(2026, 1, 14), 1)
    event = AuditEvent.objects.get(action="reminders.email.send")
    assert (event.actor, event.patient_id) == (None, london.pk)


def test_it_names_no_health_matter_in_the_email(london: Patient, time_machine: Any) -> None:
    at(time_machine, 2026, 1, 14, 18, 10)

    send_reminders()

    text = f"{mail.outbox[0].subject}\n{mail.outbox[0].body}".lower()
    for word in ("back", "pain", "physio", "riverside", "stage", "symptom", "programme"):
        assert not re.search(rf"\b{word}\b", text), word


def test_it_sends_once_however_often_it_runs(london: Patient, time_machine: Any) -> None:
    for minute in (5, 20, 35, 50):
        at(time_machine, 2026, 1, 14, 18, minute)
        send_reminders()
    at(time_machine, 2026, 1, 14, 19, 5)
    report = send_reminders()

    assert len(mail.outbox) == 1
    assert report.already == 1 and report.sent == 0


def test_it_waits_for_the_time_and_gives_up_after_two_hours(
    london: Patient, time_machine: Any
) -> None:
    at(time_machine, 2026, 1, 14, 17, 55)
    assert send_reminders().sent == 0
    at(time_machine, 2026, 1, 16, 20, 1)  # Friday's 18:00 is more than two hours ago
    assert send_reminders().sent == 0
    assert mail.outbox == [] and not ReminderDelivery.objects.exists()


def test_it_skips_days_off_the_schedule(london: Patient, time_machine: Any) -> None:
    at(time_machine, 2026, 1, 13, 18, 10)  # Tuesday

    assert send_reminders().sent == 0


def test_it_uses_the_patients_local_day_ahead_of_utc(patient: Patient, time_machine: Any) -> None:
    schedule(patient, {0}, time(7, 0), "Pacific/Auckland")  # Monday 07:00 in Auckland

    at(time_machine, 2026, 1, 18, 18, 5)  # Sunday 18:05 UTC is Monday 07:05 there (UTC+13)
    send_reminders()

    assert len(mail.outbox) == 1 and delivery(patient).local_date == date(2026, 1, 19)


def test_it_follows_the_clock_change_in_new_york(patient: Patient, time_machine: Any) -> None:
    schedule(patient, {4, 0}, time(7, 30), "America/New_York")  # Fridays and Mondays
    # Friday 6 March 2026, before the change: 07:30 EST is 12:30 UTC
    at(time_machine, 2026, 3, 6, 11, 40)
    assert send_reminders().sent == 0
    at(time_machine, 2026, 3, 6, 12, 40)
    assert send_reminders().sent == 1
    # Monday 9 March, after clocks went forward on the 8th: 07:30 EDT is 11:30 UTC
    at(time_machine, 2026, 3, 9, 11, 40)
    assert send_reminders().sent == 1
    at(time_machine, 2026, 3, 9, 12, 40)
    assert send_reminders().sent == 0
    assert list(ReminderDelivery.objects.values_list("local_date", "due_at")) == [
        (date(2026, 3, 9), datetime(2026, 3, 9, 11, 30, tzinfo=UTC)),
        (date(2026, 3, 6), datetime(2026, 3, 6, 12, 30, tzinfo=UTC)),
    ]


def test_it_sends_a_time_skipped_by_the_clock_change_an_hour_later(
    patient: Patient, time_machine: Any
) -> None:
    schedule(patient, {6}, time(1, 30), "Europe/London")  # Sunday 29 March 2026: 01:00 → 02:00
    at(time_machine, 2026, 3, 29, 1, 0)
    assert send_reminders().sent == 0  # 01:00 UTC is 02:00 BST
    at(time_machine, 2026, 3, 29, 1, 35)  # 02:35 BST
    assert send_reminders().sent == 1


def test_it_sends_a_time_repeated_by_the_clock_change_once(
    patient: Patient, time_machine: Any
) -> None:
    schedule(patient, {6}, time(1, 30), "Europe/London")  # Sunday 25 October 2026: 02:00 → 01:00
    for hour, minute in ((0, 35), (1, 5), (1, 35), (2, 5)):  # 01:30 BST is 00:30 UTC
        at(time_machine, 2026, 10, 25, hour, minute)
        send_reminders()
    assert len(mail.outbox) == 1
    assert delivery(patient).due_at == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def skip_no_programme(patient: Patient) -> None:
    patient.programme_set.update(status="superseded")


def skip_red_flag(patient: Patient) -> None:
    RedFlagScreen.objects.create(patient=patient, positive_flags=["fever"], action="same_day")


def skip_done_today(patient: Patient) -> None:
    log_sessions(patient.programme_set.get(), date(2026, 1, 14), 1, 2, 2)


def session_with(patient: Patient, on: date, done: list[bool]) -> Session:
    """A session on ``on`` with each of the programme's items done or skipped, in order."""
    programme = patient.programme_set.get()
    session = Session.objects.create(
        patient=patient,
        programme=programme,
        client_id=uuid.uuid4(),
        body_hash="test",
        performed_on=on,
    )
    ExerciseLog.objects.bulk_create(
        ExerciseLog(session=session, item=item, done=flag)
        for item, flag in zip(programme.items.order_by("position"), done, strict=True)
    )
    return session


def skip_no_email(patient: Patient) -> None:
    User.objects.filter(patient=patient).update(email="")
    Patient.objects.filter(pk=patient.pk).update(email="")


def skip_inactive(patient: Patient) -> None:
    User.objects.filter(patient=patient).update(is_active=False)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (skip_no_programme, "no_programme"),
        (skip_red_flag, "paused"),
        (skip_done_today, "done_today"),
        (skip_no_email, "no_email"),
        (skip_inactive, "inactive_user"),
    ],
)
def test_it_skips_a_patient_who_should_not_be_reminded(
    london: Patient, time_machine: Any, change: Any, reason: str
) -> None:
    change(london)
    at(time_machine, 2026, 1, 14, 18, 10)

    report = send_reminders()

    assert mail.outbox == [] and report.skipped == {reason: 1}
    assert (delivery(london).status, delivery(london).note) == ("skipped", reason)
    assert AuditEvent.objects.get(action="reminders.email.skip").detail["note"] == reason


@pytest.mark.parametrize(
    ("done", "reminded"),
    [([False, False, False], True), ([True, False, False], True), ([True, True, False], False)],
)
def test_it_reminds_unless_the_days_session_counts_as_done(
    london: Patient, time_machine: Any, done: list[bool], reminded: bool
) -> None:
    # the clinic's default: a session counts as done with at least half its exercises done
    session_with(london, date(2026, 1, 14), done)
    at(time_machine, 2026, 1, 14, 18, 10)

    report = send_reminders()

    assert (report.sent, report.skipped) == ((1, {}) if reminded else (0, {"done_today": 1}))


def test_it_reminds_on_a_day_a_session_was_logged_only_the_day_before(
    london: Patient, time_machine: Any
) -> None:
    Session.objects.create(
        patient=london,
        programme=london.programme_set.get(),
        client_id=uuid.uuid4(),
        body_hash="test",
        performed_on=date(2026, 1, 13),
    )
    at(time_machine, 2026, 1, 14, 18, 10)

    assert send_reminders().sent == 1


def test_it_sends_nothing_when_reminders_are_off(patient: Patient, time_machine: Any) -> None:
    schedule(patient, {2}, time(18, 0), "Europe/London", email=False)
    at(time_machine, 2026, 1, 14, 18, 10)

    assert send_reminders().sent == 0 and mail.outbox == []


def test_it_retries_after_a_mail_outage(london: Patient, time_machine: Any, settings: Any) -> None:
    settings.EMAIL_BACKEND = "backcare.testing.BrokenEmailBackend"
    at(time_machine, 2026, 1, 14, 18, 5)

    report = send_reminders()

    assert report.failed == 1 and delivery(london).status == "failed"
    assert "unreachable" in delivery(london).note
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    at(time_machine, 2026, 1, 14, 18, 20)
    assert send_reminders().sent == 1
    assert (delivery(london).status, delivery(london).attempts) == ("sent", 2)
    assert len(mail.outbox) == 1


def test_it_does_not_retry_once_the_moment_has_passed(
    london: Patient, time_machine: Any, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "backcare.testing.BrokenEmailBackend"
    at(time_machine, 2026, 1, 14, 18, 5)
    send_reminders()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    at(time_machine, 2026, 1, 14, 20, 10)

    assert send_reminders().sent == 0 and mail.outbox == []


def test_it_leaves_a_day_another_run_is_sending(london: Patient, time_machine: Any) -> None:
    at(time_machine, 2026, 1, 14, 18, 5)
    ReminderDelivery.objects.create(
        patient=london, local_date=date(2026, 1, 14), due_at=datetime(2026, 1, 14, 18, tzinfo=UTC)
    )

    assert send_reminders().already == 1 and mail.outbox == []


def test_it_carries_on_past_a_broken_schedule(
    london: Patient, other_patient: Patient, time_machine: Any
) -> None:
    schedule(other_patient, {2}, time(18, 0), "Europe/London")
    ReminderSchedule.objects.filter(patient=london).update(weekdays=[9])  # no such weekday
    at(time_machine, 2026, 1, 14, 18, 5)

    report = send_reminders()

    assert (report.sent, report.failed) == (1, 1)
    assert mail.outbox[0].to == ["quinn@example.org"]


def test_it_does_not_send_for_a_time_moved_to_earlier_today(
    patient: Patient, time_machine: Any
) -> None:
    at(time_machine, 2026, 1, 14, 18, 30)
    schedule(patient, {2}, time(18, 0), "Europe/London")  # saved after 18:00

    assert send_reminders().sent == 0


@pytest.mark.parametrize(("language", "expected"), [("es", "es"), ("", "en-gb")])
def test_it_writes_in_the_patients_language(
    london: Patient, time_machine: Any, settings: Any, language: str, expected: str
) -> None:
    settings.EMAIL_BACKEND = "backcare.reminders.tests.test_delivery.LanguageBackend"
    User.objects.filter(patient=london).update(language=language)
    LANGUAGES_SEEN.clear()
    at(time_machine, 2026, 1, 14, 18, 5)

    send_reminders()

    assert [expected] == LANGUAGES_SEEN


def test_it_runs_from_the_command_line(london: Patient, time_machine: Any) -> None:
    at(time_machine, 2026, 1, 14, 18, 5)
    out = io.StringIO()

    call_command("send_reminders", stdout=out)

    assert "1 sent" in out.getvalue() and len(mail.outbox) == 1


class SlowBackend(EmailBackend):
    """The test outbox behind a slow mail server, so two runs overlap while one is sending."""

    def send_messages(self, messages: Any) -> int:
        threading.Event().wait(0.3)
        return super().send_messages(messages)


@pytest.mark.django_db(transaction=True)
def test_it_sends_once_when_two_runs_overlap(settings: Any, time_machine: Any) -> None:
    refresh_library()
    patient = make_patient(Clinic.objects.create(name="Riverside Physio"), "pat")
    make_programme(patient, ["abdominal-bracing", "bridge"])
    schedule(patient, {2}, time(18, 0), "Europe/London")
    settings.EMAIL_BACKEND = "backcare.reminders.tests.test_delivery.SlowBackend"
    now = datetime(2026, 1, 14, 18, 5, tzinfo=UTC)
    reports: list[Any] = []

    def run() -> None:
        try:
            reports.append(send_reminders(now))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(mail.outbox) == 1
    assert sorted((r.sent, r.already) for r in reports) == [(0, 1), (0, 1), (1, 0)]


def test_it_reminds_the_day_after_a_session_logged_on_a_los_angeles_evening(
    patient: Patient, time_machine: Any
) -> None:
    # Tuesday 13 January 17:30 in Los Angeles (UTC-8) is already Wednesday 01:30 in UTC
    started(patient, 30)
    at(time_machine, 2026, 1, 13, 20, 0)
    schedule(patient, set(range(7)), time(18, 0), "America/Los_Angeles")
    at(time_machine, 2026, 1, 14, 1, 30)
    client = logged_in(patient.user)
    day = re.search(r'name="performed_on"[^>]*value="([0-9-]+)"', client.get("/me/").text)
    assert day is not None and day.group(1) == "2026-01-13"
    assert client.post("/me/", form_data(patient, performed_on=day.group(1))).status_code == 302

    at(time_machine, 2026, 1, 14, 2, 10)  # Tuesday 18:10 there: done today
    assert send_reminders().skipped == {"done_today": 1}
    at(time_machine, 2026, 1, 15, 2, 10)  # Wednesday 18:10 there: a new day
    assert send_reminders().sent == 1


def test_a_failure_audit_row_names_the_errors_kind_not_its_message(
    london: Patient, time_machine: Any, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "backcare.testing.BrokenEmailBackend"
    at(time_machine, 2026, 1, 14, 18, 5)
    send_reminders()
    failure = AuditEvent.objects.get(action="reminders.email.fail")
    assert failure.detail["note"] == "ConnectionRefusedError"
    assert "unreachable" not in str(failure.detail)
