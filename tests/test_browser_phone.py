"""The phone layout (issue 11, item 16) in a real browser at 390 × 844 px.

Before this layout, at 390 px the navigation wrapped to four rows (185 px, 246 px with the demo
banner), the guided session's "Count a rep" ended at 894 px, below an 844 px screen, and Today
was 8,406 px tall for six exercises (1,300–1,400 px each) because every exercise carried its
steps and its open log form. Now the navigation is one row with a "Menu" button (a ``<details>``:
no script needed), and each exercise on Today is a card whose log form opens on demand.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from backcare.accounts.models import Clinic, User
from backcare.library.services import refresh_library
from backcare.logbook.models import ExerciseLog, Session
from backcare.patients.models import Patient
from backcare.programmes.models import ProgrammeItem
from backcare.testing import PASSWORD, browser_log_in, make_patient, make_programme

pytestmark = pytest.mark.browser

SCREEN_PX = 844  # the test viewport's height (390 × 844, a common phone)
NAV_MAX_PX = 120
"""The header's ceiling at 390 px: one row of 44 px touch targets (WCAG 2.5.5) plus padding is
about 70 px; 120 px leaves room for a label that wraps, in a longer language, and stays under a
seventh of the screen. It was 185 px."""

INITIAL_STAGE = [
    "ankle-pumps",
    "pelvic-tilt",
    "seated-march",
    "diaphragmatic-breathing",
    "heel-raises",
    "knee-to-chest-stretch",
]
"""The demo's initial-stage programme (demo-dana), where the layout problem was seen."""

REPS_FIRST = ["ankle-pumps", "heel-raises", "sit-to-stand", "bird-dog", "wall-squat", "step-up"]
"""Exercises counted in reps, lying, kneeling and standing: the figures above the counter differ
in height, so "Count a rep" sits lower for some."""

PATIENT_LINKS = ["Today", "History", "Progress", "Questionnaires", "Reminders", "Account"]
CLINICIAN_LINKS = ["Patients", "Reviews", "Exercises", "Instruments", "Clinic rules", "Account"]


@pytest.fixture
def clinic(transactional_db: Any) -> Clinic:
    refresh_library()
    clinic = Clinic.objects.create(name="Riverside Physio", phone="01234 567890")
    User.objects.create_user(
        "alice", "a@riverside.example", PASSWORD, role="clinician", clinic=clinic
    )
    return clinic


@pytest.fixture
def patient(clinic: Clinic) -> Patient:
    patient = make_patient(clinic, "pat")
    make_programme(patient, INITIAL_STAGE)
    return patient


def header_height(page: Any) -> float:
    height: float = page.evaluate("document.querySelector('header.top').offsetHeight")
    return height


def document_bottom(page: Any, selector: str) -> float:
    """Where ``selector`` ends, measured from the top of the page (not of the scrolled view)."""
    bottom: float = page.evaluate(
        "(s) => document.querySelector(s).getBoundingClientRect().bottom + window.scrollY",
        selector,
    )
    return bottom


def cards(page: Any) -> Iterator[Any]:
    for index in range(page.locator("section.exercise").count()):
        yield page.locator("section.exercise").nth(index)


@pytest.mark.parametrize(
    ("username", "start", "links"),
    [("pat", "**/me/", PATIENT_LINKS), ("alice", "**/clinic/patients/", CLINICIAN_LINKS)],
)
def test_it_keeps_the_navigation_to_one_short_row_on_a_phone(
    patient: Patient, browser_page: Any, username: str, start: str, links: list[str]
) -> None:
    page = browser_page
    browser_log_in(page, username)
    page.wait_for_url(start)
    assert header_height(page) <= NAV_MAX_PX
    nav = page.get_by_role("navigation", name="Main")
    assert not nav.get_by_role("link", name=links[0], exact=True).is_visible()
    nav.get_by_text("Menu", exact=True).click()
    for name in links:
        assert nav.get_by_role("link", name=name, exact=True).is_visible(), name
    assert nav.get_by_role("button", name="Log out").is_visible()


def test_it_keeps_the_safety_links_outside_the_menu(patient: Patient, browser_page: Any) -> None:
    page = browser_page
    browser_log_in(page, "pat")
    nav = page.get_by_role("navigation", name="Main")
    assert nav.get_by_role("link", name="I have a new symptom").is_visible()
    page.context.clear_cookies()
    browser_log_in(page, "alice")
    page.wait_for_url("**/clinic/patients/")
    assert nav.get_by_role("link", name="Alerts").is_visible()


def test_it_opens_the_menu_from_the_keyboard(patient: Patient, browser_page: Any) -> None:
    page = browser_page
    browser_log_in(page, "pat")
    menu = page.get_by_role("navigation", name="Main").locator("summary")
    menu.focus()
    page.keyboard.press("Enter")
    assert menu.get_attribute("aria-expanded") is None  # <details> states it by itself
    assert page.evaluate("document.querySelector('nav details').open")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Today"


