"""Editing a draft programme in a real browser: every button keeps what is on screen."""

from __future__ import annotations

from typing import Any

import pytest

from backcare.accounts.models import User
from backcare.patients.models import Patient
from backcare.programmes.models import Programme, ProgrammeItem
from backcare.testing import browser_log_in

pytestmark = pytest.mark.browser


def open_a_draft(page: Any, clinician: User, patient: Patient) -> tuple[Programme, ProgrammeItem]:
    """The clinician proposes a new version and lands on its edit form; its first item."""
    browser_log_in(page, clinician.username)
    page.goto(f"/clinic/patients/{patient.pk}/")
    page.click("button:has-text('Propose a new version')")
    draft = patient.programme_set.get(status="draft")
    first = draft.items.first()
    assert first is not None
    return draft, first


def test_assign_without_save_assigns_the_dose_on_screen(
    transactional_db: Any, browser_page: Any, clinician: User, patient: Patient
) -> None:
    draft, first = open_a_draft(browser_page, clinician, patient)
    assert first.sets != 4
    browser_page.fill(f"#id_item-{first.pk}-sets", "4")
    browser_page.click("button:has-text('Assign to patient')")  # no "Save changes" first
    browser_page.wait_for_selector("text=assigned to the patient")
    draft.refresh_from_db()
    first.refresh_from_db()
    assert (draft.status, first.sets) == ("active", 4)


def test_a_wrong_dose_stops_the_assignment_and_stays_on_screen(
    transactional_db: Any, browser_page: Any, clinician: User, patient: Patient
) -> None:
    draft, first = open_a_draft(browser_page, clinician, patient)
    browser_page.fill(f"#id_item-{first.pk}-sets", "99")
    browser_page.click("button:has-text('Assign to patient')")
    browser_page.wait_for_selector("text=Nothing was saved or assigned")
    assert browser_page.input_value(f"#id_item-{first.pk}-sets") == "99"
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_discard_drops_the_draft(
    transactional_db: Any, browser_page: Any, clinician: User, patient: Patient
) -> None:
    draft, _first = open_a_draft(browser_page, clinician, patient)
    browser_page.click("button:has-text('Discard draft')")
    browser_page.wait_for_url(f"**/clinic/patients/{patient.pk}/")
    draft.refresh_from_db()
    assert draft.status == "discarded"
