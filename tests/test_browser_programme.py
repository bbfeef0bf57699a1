"""Editing a draft programme in a real browser: every button keeps what is on screen."""

from __future__ import annotations

from typing import Any

import pytest

from backcare.accounts.models import User
from backcare.patients.models import Patient
from backcare.testing import browser_log_in

pytestmark = pytest.mark.browser


def test_assign_without_save_assigns_the_dose_on_screen(
    transactional_db: Any, browser_page: Any, clinician: User, patient: Patient
) -> None:
    page = browser_page
    browser_log_in(page, clinician.username)
    page.goto(f"/clinic/patients/{patient.pk}/")
    page.click("button:has-text('Propose a new version')")
    draft = patient.programme_set.get(status="draft")
    first = draft.items.first()
    assert first is not None and first.sets != 4
    page.fill(f"#id_item-{first.pk}-sets", "4")
    page.click("button:has-text('Assign to patient')")  # no "Save changes" first
    page.wait_for_selector("text=assigned to the patient")
    draft.refresh_from_db()
    first.refresh_from_db()
    assert (draft.status, first.sets) == ("active", 4)


def test_a_wrong_dose_stops_the_assignment_and_stays_on_screen(
    transactional_db: Any, browser_page: Any, clinician: User, patient: Patient
) -> None:
    page = browser_page
    browser_log_in(page, clinician.username)
    page.goto(f"/clinic/patients/{patient.pk}/")
    page.click("button:has-text('Propose a new version')")
    draft = patient.programme_set.get(status="draft")
    first = draft.items.first()
    assert first is not None
    page.fill(f"#id_item-{first.pk}-sets", "99")
    page.click("button:has-text('Assign to patient')")
    page.wait_for_selector("text=Nothing was saved or assigned")
    assert page.input_value(f"#id_item-{first.pk}-sets") == "99"
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_discard_drops_the_draft(
    transactional_db: Any, browser_page: Any, clinician: User, patient: Patient
) -> None:
    page = browser_page
    browser_log_in(page, clinician.username)
    page.goto(f"/clinic/patients/{patient.pk}/")
    page.click("button:has-text('Propose a new version')")
    draft = patient.programme_set.get(status="draft")
    page.click("button:has-text('Discard draft')")
    page.wait_for_url(f"**/clinic/patients/{patient.pk}/")
    draft.refresh_from_db()
    assert draft.status == "discarded"
