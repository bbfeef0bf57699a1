from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from backcare.accounts.models import User
from backcare.audit.models import AuditEvent
from backcare.instruments.models import Assignment, Instrument
from backcare.instruments.tests.conftest import answer, assigned, imported
from backcare.patients.models import Patient
from backcare.testing import logged_in


@dataclass
class World:
    """The clinic's instrument, the patient's assignment, and the personas around them."""

    clinician: User
    patient: Patient
    other_patient: Patient
    outsider: User
    instrument: Instrument
    assignment: Assignment

    def client(self, persona: str) -> Client:
        if persona == "anonymous":
            return Client()
        user = getattr(self, persona)
        return logged_in(user.user if isinstance(user, Patient) else user)

    def url(self, page: str) -> str:
        return {
            "instrument_list": "/clinic/instruments/",
            "import_instrument": "/clinic/instruments/import/",
            "instrument_detail": f"/clinic/instruments/{self.instrument.pk}/",
            "patient_instruments": f"/clinic/patients/{self.patient.pk}/instruments/",
            "my_questionnaires": "/me/questionnaires/",
            "answer_questionnaire": f"/me/questionnaires/{self.assignment.pk}/",
        }[page]


@pytest.fixture
def world(clinician: User, patient: Patient, other_patient: Patient, outsider: User) -> World:
    instrument = imported(clinician.clinic, "odi")
    return World(
        clinician,
        patient,
        other_patient,
        outsider,
        instrument,
        assigned(clinician, patient, instrument),
    )


LOGIN = "login"
PRIVACY = [
    # (page, persona, status, or LOGIN for a redirect to the login page)
    ("instrument_list", "clinician", 200),
    ("instrument_list", "outsider", 200),
    ("instrument_list", "patient", LOGIN),
    ("instrument_list", "anonymous", LOGIN),
    ("import_instrument", "clinician", 200),
    ("import_instrument", "patient", LOGIN),
    ("import_instrument", "anonymous", LOGIN),
    ("instrument_detail", "clinician", 200),
    ("instrument_detail", "outsider", 404),
    ("instrument_detail", "patient", LOGIN),
    ("instrument_detail", "anonymous", LOGIN),
    ("patient_instruments", "clinician", 200),
    ("patient_instruments", "outsider", 404),
    ("patient_instruments", "patient", LOGIN),
    ("patient_instruments", "other_patient", LOGIN),
    ("patient_instruments", "anonymous", LOGIN),
    ("my_questionnaires", "patient", 200),
    ("my_questionnaires", "other_patient", 200),
    ("my_questionnaires", "clinician", 404),
    ("my_questionnaires", "anonymous", LOGIN),
    ("answer_questionnaire", "patient", 200),
    ("answer_questionnaire", "other_patient", 404),
    ("answer_questionnaire", "clinician", 404),
    ("answer_questionnaire", "outsider", 404),
    ("answer_questionnaire", "anonymous", LOGIN),
]


@pytest.mark.parametrize(("page", "persona", "expected"), PRIVACY)
def test_it_shows_each_page_only_to_whom_it_belongs(
    world: World, page: str, persona: str, expected: int | str
) -> None:
    response = world.client(persona).get(world.url(page))

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/login/?next=")
    else:
        assert response.status_code == expected


def test_it_lists_only_the_clinics_own_instruments(world: World) -> None:
    theirs = world.client("outsider").get("/clinic/instruments/").content.decode()
    ours = world.client("clinician").get("/clinic/instruments/").content.decode()

    assert "Placeholder odi" in ours and "Placeholder odi" not in theirs


def test_it_lists_the_other_patients_questionnaires_without_this_patients(world: World) -> None:
    page = world.client("other_patient").get("/me/questionnaires/").content.decode()

    assert f"/me/questionnaires/{world.assignment.pk}/" not in page


@pytest.mark.parametrize(("persona", "status"), [("outsider", 404), ("patient", 302)])
def test_it_lets_only_the_patients_clinic_assign(world: World, persona: str, status: int) -> None:
    response = world.client(persona).post(
        f"/clinic/patients/{world.patient.pk}/instruments/assign/",
        {"instrument": world.instrument.pk, "context": "intake"},
    )

    assert response.status_code == status
    assert Assignment.objects.count() == 1


