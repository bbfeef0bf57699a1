"""The clinician's timeline and the patient's progress page: who sees what, and the audit."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from backcare.accounts.models import User
from backcare.audit.models import AuditEvent
from backcare.outcomes.tests.conftest import check_in, make_goal
from backcare.patients.models import Patient
from backcare.testing import logged_in

TIMELINE = "/clinic/patients/{pk}/timeline/"
PROGRESS = "/me/progress/"


def test_it_shows_the_timeline_to_the_patients_clinician(
    clinician: User, improving: Patient
) -> None:
    response = logged_in(clinician).get(TIMELINE.format(pk=improving.pk))

    assert response.status_code == 200
    page = response.content.decode()
    assert improving.full_name in page
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg"') == 2  # pain, adherence
    assert "Resting pain 6/10 at intake → 1/10" in page
    assert "important improvement" in page


def test_it_shows_the_patient_their_own_progress(improving: Patient) -> None:
    response = logged_in(improving.user).get(PROGRESS)

    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page
    assert "Your pain has come down from 6 to 1 (out of 10) since you started" in page


def test_it_shows_another_patient_only_their_own_progress(
    improving: Patient, other_patient: Patient
) -> None:
    response = logged_in(other_patient.user).get(PROGRESS)

    assert response.status_code == 200
    assert "come down" not in response.content.decode()
    assert AuditEvent.objects.get(action="outcomes.timeline.view").patient_id == other_patient.pk


def test_it_hides_the_timeline_from_another_clinic(outsider: User, improving: Patient) -> None:
    response = logged_in(outsider).get(TIMELINE.format(pk=improving.pk))

    assert response.status_code == 404
    event = AuditEvent.objects.get(actor=outsider)
    assert (event.action, event.outcome, event.patient_id) == (
        "outcomes.timeline.view",
        "not_found",
        improving.pk,
    )


@pytest.mark.parametrize("persona", ["patient", "other_patient"])
def test_it_keeps_patients_out_of_the_clinicians_timeline(
    request: pytest.FixtureRequest, improving: Patient, persona: str
) -> None:
    user = request.getfixturevalue(persona).user

    response = logged_in(user).get(TIMELINE.format(pk=improving.pk))

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert not AuditEvent.objects.filter(action="outcomes.timeline.view").exists()


def test_it_answers_404_to_a_clinician_on_the_patients_own_page(clinician: User) -> None:
    assert logged_in(clinician).get(PROGRESS).status_code == 404


@pytest.mark.parametrize("url", [TIMELINE, PROGRESS])
def test_it_sends_anonymous_visitors_to_log_in(improving: Patient, url: str) -> None:
    response = Client().get(url.format(pk=improving.pk))

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize(("who", "url"), [("clinician", TIMELINE), ("patient", PROGRESS)])
def test_it_writes_one_audit_row_per_page_view(
    request: pytest.FixtureRequest, improving: Patient, who: str, url: str
) -> None:
    user = request.getfixturevalue(who)
    client = logged_in(user.user if isinstance(user, Patient) else user)

    for _ in range(2):
        assert client.get(url.format(pk=improving.pk)).status_code == 200

    events = AuditEvent.objects.filter(patient_id=improving.pk)
    assert [e.action for e in events] == ["outcomes.timeline.view"] * 2


def test_it_escapes_a_goal_named_like_a_script(clinician: User, improving: Patient) -> None:
    goal = make_goal(improving, "<script>alert('x')</script>", 2)
    check_in(improving, improving.created_at, 3, {goal.pk: 5})

    page = logged_in(clinician).get(TIMELINE.format(pk=improving.pk)).content.decode()

    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(" in page


@pytest.mark.parametrize(
    ("who", "url", "link"),
    [
        ("clinician", "/clinic/patients/{pk}/", 'href="/clinic/patients/{pk}/timeline/"'),
        ("patient", "/me/history/", 'href="/me/progress/">Progress</a>'),
    ],
)
def test_it_links_the_pages_from_the_record_and_the_patients_menu(
    request: pytest.FixtureRequest, patient: Patient, who: str, url: str, link: str
) -> None:
    user: Any = request.getfixturevalue(who)
    client = logged_in(user.user if isinstance(user, Patient) else user)

    page = client.get(url.format(pk=patient.pk)).content.decode()

    assert link.format(pk=patient.pk) in page
