"""Login throttling (django-axes): 5 failures per username and address (an IPv6 address counts
as its /64), then 15 minutes' wait; 100 failures per username from anywhere, then a password
reset."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.management import call_command
from django.test import Client, RequestFactory, override_settings

from backcare.accounts.addresses import counted_as
from backcare.accounts.ceiling import FAILURE_CEILING
from backcare.accounts.models import User
from backcare.patients.models import Patient
from backcare.rights.services import erase_patient
from backcare.testing import PASSWORD

ROOT = Path(__file__).resolve().parents[3]
HOME = "198.51.100.10"  # documentation addresses (RFC 5737)
CAFE = "198.51.100.20"
WRONG = "not-the-password-42"
INVALID_LOGIN = "Please enter a correct username and password"  # Django's login form error
LOCKED = "Too many failed attempts"


def attempt(client: Client, username: str, password: str, **meta: str) -> Any:
    """One post of the login form; ``meta`` sets e.g. the address (REMOTE_ADDR)."""
    form = {"username": username, "password": password}
    return client.post("/login/", form, **({"REMOTE_ADDR": HOME} | meta))  # type: ignore[arg-type]


def fail(client: Client, username: str, times: int, **meta: str) -> list[int]:
    """``times`` wrong passwords; the status of each answer."""
    return [attempt(client, username, WRONG, **meta).status_code for _ in range(times)]


def test_it_locks_a_username_and_address_after_five_failures(patient: Patient) -> None:
    client = Client()
    username = patient.user.username  # type: ignore[union-attr]

    assert fail(client, username, 5) == [200, 200, 200, 200, 429]
    response = attempt(client, username, PASSWORD)

    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    assert LOCKED in response.text and INVALID_LOGIN not in response.text
    assert "15 minutes" in response.text
    assert 'href="/password/reset/"' in response.text  # resetting the password still works


def test_a_locked_out_attempt_with_the_right_password_starts_no_session(patient: Patient) -> None:
    client = Client()
    username = patient.user.username  # type: ignore[union-attr]
    fail(client, username, 5)

    assert attempt(client, username, PASSWORD).status_code == 429
    assert "sessionid" not in client.cookies
    assert not Session.objects.exists()


def test_the_lockout_is_kept_on_the_server_not_in_the_browser(patient: Patient) -> None:
    username = patient.user.username  # type: ignore[union-attr]
    fail(Client(), username, 5)

    assert attempt(Client(), username, PASSWORD).status_code == 429


def test_another_address_for_the_same_username_is_not_locked(patient: Patient) -> None:
    username = patient.user.username  # type: ignore[union-attr]
    fail(Client(), username, 5, REMOTE_ADDR=HOME)

    assert attempt(Client(), username, PASSWORD, REMOTE_ADDR=CAFE).status_code == 302


def test_the_same_address_for_another_username_is_not_locked(
    patient: Patient, other_patient: Patient
) -> None:
    fail(Client(), patient.user.username, 5)  # type: ignore[union-attr]

    other = other_patient.user.username  # type: ignore[union-attr]
    assert attempt(Client(), other, PASSWORD).status_code == 302


def test_after_the_cool_off_the_right_password_works_and_the_count_restarts(
    patient: Patient, time_machine: Any
) -> None:
    time_machine.move_to("2026-03-02 09:00:00+00:00", tick=False)
    username = patient.user.username  # type: ignore[union-attr]
    fail(Client(), username, 5)

    time_machine.move_to("2026-03-02 09:14:59+00:00", tick=False)
    assert attempt(Client(), username, PASSWORD).status_code == 429  # restarts the 15 minutes
    time_machine.move_to("2026-03-02 09:29:58+00:00", tick=False)
    assert attempt(Client(), username, PASSWORD).status_code == 429
    time_machine.move_to("2026-03-02 09:45:00+00:00", tick=False)
    assert attempt(Client(), username, PASSWORD).status_code == 302

    assert not AccessAttempt.objects.exists()
    assert fail(Client(), username, 4) == [200, 200, 200, 200]


def test_a_success_before_the_limit_resets_the_count(patient: Patient) -> None:
    username = patient.user.username  # type: ignore[union-attr]
    fail(Client(), username, 4)

    assert attempt(Client(), username, PASSWORD).status_code == 302
    assert fail(Client(), username, 4) == [200, 200, 200, 200]


def without_tokens(page: str) -> str:
    return re.sub(r'value="[^"]*"', 'value=""', page)


def test_the_locked_page_is_the_same_for_an_existing_and_a_missing_username(
    patient: Patient,
) -> None:
    """No account enumeration (OWASP Authentication Cheat Sheet, "Authentication Responses")."""
    existing = patient.user.username  # type: ignore[union-attr]
    fail(Client(), existing, 5, REMOTE_ADDR=HOME)
    fail(Client(), "nobody-by-this-name", 5, REMOTE_ADDR=CAFE)

    known = attempt(Client(), existing, PASSWORD, REMOTE_ADDR=HOME)
    unknown = attempt(Client(), "nobody-by-this-name", PASSWORD, REMOTE_ADDR=CAFE)

    assert known.status_code == unknown.status_code == 429
    assert without_tokens(known.text) == without_tokens(unknown.text)
    assert existing not in known.text


def test_an_attempt_row_keeps_no_password_token_or_login_record(patient: Patient) -> None:
    client = Client()
    username = patient.user.username  # type: ignore[union-attr]
    client.get("/login/")
    token = client.cookies["csrftoken"].value
    client.post(
        "/login/",
        {"username": username, "password": WRONG, "csrfmiddlewaretoken": token},
        REMOTE_ADDR=HOME,
    )
    assert attempt(Client(), username, PASSWORD).status_code == 302

    assert not AccessLog.objects.exists()  # successful logins are not kept
    assert not AccessAttempt.objects.exists()  # and the success cleared the failure

    client.post(
        "/login/",
        {"username": username, "password": WRONG, "csrfmiddlewaretoken": token},
        REMOTE_ADDR=HOME,
    )
    row = AccessAttempt.objects.values().get()
    stored = " ".join(str(value) for value in row.values())
    assert WRONG not in stored and token not in stored
    assert (row["username"], row["ip_address"], row["failures_since_start"]) == (username, HOME, 1)


def test_a_client_sent_forwarded_for_header_is_ignored_without_a_proxy(patient: Patient) -> None:
    username = patient.user.username  # type: ignore[union-attr]
    statuses = [
        attempt(Client(), username, WRONG, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(5)
    ]

    assert statuses == [200, 200, 200, 200, 429]
    assert AccessAttempt.objects.get().ip_address == HOME


@pytest.fixture(scope="module")
def proxy_settings() -> dict[str, Any]:
    """The client-address settings as `BACKCARE_BEHIND_PROXY=on` configures them."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("BACKCARE_")}
    environ |= {"BACKCARE_BEHIND_PROXY": "on", "DJANGO_SETTINGS_MODULE": "backcare.settings"}
    names = ["AXES_IPWARE_META_PRECEDENCE_ORDER", "AXES_IPWARE_PROXY_COUNT", "IPWARE_STRICT"]
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {names!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=environ,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    return dict(json.loads(result.stdout))


def test_behind_the_proxy_the_forwarded_address_is_counted(
    patient: Patient, proxy_settings: dict[str, Any]
) -> None:
    """The proxy connects from the loopback and appends the client's address to the header;
    a client's own (forged) entries come before it and change nothing."""
    username = patient.user.username  # type: ignore[union-attr]

    def via_proxy(password: str, forwarded_for: str) -> int:
        meta = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": forwarded_for}
        return int(attempt(Client(), username, password, **meta).status_code)

    with override_settings(**proxy_settings):
        statuses = [via_proxy(WRONG, f"10.0.0.{n}, 203.0.113.7") for n in range(4)]
        statuses.append(via_proxy(WRONG, "203.0.113.7"))
        elsewhere = via_proxy(PASSWORD, "203.0.113.8")
        locked = via_proxy(PASSWORD, "203.0.113.7")

    assert statuses == [200, 200, 200, 200, 429]
    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"
    assert (elsewhere, locked) == (302, 429)


def test_an_admin_command_lifts_a_lockout(patient: Patient) -> None:
    username = patient.user.username  # type: ignore[union-attr]
    fail(Client(), username, 5)

    call_command("axes_reset_username", username, verbosity=0)

    assert attempt(Client(), username, PASSWORD).status_code == 302


def test_the_locked_page_works_in_spanish(patient: Patient) -> None:
    username = patient.user.username  # type: ignore[union-attr]
    fail(Client(), username, 5)

    response = attempt(Client(), username, PASSWORD, HTTP_ACCEPT_LANGUAGE="es")

    assert response.status_code == 429
    assert '<html lang="es"' in response.text


# An IPv6 address counts as its /64 network (backcare/accounts/addresses.py).


@pytest.mark.parametrize(
    ("address", "counted"),
    [
        ("198.51.100.10", "198.51.100.10"),  # IPv4 as is
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::"),
        ("2001:0DB8:0001:0002:ffff:ffff:ffff:ffff", "2001:db8:1:2::"),
        ("2001:db8:1:3::1", "2001:db8:1:3::"),
        ("::ffff:198.51.100.10", "198.51.100.10"),  # IPv4-mapped IPv6 is the IPv4 client
        ("fe80::1%eth0", "fe80::"),
    ],
)
def test_an_address_is_counted_by_its_ipv6_64_or_as_ipv4(address: str, counted: str) -> None:
    assert counted_as(address) == counted


def test_axes_and_the_wrong_link_limit_get_the_grouped_address() -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="2001:db8:1:2:aaaa:bbbb:cccc:dddd")

    assert get_client_ip_address(request) == "2001:db8:1:2::"