@pytest.mark.parametrize("persona", ["other_patient", "clinician"])
def test_it_lets_only_the_patient_answer_their_questionnaire(world: World, persona: str) -> None:
    response = answer(world.client(persona), world.assignment, {f"q-{n}": 1 for n in range(1, 11)})

    assert response.status_code == 404
    assert Assignment.objects.get().completed_at is None


def test_it_shows_the_registry_with_owner_licence_and_attribution(world: World) -> None:
    page = world.client("clinician").get("/clinic/instruments/").content.decode()

    for text in (
        "Placeholder Owner Ltd",
        "Placeholder licence: free for clinical use",
        "Placeholder attribution © Placeholder Owner Ltd.",
        "Oswestry Disability Index",
        "urn:backcare:instrument:odi|1",
    ):
        assert text in page


def test_it_shows_an_instruments_questions_with_the_items_they_score(world: World) -> None:
    page = world.client("clinician").get(world.url("instrument_detail")).content.decode()

    assert "<code>q-10</code>" in page and "item10" in page and "Question 10" in page
    assert "Placeholder attribution" in page


# the results table


def odi(world: World, section_points: int) -> None:
    """The patient answers an ODI with every section at ``section_points``."""
    assignment = assigned(world.clinician, world.patient, world.instrument)
    answers = {f"q-{n}": section_points for n in range(1, 11)}
    assert answer(world.client("patient"), assignment, answers).status_code == 302


def test_it_shows_the_patients_scores_with_the_change_from_the_first(
    world: World, time_machine: Any
) -> None:
    odi(world, 3)  # 60 %
    time_machine.shift(86400 * 28)
    odi(world, 2)  # 40 %: 20 points better, more than the 10 needed

    response = world.client("clinician").get(world.url("patient_instruments"))

    [latest, first] = response.context["results"]
    assert (first.response.score, first.change) == (60.0, None)
    assert latest.change.label == "important_improvement"
    page = response.content.decode()
    assert "60 %" in page and "40 %" in page and "baseline" in page
    assert "Important improvement" in page
    assert "Placeholder attribution © Placeholder Owner Ltd." in page


def test_it_labels_a_small_change_as_no_important_change(world: World) -> None:
    odi(world, 3)  # 60 %
    odi(world, 3)

    page = world.client("clinician").get(world.url("patient_instruments")).content.decode()

    assert "No important change" in page


def test_it_lists_what_the_patient_has_still_to_answer(world: World) -> None:
    page = world.client("clinician").get(world.url("patient_instruments")).content.decode()

    assert "Waiting for the patient" in page
    assert "Placeholder odi 1 — Intake, assigned 12 Mar 2025" in page


# audit


@pytest.mark.parametrize(
    ("page", "persona", "action", "outcome"),
    [
        ("patient_instruments", "clinician", "instrument.results.view", "ok"),
        ("patient_instruments", "outsider", "instrument.results.view", "not_found"),
        ("my_questionnaires", "patient", "instrument.assignments.view", "ok"),
        ("answer_questionnaire", "patient", "instrument.assignment.read", "ok"),
        ("answer_questionnaire", "other_patient", "instrument.assignment.read", "not_found"),
    ],
)
def test_it_audits_every_read_of_patient_data(
    world: World, page: str, persona: str, action: str, outcome: str
) -> None:
    set_up = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0

    world.client(persona).get(world.url(page))

    event = AuditEvent.objects.get(id__gt=set_up)
    assert (event.action, event.outcome) == (action, outcome)
    if outcome == "ok":
        assert event.patient_id == world.patient.pk


def test_it_audits_an_assignment(world: World) -> None:
    event = AuditEvent.objects.get(action="instrument.assign")

    assert (event.actor, event.patient_id, event.object_id) == (
        world.clinician,
        world.patient.pk,
        str(world.assignment.pk),
    )
    assert event.detail == {"instrument": "urn:backcare:instrument:odi|1", "context": "intake"}


def test_it_records_an_assignment_through_the_page_in_one_audit_row(world: World) -> None:
    before = AuditEvent.objects.count()
    response = world.client("clinician").post(
        world.url("patient_instruments") + "assign/",
        {"instrument": world.instrument.pk, "context": "discharge"},
    )
    assert response.status_code == 302
    assert AuditEvent.objects.count() - before == 1
    assert AuditEvent.objects.first().action == "instrument.assign"  # type: ignore[union-attr]
