"""The staff idle warning in a real browser: it appears, "Stay signed in" keeps the session, and
without it the page ends on the login page saying why.

The timings come from the settings (data- attributes written by the server), so the test
shortens the 15-minute timeout to seconds instead of waiting. The clinician's session is made
on the server (``logged_in``, both sign-in steps passed) and its cookie given to the browser.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.sessions.backends.db import SessionStore

from backcare.accounts.models import Clinic, User
from backcare.accounts.sessions import LAST_SEEN_AT
from backcare.testing import PASSWORD, logged_in
from tests.test_browser_a11y import axe_source, axe_violations, describe

pytestmark = pytest.mark.browser
__all__ = ["axe_source"]  # the fixture, used by name below

CLINIC_PAGE = "/clinic/patients/"


@pytest.fixture
def clinician_session(transactional_db: Any, settings: Any) -> str:
    """A signed-in clinician with an idle timeout of 10 s, warned 7 s before the end."""
    settings.BACKCARE_STAFF_IDLE_TIMEOUT = timedelta(seconds=10)
    settings.BACKCARE_IDLE_WARNING = timedelta(seconds=7)
    clinic = Clinic.objects.create(name="Riverside Physio")
    alice = User.objects.create_user("alice", "a@x.org", PASSWORD, role="clinician", clinic=clinic)
    key: str = logged_in(alice).cookies["sessionid"].value
    return key


def give_cookie(page: Any, live_server: Any, session_key: str) -> None:
    page.context.add_cookies([{"name": "sessionid", "value": session_key, "url": live_server.url}])


def last_seen(session_key: str) -> float:
    seen: float = SessionStore(session_key)[LAST_SEEN_AT]
    return seen


def test_stay_signed_in_keeps_the_session(
    clinician_session: str, browser_page: Any, live_server: Any, axe_source: str
) -> None:
    page = browser_page
    give_cookie(page, live_server, clinician_session)
    page.goto(CLINIC_PAGE)
    warning = page.locator("#session-warning")
    assert warning.is_hidden()
    seen_at_load = last_seen(clinician_session)

    warning.wait_for(state="visible")
    assert "You will soon be signed out" in page.get_by_role("alert").inner_text()
    assert describe({"idle warning": axe_violations(page, axe_source)}) == ""
    page.get_by_role("button", name="Stay signed in").click()
    warning.wait_for(state="hidden")

    assert last_seen(clinician_session) > seen_at_load
    assert page.url.endswith(CLINIC_PAGE)


def test_without_an_answer_the_page_ends_on_the_login_page_saying_why(
    clinician_session: str, browser_page: Any, live_server: Any
) -> None:
    page = browser_page
    give_cookie(page, live_server, clinician_session)
    page.goto(CLINIC_PAGE)

    page.wait_for_url("**/login/?next=/clinic/patients/", timeout=30_000)

    notice = "You were signed out after 1 minute without activity, to protect patients' data"
    assert notice in page.inner_text("main")
    assert not SessionStore().exists(clinician_session)


def test_typing_in_the_page_counts_as_activity(
    clinician_session: str, browser_page: Any, live_server: Any, settings: Any
) -> None:
    settings.BACKCARE_ACTIVITY_REPORT_INTERVAL = timedelta(seconds=2)
    page = browser_page
    give_cookie(page, live_server, clinician_session)
    page.goto(CLINIC_PAGE)
    seen_at_load = last_seen(clinician_session)
    page.wait_for_timeout(2_500)  # past the report interval, still before the warning

    with page.expect_response("**/account/session/keep-alive/") as answer:
        page.keyboard.type("note")

    assert answer.value.status == 204
    assert last_seen(clinician_session) > seen_at_load
