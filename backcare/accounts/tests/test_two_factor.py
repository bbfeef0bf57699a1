"""Two-factor sign-in for clinic staff: set-up, the second step, recovery codes, resets."""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.contrib.auth.hashers import check_password
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from backcare.accounts.models import RecoveryCode, User
from backcare.accounts.two_factor import new_recovery_codes
from backcare.audit.models import AuditEvent
from backcare.patients.models import Patient
from backcare.testing import PASSWORD, authenticator_for_tests, current_code, logged_in

SETUP = "/account/two-factor/setup/"
VERIFY = "/account/two-factor/verify/"
CODE_PATTERN = re.compile(r"<code>([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})</code>")


def password_only(user: User) -> Client:
    """A client past the password step only, as after the login form."""
    client = Client()
    response = client.post("/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, "the password step failed"
    return client


def set_up(client: Client, user: User) -> list[str]:
    """Walk through the set-up page with a code from the new app; return the recovery codes."""
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    answers = {"code": current_code(device), "next": "/clinic/patients/", "password": PASSWORD}
    response = client.post(SETUP, answers)
    assert response.status_code == 200
    return CODE_PATTERN.findall(response.content.decode())


def test_a_clinician_past_the_password_is_sent_to_set_up_an_app(clinician: User) -> None:
    client = password_only(clinician)
    response = client.get("/clinic/patients/")
    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next=%2Fclinic%2Fpatients%2F"
    page = client.get(response["Location"]).content.decode()
    assert "<svg" in page and "Scan this QR code" in page
    assert 'href="/clinic/patients/"' not in page, "no clinic navigation before the second step"


def test_the_api_answers_a_problem_before_the_second_step(
    clinician: User, patient: Patient
) -> None:
    response = password_only(clinician).get(f"/api/v1/patients/{patient.pk}/sessions")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"] == "urn:backcare:problem:second-factor-required"


def test_a_patient_signs_in_with_the_password_alone(patient: Patient) -> None:
    assert patient.user is not None
    client = password_only(patient.user)
    assert client.get("/me/").status_code == 200
    assert client.get(SETUP).status_code == 404


def test_a_clinic_admin_needs_the_second_step_too(clinic: Any) -> None:
    admin = User.objects.create_user("ada", "", PASSWORD, role=User.Role.ADMIN, clinic=clinic)
    response = password_only(admin).get("/clinic/audit/")
    assert response.status_code == 302 and response["Location"].startswith(SETUP)


def test_setting_up_shows_the_same_key_until_confirmed_then_recovery_codes_once(
    clinician: User,
) -> None:
    client = password_only(clinician)
    first = client.get(SETUP)
    assert first["Cache-Control"].startswith("max-age=0") and "no-store" in first["Cache-Control"]
    key = re.search(r'class="secret-key">([A-Z2-7 ]+)<', first.content.decode())
    assert key and key.group(1) in client.get(SETUP).content.decode(), "a reload kept the key"
    device = TOTPDevice.objects.get(user=clinician)
    assert not device.confirmed

    wrong = client.post(SETUP, {"code": "000000"})
    assert "That code did not match" in wrong.content.decode()
    assert client.get("/clinic/patients/").status_code == 302

    with time_machine.travel(timezone.now() + timedelta(seconds=5)):  # past the 1 s back-off
        codes = set_up(client, clinician)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert TOTPDevice.objects.get(user=clinician).confirmed
    stored = list(RecoveryCode.objects.filter(device__user=clinician))
    assert len(stored) == 10
    plain = {code.replace("-", "") for code in codes}
    assert not plain & {row.code_hash for row in stored}, "codes are stored only as hashes"
    assert any(check_password(next(iter(plain)), row.code_hash) for row in stored)
    assert client.get("/clinic/patients/").status_code == 200
    event = AuditEvent.objects.get(action="two_factor.set_up")
    assert event.actor_id == clinician.pk and "alice" not in str(event.detail)


def test_the_second_step_takes_the_app_code_and_returns_to_the_page_asked_for(
    clinician: User, patient: Patient
) -> None:
    device = authenticator_for_tests(clinician)
    client = password_only(clinician)
    asked = f"/clinic/patients/{patient.pk}/"
    response = client.get(asked)
    assert response["Location"] == f"{VERIFY}?next=%2Fclinic%2Fpatients%2F{patient.pk}%2F"
    assert client.get(SETUP)["Location"].startswith(VERIFY), "a password cannot enrol a new app"
    wrong = client.post(VERIFY, {"code": "123456", "next": asked})
    assert "That code did not work" in wrong.content.decode()
    assert AuditEvent.objects.filter(action="two_factor.verify", outcome="invalid").count() == 1

    with time_machine.travel(timezone.now() + timedelta(seconds=5)):  # past the 1 s back-off
        session_before = client.cookies["sessionid"].value
        done = client.post(VERIFY, {"code": current_code(device), "next": asked})
        assert done.status_code == 302 and done["Location"] == asked
        assert client.cookies["sessionid"].value != session_before, "a new session id"
        assert client.get(asked).status_code == 200


def test_logging_in_again_with_the_password_asks_for_the_code_again(clinician: User) -> None:
    """Else the password alone would keep a verified session going past its 8-hour limit."""
    client = logged_in(clinician)
    assert client.get("/clinic/patients/").status_code == 200
    client.post("/login/", {"username": "alice", "password": PASSWORD})
    assert client.get("/clinic/patients/")["Location"].startswith(VERIFY)


def test_a_code_is_accepted_once_only(clinician: User) -> None:
    device = authenticator_for_tests(clinician)
    code = current_code(device)
    first, second = password_only(clinician), password_only(clinician)
    assert first.post(VERIFY, {"code": code})["Location"] == "/"
    replay = second.post(VERIFY, {"code": code})
    assert replay.status_code == 200 and "did not work" in replay.content.decode()


def test_wrong_codes_slow_down_the_next_tries(clinician: User) -> None:
    device = authenticator_for_tests(clinician)
    client = password_only(clinician)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(4):
            client.post(VERIFY, {"code": "111111"})
            clock.shift(timedelta(seconds=60))
        client.post(VERIFY, {"code": "111111"})  # the fifth: now 16 s to wait
        rows = AuditEvent.objects.filter(action="two_factor.verify").count()
        right = client.post(VERIFY, {"code": current_code(device)})
        assert "Too many wrong codes. Wait 16 seconds" in right.content.decode()
        assert AuditEvent.objects.filter(action="two_factor.verify").count() == rows == 5, (
            "a refusal during the back-off checks nothing and writes no row"
        )
        clock.shift(timedelta(seconds=17))
        assert client.post(VERIFY, {"code": current_code(device, 1)}).status_code == 302


def test_a_recovery_code_works_once_and_is_forgiving_in_how_it_is_typed(clinician: User) -> None:
    authenticator_for_tests(clinician)
    codes = new_recovery_codes(clinician)
    typed = codes[0].lower().replace("-", " ").replace("0", "o")
    client = password_only(clinician)
    response = client.post(VERIFY, {"code": typed, "next": "/clinic/patients/"}, follow=True)
    assert response.redirect_chain[0] == ("/clinic/patients/", 302)
    assert "You used a recovery code: 9 are left" in response.content.decode()
    again = password_only(clinician).post(VERIFY, {"code": codes[0]})
    assert again.status_code == 200, "a used recovery code does not work again"
    event = AuditEvent.objects.get(action="two_factor.verified")
    assert event.detail["method"] == "recovery_code"


def test_new_recovery_codes_replace_the_old_ones(clinician: User) -> None:
    authenticator_for_tests(clinician)
    old = new_recovery_codes(clinician)
    client = logged_in(clinician)
    page = client.get("/account/").content.decode()
    assert "You have 10 unused recovery codes" in page
    refused = client.post("/account/", {"action": "new_recovery_codes", "password": "wrong"})
    assert refused["Location"] == "/account/" and RecoveryCode.objects.count() == 10
    assert password_only(clinician).post(VERIFY, {"code": old[0]}).status_code == 302
    response = client.post("/account/", {"action": "new_recovery_codes", "password": PASSWORD})
    assert "no-store" in response["Cache-Control"]
    new = CODE_PATTERN.findall(response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert password_only(clinician).post(VERIFY, {"code": old[1]}).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):  # past the 1 s back-off
        assert password_only(clinician).post(VERIFY, {"code": new[1]}).status_code == 302


def test_a_verified_clinician_can_move_to_a_new_app(clinician: User) -> None:
    old = authenticator_for_tests(clinician)
    client = logged_in(clinician)
    assert "moving to a new authenticator app" in client.get(SETUP).content.decode()
    assert TOTPDevice.objects.filter(user=clinician).count() == 2, "the old app still works"
    new = TOTPDevice.objects.get(user=clinician, confirmed=False)
    no_password = client.post(SETUP, {"code": current_code(new)})
    assert "Type your password to move to a new app" in no_password.content.decode()
    assert not TOTPDevice.objects.get(pk=new.pk).confirmed, "an unattended session is not enough"
    set_up(client, clinician)
    assert list(TOTPDevice.objects.filter(user=clinician)) != [old]
    assert TOTPDevice.objects.filter(user=clinician).count() == 1


def test_the_account_page_of_a_patient_has_no_second_factor(patient: Patient) -> None:
    client = logged_in(patient.user)
    page = client.get("/account/").content.decode()
    assert "Change your password" in page and "recovery" not in page.lower()
    assert client.post("/account/", {"action": "new_recovery_codes"}).status_code == 302
    assert not RecoveryCode.objects.exists()


def test_a_reset_forgets_the_app_and_unverifies_its_sessions(clinician: User) -> None:
    client = logged_in(clinician)
    assert client.get("/clinic/patients/").status_code == 200
    out = StringIO()
    call_command("reset_two_factor", "alice", stdout=out)
    assert "reset" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=clinician).exists()
    assert client.get("/clinic/patients/")["Location"].startswith(SETUP)
    assert AuditEvent.objects.get(action="two_factor.reset").detail == {"staff_id": clinician.pk}