def test_addresses_in_one_ipv6_64_share_a_lockout(patient: Patient) -> None:
    username = patient.user.username  # type: ignore[union-attr]
    statuses = [
        attempt(Client(), username, WRONG, REMOTE_ADDR=f"2001:db8:1:2::{n + 1:x}").status_code
        for n in range(5)
    ]

    assert statuses == [200, 200, 200, 200, 429]
    assert (
        attempt(Client(), username, PASSWORD, REMOTE_ADDR="2001:db8:1:2:ffff::9").status_code == 429
    )
    assert AccessAttempt.objects.get().ip_address == "2001:db8:1:2::"


def test_another_ipv6_64_is_not_locked(patient: Patient) -> None:
    username = patient.user.username  # type: ignore[union-attr]
    fail(Client(), username, 5, REMOTE_ADDR="2001:db8:1:2::1")

    assert attempt(Client(), username, PASSWORD, REMOTE_ADDR="2001:db8:1:3::1").status_code == 302


def test_behind_the_proxy_an_ipv6_client_is_counted_by_its_64(
    patient: Patient, proxy_settings: dict[str, Any]
) -> None:
    username = patient.user.username  # type: ignore[union-attr]
    forged = "2001:db8:dead::1"  # written by the client: never counted

    with override_settings(**proxy_settings):
        statuses = [
            attempt(
                Client(),
                username,
                WRONG,
                REMOTE_ADDR="::1",
                HTTP_X_FORWARDED_FOR=f"{forged}, 2001:db8:1:2::{n + 1:x}",
            ).status_code
            for n in range(5)
        ]

    assert statuses == [200, 200, 200, 200, 429]
    assert AccessAttempt.objects.get().ip_address == "2001:db8:1:2::"


