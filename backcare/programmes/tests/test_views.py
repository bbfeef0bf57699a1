"""Programme versions: propose, edit, assign; owner, other clinic, patient, anonymous."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from backcare.audit.models import AuditEvent
from backcare.patients.models import Patient, RedFlagScreen
from backcare.programmes.models import Programme
from backcare.testing import logged_in

pytestmark = pytest.mark.django_db


def draft(clinician: Any, patient: Patient) -> Programme:
    logged_in(clinician).post(f"/clinic/patients/{patient.pk}/programmes/new/")
    return patient.programme_set.get(status="draft")


def edit_post(programme: Programme, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for index, item in enumerate(programme.items.all()):
        p = f"item-{item.pk}-"
        data |= {
            p + "id": item.pk,
            p + "order": index + 1,
            p + "sets": item.sets,
            p + "reps": item.reps or "",
            p + "hold_s": item.hold_s or "",
            p + "duration_min": item.duration_min or "",
            p + "rest_s": item.rest_s,
            p + "days_per_week": item.days_per_week,
        }
    return data | changes


def test_it_drafts_the_proposed_programme_with_reasons(clinician: Any, patient: Patient) -> None:
    programme = draft(clinician, patient)
    assert programme.version == 2
    assert 5 <= programme.items.count() <= 8
    assert all(item.reason for item in programme.items.all())
    assert programme.aerobic_exercise is not None
    page = logged_in(clinician).get(f"/clinic/programmes/{programme.pk}/").content.decode()
    assert programme.items.first().exercise.name in page  # type: ignore[union-attr]


def test_it_edits_dose_order_and_removal_of_a_draft(clinician: Any, patient: Patient) -> None:
    programme = draft(clinician, patient)
    first, second, third = list(programme.items.all())[:3]
    post = edit_post(
        programme,
        **{
            f"item-{first.pk}-sets": 4,
            f"item-{first.pk}-order": 3,
            f"item-{second.pk}-order": 1,
            f"item-{third.pk}-remove": "on",
        },
    )
    response = logged_in(clinician).post(f"/clinic/programmes/{programme.pk}/", post)
    assert response.status_code == 302
    items = list(programme.items.all())
    assert third.pk not in [i.pk for i in items]
    assert items[0].pk == second.pk
    first.refresh_from_db()
    assert first.sets == 4


def test_it_rejects_a_bad_dose_without_losing_the_draft(clinician: Any, patient: Patient) -> None:
    programme = draft(clinician, patient)
    item = programme.items.first()
    assert item is not None
    response = logged_in(clinician).post(
        f"/clinic/programmes/{programme.pk}/", edit_post(programme, **{f"item-{item.pk}-sets": 99})
    )
    assert response.status_code == 200
    assert "less than or equal to 10" in response.content.decode()
    item.refresh_from_db()
    assert item.sets != 99


def test_it_adds_an_exercise_to_a_draft(clinician: Any, patient: Patient) -> None:
    programme = draft(clinician, patient)
    count = programme.items.count()
    logged_in(clinician).post(
        f"/clinic/programmes/{programme.pk}/", edit_post(programme, add="1", exercise="cat-camel")
    )
    assert programme.items.count() == count + 1
    assert programme.items.last().exercise.slug == "cat-camel"  # type: ignore[union-attr]


def test_adding_an_exercise_keeps_the_doses_changed_on_screen(
    clinician: Any, patient: Patient
) -> None:
    programme = draft(clinician, patient)
    first = programme.items.first()
    assert first is not None
    post = edit_post(programme, add="1", exercise="cat-camel", **{f"item-{first.pk}-sets": 4})
    logged_in(clinician).post(f"/clinic/programmes/{programme.pk}/", post)
    first.refresh_from_db()
    assert first.sets == 4 and programme.items.filter(exercise__slug="cat-camel").exists()


def test_assigning_keeps_the_doses_changed_on_screen_without_save(
    clinician: Any, patient: Patient
) -> None:
    programme = draft(clinician, patient)
    first = programme.items.first()
    assert first is not None
    post = edit_post(programme, assign="1", **{f"item-{first.pk}-sets": 4})
    response = logged_in(clinician).post(f"/clinic/programmes/{programme.pk}/", post)
    assert response["Location"] == f"/clinic/patients/{patient.pk}/"
    programme.refresh_from_db()
    first.refresh_from_db()
    assert (programme.status, first.sets) == ("active", 4)


def test_a_wrong_dose_refuses_the_assignment_and_keeps_the_draft(
    clinician: Any, patient: Patient
) -> None:
    programme = draft(clinician, patient)
    first = programme.items.first()
    assert first is not None
    post = edit_post(programme, assign="1", **{f"item-{first.pk}-sets": 99})
    response = logged_in(clinician).post(f"/clinic/programmes/{programme.pk}/", post)
    page = response.content.decode()
    assert response.status_code == 200 and "Nothing was saved or assigned" in page
    assert 'value="99"' in page  # what was typed stays on screen, with its error
    programme.refresh_from_db()
    assert programme.status == "draft"


def test_it_assigns_a_draft_and_supersedes_the_active_version(
    clinician: Any, patient: Patient
) -> None:
    old = patient.programme_set.get(status="active")
    programme = draft(clinician, patient)
    logged_in(clinician).post(
        f"/clinic/programmes/{programme.pk}/", edit_post(programme, assign="1")
    )
    programme.refresh_from_db()
    old.refresh_from_db()
    assert (programme.status, old.status) == ("active", "superseded")
    assert "programme.assign" in AuditEvent.objects.filter(patient_id=patient.pk)[0].actions
    # both versions stay viewable
    client = logged_in(clinician)
    assert client.get(f"/clinic/programmes/{old.pk}/").status_code == 200


def test_it_refuses_to_edit_an_assigned_version(clinician: Any, patient: Patient) -> None:
    active = patient.programme_set.get(status="active")
    client = logged_in(clinician)
    client.post(
        f"/clinic/programmes/{active.pk}/", edit_post(active, add="1", exercise="cat-camel")
    )
    assert active.items.count() == 3


def test_it_refuses_to_assign_while_a_red_flag_is_open(clinician: Any, patient: Patient) -> None:
    programme = draft(clinician, patient)
    RedFlagScreen.objects.create(patient=patient, positive_flags=["fever"], action="same_day")
    first = programme.items.first()
    assert first is not None
    post = edit_post(programme, assign="1", **{f"item-{first.pk}-sets": 4})
    logged_in(clinician).post(f"/clinic/programmes/{programme.pk}/", post)
    programme.refresh_from_db()
    first.refresh_from_db()
    assert (programme.status, first.sets) == ("draft", 4)  # refused, but the edit is kept


@pytest.mark.parametrize("suffix", ["", "discard/"])
def test_it_hides_programmes_from_another_clinic(
    outsider: Any, patient: Patient, suffix: str
) -> None:
    active = patient.programme_set.get(status="active")
    client = logged_in(outsider)
    response = (
        client.post(f"/clinic/programmes/{active.pk}/{suffix}")
        if suffix
        else client.get(f"/clinic/programmes/{active.pk}/")
    )
    assert response.status_code == 404


def test_it_keeps_patients_and_anonymous_visitors_out(
    patient: Patient, other_patient: Patient
) -> None:
    active = patient.programme_set.get(status="active")
    for client in (logged_in(other_patient.user), logged_in(patient.user), Client()):
        response = client.get(f"/clinic/programmes/{active.pk}/")
        assert response.status_code == 302
        assert "/login/" in response["Location"]


def test_it_records_a_draft_in_one_audit_row(clinician: Any, patient: Patient) -> None:
    before = AuditEvent.objects.count()
    draft(clinician, patient)
    written = AuditEvent.objects.count() - before
    assert list(AuditEvent.objects.values_list("action", flat=True)[:written]) == [
        "programme.draft"
    ]


def test_it_records_a_refused_draft_in_one_audit_row(clinician: Any, patient: Patient) -> None:
    RedFlagScreen.objects.create(patient=patient, positive_flags=["fever"], action="same_day")
    before = AuditEvent.objects.count()
    logged_in(clinician).post(f"/clinic/patients/{patient.pk}/programmes/new/")
    assert AuditEvent.objects.count() - before == 1
    event = AuditEvent.objects.first()
    assert event is not None
    assert (event.action, event.outcome, event.patient_id) == (
        "programme.draft",
        "invalid",
        patient.pk,
    )


@pytest.mark.parametrize(
    ("button", "actions"),
    [
        ({}, ["programme.edit"]),
        ({"add": "1", "exercise": "cat-camel"}, ["programme.edit", "programme.add_item"]),
        ({"assign": "1"}, ["programme.edit", "programme.assign"]),
    ],
)
def test_it_records_each_write_to_a_draft_in_the_requests_one_audit_row(
    clinician: Any, patient: Patient, button: dict[str, str], actions: list[str]
) -> None:
    programme = draft(clinician, patient)
    before = AuditEvent.objects.count()
    logged_in(clinician).post(f"/clinic/programmes/{programme.pk}/", edit_post(programme, **button))
    assert AuditEvent.objects.count() - before == 1
    assert AuditEvent.objects.all()[0].actions == actions


def test_it_records_a_discard_in_one_audit_row(clinician: Any, patient: Patient) -> None:
    programme = draft(clinician, patient)
    before = AuditEvent.objects.count()
    logged_in(clinician).post(f"/clinic/programmes/{programme.pk}/discard/")
    assert AuditEvent.objects.count() - before == 1
    assert AuditEvent.objects.values_list("action", flat=True).first() == "programme.discard"
