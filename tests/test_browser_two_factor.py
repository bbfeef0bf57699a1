"""A clinician sets up two-factor sign-in in a real browser, then signs in with a recovery code.

The key is read off the set-up page as a person would type it into an app without a camera, and
the code computed from it; each page on the way is checked with axe-core.
"""

from __future__ import annotations

import time
from base64 import b32decode
from typing import Any

import pytest
from django_otp.oath import TOTP

from backcare.accounts.models import Clinic, User
from backcare.testing import PASSWORD, authenticator_for_tests, browser_log_in, open_menu
from tests.test_browser_a11y import axe_source, axe_violations, describe

pytestmark = pytest.mark.browser
__all__ = ["axe_source"]  # the fixture, used by name below


def code_for(key: str) -> str:
    totp = TOTP(b32decode(key.replace(" ", "")))
    totp.time = time.time()
    return f"{totp.token():06d}"


def test_a_clinician_sets_up_an_app_and_later_signs_in_with_a_recovery_code(
    transactional_db: Any, browser_page: Any, axe_source: str
) -> None:
    clinic = Clinic.objects.create(name="Riverside Physio")
    User.objects.create_user("alice", "a@x.org", PASSWORD, role="clinician", clinic=clinic)
    page, found = browser_page, {}

    page.goto("/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/account/two-factor/setup/**")
    assert page.locator(".qr-code svg").is_visible()
    assert page.locator("nav a:has-text('Patients')").count() == 0
    found["set-up"] = axe_violations(page, axe_source)

    page.fill("#id_code", code_for(page.inner_text(".secret-key")))
    page.click("button:has-text('Confirm')")
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    found["recovery codes"] = axe_violations(page, axe_source)
    page.click("text=I have saved my codes")
    page.wait_for_url("**/clinic/patients/")

    open_menu(page)
    page.click("button:has-text('Log out')")
    page.goto("/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/account/two-factor/verify/**")
    found["second step"] = axe_violations(page, axe_source)
    page.fill("#id_code", codes[3])
    page.click("button:has-text('Continue')")
    page.wait_for_url("**/clinic/patients/")
    assert "9 are left" in page.inner_text(".messages")

    open_menu(page)
    page.click("nav a:has-text('Account')")
    assert "You have 9 unused recovery codes" in page.inner_text("main")
    found["account"] = axe_violations(page, axe_source)
    assert not any(found.values()), "axe-core found violations:\n" + describe(found)


def test_the_admins_staff_page_resets_a_colleague_and_passes_axe(
    transactional_db: Any, browser_page: Any, axe_source: str
) -> None:
    clinic = Clinic.objects.create(name="Riverside Physio")
    alice = User.objects.create_user("alice", "", PASSWORD, role="clinician", clinic=clinic)
    User.objects.create_user("ada", "", PASSWORD, role="admin", clinic=clinic)
    authenticator_for_tests(alice)
    page = browser_page
    browser_log_in(page, "ada")
    open_menu(page)
    page.click("nav a:has-text('Staff')")
    row = page.locator("tr", has_text="alice")
    assert "app set up" in row.inner_text()
    found = {"staff": axe_violations(page, axe_source)}
    row.locator("button:has-text('Reset two-factor')").click()
    assert "Two-factor sign-in reset for alice" in page.inner_text(".messages")
    assert "not set up yet" in page.locator("tr", has_text="alice").inner_text()
    assert not any(found.values()), "axe-core found violations:\n" + describe(found)