def test_wrong_links_from_one_ipv6_64_are_limited_together(db: None) -> None:
    def wrong_link(address: str) -> int:
        return int(Client(REMOTE_ADDR=address).get(f"/calendar/{'0' * 43}.ics").status_code)

    statuses = [wrong_link(f"2001:db8:1:2::{n + 1:x}") for n in range(31)]

    assert statuses == [404] * 30 + [429]
    assert wrong_link("2001:db8:1:3::1") == 404


# The per-account ceiling (backcare/accounts/ceiling.py): 100 failures, then a password reset.

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
CEILING = "Logging in with this username is blocked after too many failed attempts"


def fail_from_many_networks(username: str, times: int, time_machine: Any, start: datetime) -> None:
    """``times`` wrong passwords, from 60 IPv6 networks in turn, 20 minutes apart: each falls in
    a new cool-off window and no (username, address) pair is ever locked out."""
    for n in range(times):
        time_machine.move_to(start + n * timedelta(minutes=20), tick=False)
        response = attempt(Client(), username, WRONG, REMOTE_ADDR=f"2001:db8:{n % 60:x}::1")
        assert (response.status_code, INVALID_LOGIN in response.text) == (200, True)


def logged_failures(username: str, times: int) -> None:
    """``times`` failures as axes logs them, made quickly (the first ceiling test below makes
    its 100 through the login form)."""
    AccessFailureLog.objects.bulk_create(
        AccessFailureLog(
            username=username,
            ip_address=f"2001:db8:{n % 60:x}::",
            user_agent="<unknown>",
            path_info="/login/",
        )
        for n in range(times)
    )


