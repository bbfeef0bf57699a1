"""Issue 3 in a real browser: a progress proposal approved into the next stage, and a red flag
reported at a weekly check-in stopping the programme and alerting the clinician."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from backcare.accounts.models import Clinic, User
from backcare.checkins.forms import QUESTIONS
from backcare.library.services import refresh_library
from backcare.patients.models import Patient
from backcare.programmes.models import Programme
from backcare.reviews.services import run_nightly
from backcare.testing import (
    PASSWORD,
    browser_log_in,
    log_sessions,
    make_patient,
    make_programme,
    open_menu,
)

pytestmark = pytest.mark.browser


def log_out(page: Any) -> None:
    open_menu(page)
    page.click("button:has-text('Log out')")


@pytest.fixture
def improving_patient(transactional_db: Any) -> Patient:
    """Three weeks in the initial stage, logging six days a week, pain easing from 5 to 2."""
    refresh_library()
    clinic = Clinic.objects.create(name="Riverside Physio")
    User.objects.create_user("alice", "a@x.org", PASSWORD, role="clinician", clinic=clinic)
    patient = make_patient(clinic, "pat", equipment=["wall", "chair"])
    programme = make_programme(patient, ["abdominal-bracing", "pelvic-tilt", "heel-raises"])
    today = timezone.localdate()
    started = timezone.now() - timedelta(days=21)
    Programme.objects.filter(pk=programme.pk).update(assigned_at=started)
    log_sessions(programme, today - timedelta(days=20), 20, 5, 2)
    return patient


def test_it_moves_an_improving_patient_to_the_next_stage_once_approved(
    improving_patient: Patient, browser_page: Any
) -> None:
    page = browser_page
    assert run_nightly().reviews_created == 1

    browser_log_in(page, "alice")
    open_menu(page)
    page.click("nav >> text=Reviews")
    page.click(f"text={improving_patient.full_name}")
    assert page.locator("h1", has_text="Progress to the intermediate stage").count() == 1
    assert page.locator("table.reasons tr.status-met").count() >= 5
    page.click("button:has-text('Approve and draft the intermediate programme')")
    page.wait_for_selector("h1:has-text('Programme version 2')")
    page.click("button:has-text('Assign to patient')")
    page.wait_for_selector("text=Version 2 assigned")
    log_out(page)

    browser_log_in(page, "pat")
    page.wait_for_url("**/me/")
    assert "Intermediate stage" in page.inner_text("main")


def test_it_stops_the_programme_when_a_check_in_reports_saddle_numbness(
    improving_patient: Patient, browser_page: Any
) -> None:
    page = browser_page
    browser_log_in(page, "pat")
    page.click("text=Answer this week's check-in")
    for name in QUESTIONS:
        page.check(f'input[name="{name}"][value="2"]')
    page.check('input[name="redflag-flags"][value="saddle_numbness"]')
    page.click("button:has-text('Save my check-in')")

    advice = page.locator("[role=alert]")
    assert "emergency department now" in advice.inner_text()
    page.goto("/me/")
    assert "Stop your exercises" in page.inner_text("main")
    log_out(page)

    browser_log_in(page, "alice")
    page.click("nav >> text=Alerts")
    row = page.locator("tr", has_text=improving_patient.full_name)
    assert "Red flag" in row.inner_text()
    assert "emergency now" in row.inner_text()