def test_a_reset_refuses_patients_and_unknown_names(patient: Patient) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not staff"):
        call_command("reset_two_factor", "pat")
    with pytest.raises(CommandError, match="No login"):
        call_command("reset_two_factor", "nobody")


@pytest.mark.parametrize("elsewhere", ["https://evil.example/", "//evil.example/", "javascript:x"])
def test_the_second_step_never_sends_people_off_the_site(clinician: User, elsewhere: str) -> None:
    device = authenticator_for_tests(clinician)
    response = password_only(clinician).post(
        VERIFY, {"code": current_code(device), "next": elsewhere}
    )
    assert response["Location"] == "/"


def test_a_changed_password_ends_the_other_sessions_but_not_this_one(clinician: User) -> None:
    here, elsewhere = logged_in(clinician), logged_in(clinician)
    response = here.post(
        "/account/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a new long pass phrase",
            "new_password2": "a new long pass phrase",
        },
    )
    assert response["Location"] == "/account/password/done/"
    assert here.get("/clinic/patients/").status_code == 200
    assert elsewhere.get("/clinic/patients/")["Location"].startswith("/login/")


@pytest.mark.django_db(transaction=True)
def test_recovery_codes_are_hashed_with_no_transaction_open(
    clinician: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Up to ten slow hashes: on SQLite a write lock held meanwhile would stop every writer."""
    from django.contrib.auth.hashers import check_password as real
    from django.db import connection

    seen: list[bool] = []

    def watched(*args: Any, **kwargs: Any) -> bool:
        seen.append(connection.in_atomic_block)
        return real(*args, **kwargs)

    monkeypatch.setattr("backcare.accounts.models.check_password", watched)
    authenticator_for_tests(clinician)
    codes = new_recovery_codes(clinician)
    assert password_only(clinician).post(VERIFY, {"code": codes[-1]}).status_code == 302
    assert len(seen) == 10 and not any(seen)


@pytest.mark.parametrize(
    "path", ["/account/", SETUP, VERIFY, "/account/password/", "/clinic/staff/"]
)
def test_anonymous_visitors_are_sent_to_log_in(db: Any, path: str) -> None:
    for answer in (Client().get(path), Client().post(path, {"code": "123456"})):
        assert answer.status_code == 302 and answer["Location"].startswith("/login/"), path
