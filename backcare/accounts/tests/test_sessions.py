"""Session limits: staff out after 15 idle minutes, everyone out at the absolute lifetime."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client

from backcare.accounts.models import User
from backcare.accounts.sessions import LAST_SEEN_AT, LOGIN_AT, NOTICE_GRACE
from backcare.patients.models import Patient
from backcare.testing import PASSWORD, logged_in

CLINIC_PAGE = "/clinic/patients/"
PATIENT_PAGE = "/me/"
KEEP_ALIVE = "/account/session/keep-alive/"
IDLE_NOTICE = "You were signed out after 15 minutes without activity"
LIFETIME_NOTICE = "Your session reached its 8-hour limit"
MONDAY_8AM = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> Iterator[Any]:
    """Server time, stopped at a Monday 08:00 and moved on by each test."""
    with time_machine.travel(MONDAY_8AM, tick=False) as traveller:
        yield traveller


def login_redirect(path: str) -> str:
    return f"/login/?next={path}"


def test_it_keeps_a_clinician_in_after_14_idle_minutes(clock: Any, clinician: User) -> None:
    browser = logged_in(clinician)
    clock.shift(timedelta(minutes=14))

    assert browser.get(CLINIC_PAGE).status_code == 200


def test_it_signs_a_clinician_out_after_16_idle_minutes_and_says_why(
    clock: Any, clinician: User
) -> None:
    browser = logged_in(clinician)
    old_key = browser.session.session_key
    clock.shift(timedelta(minutes=16))

    response = browser.get(CLINIC_PAGE)

    assert response.status_code == 302
    assert response["Location"] == login_redirect(CLINIC_PAGE)
    login_page = browser.get(response["Location"])
    assert IDLE_NOTICE in login_page.text
    assert not Session.objects.filter(session_key=old_key).exists()
    again = browser.get(CLINIC_PAGE)  # anonymous now, and not told twice
    assert again.status_code == 302 and again["Location"] == login_redirect(CLINIC_PAGE)
    assert IDLE_NOTICE not in browser.get(again["Location"]).text


def test_it_applies_the_idle_timeout_to_a_clinic_admin(clock: Any, clinic: Any) -> None:
    admin = User.objects.create_user("ada", "", PASSWORD, role=User.Role.ADMIN, clinic=clinic)
    browser = logged_in(admin)
    clock.shift(timedelta(minutes=16))

    assert browser.get("/clinic/audit/")["Location"] == login_redirect("/clinic/audit/")


def test_it_keeps_a_clinician_active_every_10_minutes_in_for_3_hours(
    clock: Any, clinician: User
) -> None:
    browser = logged_in(clinician)
    for _ in range(18):
        clock.shift(timedelta(minutes=10))
        assert browser.get(CLINIC_PAGE).status_code == 200


def test_it_signs_even_an_active_clinician_out_after_8_hours(clock: Any, clinician: User) -> None:
    browser = logged_in(clinician)
    for _ in range(47):  # 7 h 50 min of work
        clock.shift(timedelta(minutes=10))
        assert browser.get(CLINIC_PAGE).status_code == 200
    clock.shift(timedelta(minutes=10))

    response = browser.get(CLINIC_PAGE)

    assert response["Location"] == login_redirect(CLINIC_PAGE)
    assert LIFETIME_NOTICE in browser.get(response["Location"]).text


def test_the_session_and_its_cookie_end_by_themselves_after_the_limit(
    clock: Any, clinician: User, patient: Patient
) -> None:
    staff = logged_in(clinician)
    assert staff.session.get_expiry_date() == MONDAY_8AM + timedelta(hours=8) + NOTICE_GRACE
    assert staff.get(CLINIC_PAGE).cookies["sessionid"]["max-age"] == (
        8 * 3600 + NOTICE_GRACE.total_seconds()
    )
    mine = logged_in(patient.user)
    assert mine.session.get_expiry_date() == MONDAY_8AM + timedelta(days=30) + NOTICE_GRACE


def test_it_keeps_a_patient_in_after_6_idle_hours(clock: Any, patient: Patient) -> None:
    phone = logged_in(patient.user)
    clock.shift(timedelta(hours=6))

    assert phone.get(PATIENT_PAGE).status_code == 200


def test_it_signs_a_patient_out_after_30_days(clock: Any, patient: Patient) -> None:
    phone = logged_in(patient.user)
    for _ in range(29):
        clock.shift(timedelta(days=1))
        assert phone.get(PATIENT_PAGE).status_code == 200
    clock.shift(timedelta(days=1))

    response = phone.get(PATIENT_PAGE)

    assert response["Location"] == login_redirect(PATIENT_PAGE)
    assert "Your sign-in lasts 30 days and has ended" in phone.get(response["Location"]).text


def test_the_api_answers_an_idle_staff_session_with_a_401_problem(
    clock: Any, clinician: User, patient: Patient
) -> None:
    browser = logged_in(clinician)
    clock.shift(timedelta(minutes=16))

    response = browser.get(f"/api/v1/patients/{patient.pk}/programme")

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "urn:backcare:problem:session-ended"
    assert problem["status"] == 401 and IDLE_NOTICE in problem["detail"]
    assert browser.get(f"/api/v1/patients/{patient.pk}/programme").status_code == 401


def test_keep_alive_restarts_the_idle_clock(clock: Any, clinician: User) -> None:
    browser = logged_in(clinician)
    clock.shift(timedelta(minutes=10))

    assert browser.post(KEEP_ALIVE).status_code == 204
    assert browser.session[LAST_SEEN_AT] == (MONDAY_8AM + timedelta(minutes=10)).timestamp()
    clock.shift(timedelta(minutes=14))  # 24 minutes after the last page, 14 after keep-alive
    assert browser.get(CLINIC_PAGE).status_code == 200


def test_keep_alive_after_the_idle_end_answers_401_and_the_login_page_says_why(
    clock: Any, clinician: User
) -> None:
    browser = logged_in(clinician)
    clock.shift(timedelta(minutes=16))

    response = browser.post(KEEP_ALIVE)

    assert response.status_code == 401
    assert response.json()["type"] == "urn:backcare:problem:session-ended"
    assert IDLE_NOTICE in browser.get("/login/?next=/clinic/patients/").text


def test_keep_alive_is_refused_to_anonymous_visitors_get_requests_and_patients(
    clinician: User, patient: Patient
) -> None:
    assert Client().post(KEEP_ALIVE).status_code == 401
    assert logged_in(clinician).get(KEEP_ALIVE).status_code == 405
    assert logged_in(patient.user).post(KEEP_ALIVE).status_code == 403


def test_keep_alive_needs_the_csrf_token(clinician: User) -> None:
    browser = logged_in(clinician)
    browser.handler.enforce_csrf_checks = True

    assert browser.post(KEEP_ALIVE).status_code == 403


def test_a_session_without_a_login_time_starts_now(clock: Any, clinician: User) -> None:
    browser = logged_in(clinician)
    session = browser.session
    del session[LOGIN_AT], session[LAST_SEEN_AT]
    session.set_expiry(None)  # as a session stored before these limits existed
    session.save()
    clock.shift(timedelta(hours=9))  # past both limits, had the session started at login

    assert browser.get(CLINIC_PAGE).status_code == 200
    assert browser.session[LOGIN_AT] == (MONDAY_8AM + timedelta(hours=9)).timestamp()


def test_the_login_page_itself_ends_an_idle_session_and_shows_the_form(
    clock: Any, clinician: User
) -> None:
    browser = logged_in(clinician)
    clock.shift(timedelta(minutes=16))

    response = browser.get("/login/")

    assert response.status_code == 200
    assert IDLE_NOTICE in response.text
    assert "_auth_user_id" not in browser.session


def test_staff_pages_carry_the_warning_with_timings_from_the_settings(
    clinician: User, patient: Patient
) -> None:
    page = logged_in(clinician).get(CLINIC_PAGE).text

    assert 'id="session-warning"' in page and 'data-idle-s="900"' in page
    assert 'data-warning-s="120"' in page and 'data-report-every-s="60"' in page
    assert "backcare/session.js" in page
    assert "session-warning" not in logged_in(patient.user).get(PATIENT_PAGE).text