def test_the_ceiling_is_100_failures(db: None) -> None:
    """NIST SP 800-63B §5.2.2: no more than 100 consecutive failed attempts on one account."""
    assert FAILURE_CEILING == 100


def test_100_failures_from_60_networks_block_the_username_even_with_the_right_password(
    patient: Patient, time_machine: Any
) -> None:
    username = patient.user.username  # type: ignore[union-attr]
    fail_from_many_networks(username, 100, time_machine, START)
    client = Client()

    response = attempt(client, username, PASSWORD, REMOTE_ADDR="2001:db8:ffff::1")

    assert response.status_code == 200
    assert CEILING in response.text and INVALID_LOGIN not in response.text
    assert 'href="/password/reset/"' in response.text
    assert "sessionid" not in client.cookies
    assert not Session.objects.exists()


def test_99_failures_then_the_right_password_restart_the_count(
    patient: Patient, time_machine: Any
) -> None:
    username = patient.user.username  # type: ignore[union-attr]
    fail_from_many_networks(username, 99, time_machine, START)
    assert attempt(Client(), username, PASSWORD).status_code == 302

    logged_failures(username, 99)

    assert attempt(Client(), username, PASSWORD).status_code == 302


def test_a_password_reset_through_the_emailed_link_opens_the_login_again(
    patient: Patient,
) -> None:
    user = patient.user
    assert user is not None
    fail(Client(), user.username, 5, REMOTE_ADDR=HOME)  # this pair is locked out as well
    logged_failures(user.username, 95)
    assert CEILING in attempt(Client(), user.username, PASSWORD, REMOTE_ADDR=CAFE).text
    client = Client()

    client.post("/password/reset/", {"email": user.email})
    link = re.search(r"/password/reset/[^/\s]+/[^/\s]+/", str(mail.outbox[0].body))
    assert link is not None
    form = client.get(link.group(0), follow=True)
    new_password = "a new and rather long passphrase"
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )

    assert done.status_code == 302 and done["Location"] == "/password/reset/done/"
    assert attempt(Client(), user.username, new_password, REMOTE_ADDR=HOME).status_code == 302
    assert not AccessFailureLog.objects.filter(username=user.username).exists()


def test_the_ceiling_refusal_is_the_same_for_an_existing_and_a_missing_username(
    patient: Patient, time_machine: Any
) -> None:
    """No account enumeration (OWASP Authentication Cheat Sheet, "Authentication Responses")."""
    existing = patient.user.username  # type: ignore[union-attr]
    missing = "nobody-by-this-name"
    logged_failures(existing, 100)
    fail_from_many_networks(missing, 100, time_machine, START)  # a missing name is logged too

    known = attempt(Client(), existing, PASSWORD)
    unknown = attempt(Client(), missing, PASSWORD)

    assert known.status_code == unknown.status_code == 200
    assert CEILING in known.text
    assert without_tokens(known.text) == without_tokens(unknown.text)


def test_a_failure_row_keeps_the_grouped_address_and_no_password(patient: Patient) -> None:
    username = patient.user.username  # type: ignore[union-attr]
    attempt(Client(), username, WRONG, REMOTE_ADDR="2001:db8:1:2::7", HTTP_USER_AGENT="Firefox")

    row = AccessFailureLog.objects.values().get()
    assert (row["username"], row["ip_address"], row["user_agent"]) == (
        username,
        "2001:db8:1:2::",
        "Firefox",
    )
    assert WRONG not in " ".join(str(value) for value in row.values())


def test_erasing_a_patient_forgets_their_failed_logins(patient: Patient, clinician: User) -> None:
    """Right to erasure: the failure rows hold the login's username and addresses."""
    username = patient.user.username  # type: ignore[union-attr]
    fail(Client(), username, 5)

    erase_patient(clinician, patient, "Asked to be forgotten")

    assert not AccessFailureLog.objects.filter(username=username).exists()
    assert not AccessAttempt.objects.filter(username=username).exists()