@pytest.mark.parametrize(
    ("username", "start", "links"),
    [("pat", "**/me/", PATIENT_LINKS), ("alice", "**/clinic/patients/", CLINICIAN_LINKS)],
)
def test_it_shows_the_whole_navigation_on_a_desktop(
    patient: Patient, browser_page: Any, username: str, start: str, links: list[str]
) -> None:
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 768})
    browser_log_in(page, username)
    page.wait_for_url(start)
    nav = page.get_by_role("navigation", name="Main")
    assert not nav.get_by_text("Menu", exact=True).is_visible()
    for name in links:
        assert nav.get_by_role("link", name=name, exact=True).is_visible(), name
    assert nav.get_by_role("button", name="Log out").is_visible()
    assert header_height(page) <= 80  # one row, as before


def test_it_shows_count_a_rep_within_the_first_screen_of_the_guided_session(
    clinic: Clinic, browser_page: Any
) -> None:
    """Measured with the demo banner, the tallest header a patient can have."""
    Clinic.objects.filter(pk=clinic.pk).update(is_demo=True)
    make_programme(make_patient(clinic, "pat"), REPS_FIRST)
    page = browser_page
    browser_log_in(page, "pat")
    page.goto("/me/session/")
    for slug in REPS_FIRST:
        page.wait_for_selector("#player-count:visible")
        bottom = document_bottom(page, "#player-count")
        assert bottom <= SCREEN_PX, f"{slug}: Count a rep ends at {bottom} px"
        page.click("#player-next")


def test_it_fits_each_exercise_of_today_in_a_screen_with_its_form_closed(
    patient: Patient, browser_page: Any
) -> None:
    page = browser_page
    browser_log_in(page, "pat")
    heights = [card.bounding_box()["height"] for card in cards(page)]
    assert len(heights) == len(INITIAL_STAGE)
    assert max(heights) <= SCREEN_PX - NAV_MAX_PX, heights
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height / len(heights) <= SCREEN_PX
    for card in cards(page):
        assert card.locator(".figure svg").first.is_visible()
        assert card.get_by_text("Log it").is_visible()
        assert not card.locator("fieldset").is_visible()


def test_it_logs_an_exercise_from_its_card(patient: Patient, browser_page: Any) -> None:
    page = browser_page
    browser_log_in(page, "pat")
    items = list(ProgrammeItem.objects.filter(programme__patient=patient).order_by("position"))
    first = page.locator(f"#item-{items[0].pk}")
    first.get_by_text("Log it").click()
    first.get_by_label("Done", exact=True).check()
    first.get_by_label("Pain during (0–10)").fill("2")
    assert first.locator(".log-it > summary").inner_text().startswith("Done")
    for item in items[1:]:
        card = page.locator(f"#item-{item.pk}")
        card.get_by_text("Log it").click()
        card.get_by_label("Skipped", exact=True).check()
    page.click("button:has-text('Save this session')")
    page.wait_for_selector("text=Session logged")
    log = ExerciseLog.objects.get(session__patient=patient, item=items[0])
    assert (log.done, log.pain_during_0_10) == (True, 2)
    assert "Done today" in first.inner_text()
    assert not first.locator("fieldset").is_visible()
    assert "Done today" not in page.locator(f"#item-{items[1].pk}").inner_text()


def test_it_opens_the_forms_whose_answers_need_checking(
    patient: Patient, browser_page: Any
) -> None:
    page = browser_page
    browser_log_in(page, "pat")
    items = list(ProgrammeItem.objects.filter(programme__patient=patient).order_by("position"))
    first = page.locator(f"#item-{items[0].pk}")
    first.get_by_text("Log it").click()
    first.get_by_label("Done", exact=True).check()
    page.click("button:has-text('Save this session')")
    page.wait_for_load_state()
    assert Session.objects.count() == 0
    for item in items[1:]:
        card = page.locator(f"#item-{item.pk}")
        assert card.get_by_text("Choose done or skipped.").is_visible()
    assert first.get_by_label("Done", exact=True).is_checked()  # kept, behind its summary
    assert first.locator(".log-it > summary").inner_text().startswith("Done")


def test_it_logs_a_session_and_opens_the_menu_without_javascript(
    patient: Patient, browser_page: Any, live_server: Any
) -> None:
    context = browser_page.context.browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, java_script_enabled=False
    )
    page = context.new_page()
    browser_log_in(page, "pat")
    for card in cards(page):
        card.get_by_text("Log it").click()
        card.get_by_label("Done", exact=True).check()
    page.click("button:has-text('Save this session')")
    page.wait_for_selector("text=Session logged")
    assert ExerciseLog.objects.filter(done=True).count() == len(INITIAL_STAGE)
    page.get_by_text("Menu", exact=True).click()
    page.get_by_role("link", name="History").click()
    page.wait_for_url("**/me/history/")
    context.close()
