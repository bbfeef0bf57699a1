"""The whole loop in a real browser (Debian's chromium through Playwright).

A clinician logs in, adds a patient, sees a red flag block the programme, clears it with a clean
re-screen, assigns the proposed programme and invites the patient; the patient accepts the
invitation, sees today's routine with its pictures and logs a session.
"""

from __future__ import annotations

from typing import Any

import pytest

from backcare.accounts.models import Clinic, User
from backcare.core.screening import RED_FLAGS
from backcare.library.services import refresh_library
from backcare.logbook.models import ExerciseLog, Session
from backcare.patients.models import Patient
from backcare.testing import PASSWORD, browser_log_in, open_menu

pytestmark = pytest.mark.browser


def answer_screen(page: Any, yes: tuple[str, ...] = ()) -> None:
    for flag in RED_FLAGS:
        value = "yes" if flag.key in yes else "no"
        page.check(f'input[name="screen-flag_{flag.key}"][value="{value}"]')


def test_it_walks_the_whole_loop(
    transactional_db: Any, browser_page: Any, live_server: Any, settings: Any
) -> None:
    page = browser_page
    settings.BASE_URL = live_server.url
    refresh_library()
    clinic = Clinic.objects.create(name="Riverside Physio")
    User.objects.create_user(
        "alice", "a@riverside.example", PASSWORD, role="clinician", clinic=clinic
    )

    browser_log_in(page, "alice")
    page.click("text=New patient")

    page.fill("#id_intake-first_name", "Robin")
    page.fill("#id_intake-last_name", "Reed")
    page.fill("#id_intake-email", "robin@example.org")
    page.fill("#id_intake-baseline_pain_0_10", "6")
    page.select_option("#id_intake-stage", "initial")
    page.select_option("#id_intake-risk_group", "medium")
    page.check('input[name="intake-equipment"][value="wall"]')
    page.check('input[name="intake-excluded_positions"][value="prone"]')
    answer_screen(page, yes=("saddle_numbness",))
    page.click("button:has-text('Save and screen')")

    alert = page.locator("[role=alert]", has_text="Red flag")
    assert "emergency department now" in alert.inner_text()
    assert page.locator("text=Propose a programme").count() == 0

    page.click("text=Re-screen")
    answer_screen(page)
    page.fill("#id_screen-note", "Seen in ED: no cauda equina; safe to exercise.")
    page.click("button:has-text('Save screen')")
    page.click("button:has-text('Propose a programme')")

    assert page.locator("h1", has_text="Programme version 1").count() == 1
    assert page.locator("tbody tr").count() >= 5
    page.click("button:has-text('Assign to patient')")
    page.wait_for_selector("text=Version 1 assigned")

    page.click("button:has-text('Invite patient')")
    link = page.get_attribute("#invitation-link", "href")
    assert link is not None
    open_menu(page)
    page.click("button:has-text('Log out')")

    page.goto(link)
    page.fill("#id_username", "robin")
    page.fill("#id_new_password1", "a long pass phrase")
    page.fill("#id_new_password2", "a long pass phrase")
    page.click("button:has-text('Open my programme')")

    page.wait_for_url("**/me/")
    patient = Patient.objects.get(last_name="Reed")
    programme = patient.programme_set.get(status="active")
    items = list(programme.items.select_related("exercise"))
    assert page.locator(".figure svg").count() >= len(items)
    for item in items:
        assert page.locator("h2", has_text=item.exercise.name).count() >= 1

    log_session_in_browser(page, items)
    page.wait_for_selector("text=Session logged")
    session = Session.objects.get(patient=patient)
    assert ExerciseLog.objects.filter(session=session).count() == len(items)
    assert ExerciseLog.objects.filter(session=session, done=True).count() == len(items) - 1


def log_session_in_browser(page: Any, items: list[Any]) -> None:
    """Open each exercise's log form and mark it done with pain 3 and effort 5, except the last
    one skipped."""
    for item in items:
        page.click(f"#item-{item.pk} .log-it > summary")
    for item in items[:-1]:
        page.check(f'input[name="item-{item.pk}-status"][value="done"]')
        page.fill(f"#id_item-{item.pk}-pain_during_0_10", "3")
        page.fill(f"#id_item-{item.pk}-effort_0_10", "5")
    page.check(f'input[name="item-{items[-1].pk}-status"][value="skipped"]')
    page.click("button:has-text('Save this session')")
