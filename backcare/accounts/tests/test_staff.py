"""The clinic admin's staff page: second-factor status, resets and deactivation, own clinic only."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from backcare.accounts.models import Clinic, User
from backcare.accounts.two_factor import new_recovery_codes
from backcare.audit.models import AuditEvent
from backcare.patients.models import Patient
from backcare.testing import PASSWORD, authenticator_for_tests, logged_in


@pytest.fixture
def admin(clinic: Clinic) -> User:
    return User.objects.create_user("ada", "", PASSWORD, role=User.Role.ADMIN, clinic=clinic)


def test_the_admin_sees_the_clinics_staff_and_their_second_factor(
    admin: User, clinician: User, outsider: User, patient: Patient
) -> None:
    authenticator_for_tests(clinician)
    new_recovery_codes(clinician)
    page = logged_in(admin).get("/clinic/staff/").content.decode()
    assert "alice" in page and "app set up, 10 recovery codes left" in page
    assert "olga" not in page, "another clinic's clinician"
    assert ">pat<" not in page and "pat<br>" not in page, "patients are not staff"


def test_the_admin_resets_a_lost_phone_and_the_clinician_sets_up_a_new_app(
    admin: User, clinician: User
) -> None:
    colleague = logged_in(clinician)
    assert colleague.get("/clinic/patients/").status_code == 200
    response = logged_in(admin).post(
        "/clinic/staff/", {"staff": clinician.pk, "action": "reset_two_factor"}, follow=True
    )
    assert "Two-factor sign-in reset for alice" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=clinician).exists()
    assert colleague.get("/clinic/patients/")["Location"].startswith("/account/two-factor/setup/")
    event = AuditEvent.objects.get(action="staff.two_factor_reset")
    assert (event.actor_id, event.detail) == (admin.pk, {"staff_id": clinician.pk})


def test_the_admin_stops_a_leaver_signing_in_and_can_undo_it(admin: User, clinician: User) -> None:
    colleague, office = logged_in(clinician), logged_in(admin)
    office.post("/clinic/staff/", {"staff": clinician.pk, "action": "deactivate"})
    clinician.refresh_from_db()
    assert not clinician.is_active
    assert colleague.get("/clinic/patients/")["Location"].startswith("/login/")
    refused = Client().post("/login/", {"username": "alice", "password": PASSWORD})
    assert refused.status_code == 200, "the login form is shown again: no session"
    office.post("/clinic/staff/", {"staff": clinician.pk, "action": "reactivate"})
    clinician.refresh_from_db()
    assert clinician.is_active
    actions = AuditEvent.objects.filter(actor=admin, action__startswith="staff.")
    assert sorted(actions.values_list("action", flat=True)) == [
        "staff.deactivate",
        "staff.reactivate",
    ]


@pytest.mark.parametrize("action", ["reset_two_factor", "deactivate"])
def test_the_admin_cannot_touch_another_clinic_a_patient_or_themself(
    admin: User, outsider: User, patient: Patient, action: str
) -> None:
    office = logged_in(admin)
    targets = (outsider.pk, patient.user.pk, admin.pk, 999_999, "x", "9" * 30, "", "²")  # type: ignore[union-attr]
    for target in targets:
        response = office.post("/clinic/staff/", {"staff": target, "action": action})
        assert response.status_code == 404, target
    assert User.objects.filter(is_active=False).count() == 0
    assert not AuditEvent.objects.filter(action__startswith="staff.").exists()


def test_an_unknown_action_is_refused(admin: User, clinician: User) -> None:
    response = logged_in(admin).post("/clinic/staff/", {"staff": clinician.pk, "action": "delete"})
    assert response.status_code == 404
    assert User.objects.get(pk=clinician.pk).is_active


def test_only_the_clinics_admin_gets_the_staff_page(
    clinician: User, outsider: User, patient: Patient, other_patient: Patient, admin: Any
) -> None:
    other_admin = User.objects.create_user(
        "odo", "", PASSWORD, role=User.Role.ADMIN, clinic=outsider.clinic
    )
    assert "alice" not in logged_in(other_admin).get("/clinic/staff/").content.decode()
    refused = logged_in(other_admin).post(
        "/clinic/staff/", {"staff": clinician.pk, "action": "deactivate"}
    )
    assert refused.status_code == 404
    for user in (clinician, outsider, patient.user, other_patient.user):
        assert logged_in(user).get("/clinic/staff/").status_code == 403
        assert (
            logged_in(user)
            .post("/clinic/staff/", {"staff": clinician.pk, "action": "deactivate"})
            .status_code
            == 403
        )
    assert Client().get("/clinic/staff/")["Location"].startswith("/login/")
    assert User.objects.get(pk=clinician.pk).is_active


def test_the_admin_sees_and_lifts_a_colleagues_blocked_sign_in(
    admin: User, clinician: User
) -> None:
    for _ in range(5):
        Client(REMOTE_ADDR="203.0.113.9").post("/login/", {"username": "alice", "password": "no"})
    locked = Client(REMOTE_ADDR="203.0.113.9").post(
        "/login/", {"username": "alice", "password": PASSWORD}
    )
    assert locked.status_code == 429
    office = logged_in(admin)
    assert "sign-in blocked after failed attempts" in office.get("/clinic/staff/").content.decode()
    office.post("/clinic/staff/", {"staff": clinician.pk, "action": "unblock"})
    assert "sign-in blocked" not in office.get("/clinic/staff/").content.decode()
    again = Client(REMOTE_ADDR="203.0.113.9").post(
        "/login/", {"username": "alice", "password": PASSWORD}
    )
    assert again.status_code == 302, "the colleague can sign in again"
    assert AuditEvent.objects.filter(action="staff.unblock", actor=admin).count() == 1
