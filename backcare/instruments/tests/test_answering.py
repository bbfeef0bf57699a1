from __future__ import annotations

from typing import Any

import pytest
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from backcare.accounts.models import User
from backcare.audit.models import AuditEvent
from backcare.instruments.models import Assignment, Response
from backcare.instruments.tests.conftest import NOW, answer, assigned, imported
from backcare.patients.models import Patient
from backcare.testing import logged_in


def start_back(physical: int, psychosocial_yes: int, bothersome_option: int) -> dict[str, Any]:
    """STarT Back answers: the first ``physical`` of items 1–4 and ``psychosocial_yes`` of items
    5–8 agreed, item 9 at option position ``bothersome_option`` (0–4)."""
    answers: dict[str, Any] = {f"q-{n}": n <= physical for n in range(1, 5)}
    answers |= {f"q-{n}": n - 4 <= psychosocial_yes for n in range(5, 9)}
    return answers | {"q-9": bothersome_option}


def answered(
    clinician: User, patient: Patient, code: str | None, answers: dict[str, Any], **options: Any
) -> Response:
    assignment = assigned(clinician, patient, imported(clinician.clinic, code, **options))
    response = answer(logged_in(patient.user), assignment, answers)
    assert response.status_code == 302, response.context["form"].errors
    return Response.objects.get(assignment=assignment)


# assignment


def test_it_assigns_an_instrument_to_a_patient_with_its_context(
    clinician: User, patient: Patient
) -> None:
    instrument = imported(clinician.clinic, "odi")

    response = logged_in(clinician).post(
        f"/clinic/patients/{patient.pk}/instruments/assign/",
        {"instrument": instrument.pk, "context": "discharge", "due": "2025-03-19"},
    )

    assignment = Assignment.objects.get()
    assert response.status_code == 302
    assert (assignment.patient, assignment.instrument, assignment.context) == (
        patient,
        instrument,
        "discharge",
    )
    assert (assignment.assigned_by, assignment.assigned_at, str(assignment.due)) == (
        clinician,
        NOW,
        "2025-03-19",
    )
    assert assignment.completed_at is None


def test_it_does_not_offer_another_clinics_instrument(
    clinician: User, outsider: User, patient: Patient
) -> None:
    theirs = imported(outsider.clinic, "odi")

    response = logged_in(clinician).post(
        f"/clinic/patients/{patient.pk}/instruments/assign/",
        {"instrument": theirs.pk, "context": "intake"},
    )

    assert response.status_code == 200
    assert "instrument" in response.context["form"].errors
    assert not Assignment.objects.exists()


def test_it_does_not_offer_a_retired_instrument(clinician: User, patient: Patient) -> None:
    retired = imported(clinician.clinic, "odi", status="retired")

    response = logged_in(clinician).post(
        f"/clinic/patients/{patient.pk}/instruments/assign/",
        {"instrument": retired.pk, "context": "intake"},
    )

    assert "instrument" in response.context["form"].errors


# the patient's questionnaire, rendered from the clinic's file


def test_it_lists_the_patients_questionnaires_with_the_attribution(
    clinician: User, patient: Patient
) -> None:
    assignment = assigned(clinician, patient, imported(clinician.clinic, "peg"))

    page = logged_in(patient.user).get("/me/questionnaires/").content.decode()

    assert f'href="/me/questionnaires/{assignment.pk}/"' in page
    assert "Placeholder attribution © Placeholder Owner Ltd." in page


def test_it_renders_the_questions_from_the_imported_file(clinician: User, patient: Patient) -> None:
    assignment = assigned(clinician, patient, imported(clinician.clinic, "start_back"))

    page = logged_in(patient.user).get(f"/me/questionnaires/{assignment.pk}/").content.decode()

    for n in range(1, 10):
        assert f"Question {n}" in page
    assert "Option 4" in page
    assert 'value="true"' in page
    assert "Placeholder attribution" in page


def test_it_requires_the_questions_the_file_marks_required(
    clinician: User, patient: Patient
) -> None:
    assignment = assigned(clinician, patient, imported(clinician.clinic, "start_back"))
    answers = start_back(0, 0, 0)
    del answers["q-3"]

    response = answer(logged_in(patient.user), assignment, answers)

    assert response.status_code == 200
    assert response.context["form"].errors == {"q2": ["This field is required."]}
    assert not Response.objects.exists()


def test_it_stores_the_answers_as_a_completed_fhir_questionnaire_response(
    clinician: User, patient: Patient
) -> None:
    response = answered(clinician, patient, "start_back", start_back(2, 3, 4))

    body = response.response
    QuestionnaireResponse.model_validate(body)
    assert (body["resourceType"], body["status"], body["questionnaire"]) == (
        "QuestionnaireResponse",
        "completed",
        "urn:backcare:instrument:start_back|1",
    )
    assert body["authored"] == NOW.isoformat()
    assert body["item"][0] == {"linkId": "q-1", "answer": [{"valueBoolean": True}]}
    assert body["item"][8] == {
        "linkId": "q-9",
        "answer": [
            {"valueCoding": {"system": "urn:placeholder", "code": "opt-4", "display": "Option 4"}}
        ],
    }
    assert response.answered_by == patient.user
    assert response.assignment.completed_at == NOW


# scoring: STarT Back


@pytest.mark.parametrize(
    ("answers", "total", "psychosocial", "risk"),
    [
        (start_back(3, 0, 2), 3, 0, "low"),  # option 2 of item 9 scores 0
        (start_back(4, 1, 0), 5, 1, "medium"),
        (start_back(2, 3, 4), 6, 4, "high"),  # option 4 of item 9 scores 1
    ],
)
def test_it_scores_start_back_into_its_risk_group(
    clinician: User,
    patient: Patient,
    answers: dict[str, Any],
    total: int,
    psychosocial: int,
    risk: str,
) -> None:
    response = answered(clinician, patient, "start_back", answers)

    assert (response.score, response.subscales, response.interpretation) == (
        total,
        {"psychosocial": psychosocial},
        risk,
    )
    assert response.computed_at == NOW


@pytest.mark.parametrize("risk", ["low", "medium", "high"])
def test_it_sets_the_patients_risk_group_from_start_back(
    clinician: User, patient: Patient, risk: str
) -> None:
    answers = {
        "low": start_back(0, 0, 0),
        "medium": start_back(4, 1, 0),
        "high": start_back(2, 3, 4),
    }
    Patient.objects.filter(pk=patient.pk).update(risk_group="medium" if risk != "medium" else "low")

    response = answered(clinician, patient, "start_back", answers[risk])

    patient.refresh_from_db()
    assert patient.risk_group == risk
    (event,) = AuditEvent.objects.filter(patient_id=patient.pk, actor=patient.user)  # one request
    assert "patient.risk_group.set" in event.actions
    assert (event.object_type, event.object_id) == ("instruments.Response", str(response.pk))
    assert event.detail["risk_group"] == risk


def test_it_shows_the_start_back_result_on_the_patients_record(
    clinician: User, patient: Patient
) -> None:
    answered(clinician, patient, "start_back", start_back(2, 3, 4))

    page = logged_in(clinician).get(f"/clinic/patients/{patient.pk}/").content.decode()

    assert "Risk group set by STarT Back on 12 March 2025: high (total 6, psychosocial 4)" in page
    assert "Risk group: High" in page
    assert f'href="/clinic/patients/{patient.pk}/instruments/"' in page


def test_it_says_when_the_clinician_changed_the_risk_group_since(
    clinician: User, patient: Patient
) -> None:
    answered(clinician, patient, "start_back", start_back(2, 3, 4))
    Patient.objects.filter(pk=patient.pk).update(risk_group="medium")

    page = logged_in(clinician).get(f"/clinic/patients/{patient.pk}/").content.decode()

    assert "high (total 6, psychosocial 4); since changed to medium" in page


# scoring: the other rules


def test_it_scores_odi_with_a_skipped_section_out_of_the_sections_answered(
    clinician: User, patient: Patient
) -> None:
    answers = {f"q-{n}": 2 for n in range(1, 11) if n != 8}

    response = answered(clinician, patient, "odi", answers)

    assert response.score == pytest.approx(40.0)  # 18 of 45
    assert response.score_text == "40 %"
    assert response.notes == [
        "1 of 10 sections unanswered (item8); the percentage is of the 9 answered."
    ]
    assert [item["linkId"] for item in response.response["item"]] == [
        "q-1",
        "q-2",
        "q-3",
        "q-4",
        "q-5",
        "q-6",
        "q-7",
        "q-9",
        "q-10",
    ]


def test_it_shows_a_scoring_error_on_the_question_it_names(
    clinician: User, patient: Patient
) -> None:
    assignment = assigned(clinician, patient, imported(clinician.clinic, "odi"))
    answers = {f"q-{n}": 1 for n in range(1, 8)}  # three sections skipped, two allowed

    response = answer(logged_in(patient.user), assignment, answers)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["q7"]  # q-8, the first unanswered section
    assert "needs at least 8 of 10 items answered, got 7" in errors["q7"][0]
    assert not Response.objects.exists()
    event = AuditEvent.objects.get(action="instrument.response.create")
    assert (event.outcome, event.patient_id) == ("invalid", patient.pk)


def test_it_scores_the_roland_morris_as_the_number_of_yes_answers(
    clinician: User, patient: Patient
) -> None:
    answers = {f"q-{n}": n % 2 == 0 for n in range(1, 25)}

    response = answered(clinician, patient, "rmdq", answers)

    assert (response.score, response.score_text) == (12, "12 / 24")


def test_it_scores_peg_as_the_mean_of_three_numbers(clinician: User, patient: Patient) -> None:
    response = answered(
        clinician, patient, "peg", {"q-1": 6, "q-2": 5, "q-3": 3}, scale_as="integer"
    )

    assert response.score == pytest.approx(14 / 3)
    assert response.score_text == "4.7 / 10"
    assert response.response["item"][0] == {"linkId": "q-1", "answer": [{"valueInteger": 6}]}


def test_it_refuses_a_number_outside_the_scale_naming_the_question(
    clinician: User, patient: Patient
) -> None:
    instrument = imported(clinician.clinic, "peg", scale_as="integer")
    assignment = assigned(clinician, patient, instrument)

    response = answer(logged_in(patient.user), assignment, {"q-1": 6, "q-2": 11, "q-3": 3})

    assert response.context["form"].errors == {
        "q1": ["This answer cannot be scored: 11 is out of range 0–10"]
    }
    assert Assignment.objects.get().completed_at is None


def test_it_scores_psfs_over_the_activities_rated(clinician: User, patient: Patient) -> None:
    activity_name = {"linkId": "name-1", "text": "Activity name 1", "type": "string"}

    response = answered(
        clinician,
        patient,
        "psfs",
        {"name-1": "Placeholder activity", "q-1": 3, "q-2": 4, "q-3": 5},
        scale_as="integer",
        extra=(activity_name,),
    )

    assert (response.score, response.score_text) == (4.0, "4 / 10")
    assert {"linkId": "name-1", "answer": [{"valueString": "Placeholder activity"}]} in (
        response.response["item"]
    )


def test_it_stores_an_unscored_questionnaire_without_a_score(
    clinician: User, patient: Patient
) -> None:
    response = answered(clinician, patient, None, {"q-1": 4})

    assert (response.score, response.rule_code, response.computed_at) == (None, "", None)


def test_it_answers_an_assignment_only_once(clinician: User, patient: Patient) -> None:
    assignment = assigned(clinician, patient, imported(clinician.clinic, "peg"))
    client = logged_in(patient.user)
    answer(client, assignment, {"q-1": 1, "q-2": 1, "q-3": 1})

    response = answer(client, assignment, {"q-1": 9, "q-2": 9, "q-3": 9})

    assert response.status_code == 302
    assert Response.objects.get().score == 1.0


def test_it_renders_group_headings_and_nests_answers_in_their_group(
    clinician: User, patient: Patient
) -> None:
    group = {
        "linkId": "g-1",
        "text": "Section 1",
        "type": "group",
        "item": [
            {"linkId": "q-1", "text": "Question 1", "type": "integer", "required": True},
            {"linkId": "d-1", "text": "Display 1", "type": "display"},
        ],
    }
    document = {
        "resourceType": "Questionnaire",
        "url": "https://clinic.example/Q/g",
        "status": "active",
        "item": [group],
    }
    assignment = assigned(clinician, patient, imported(clinician.clinic, None, document=document))
    client = logged_in(patient.user)

    page = client.get(f"/me/questionnaires/{assignment.pk}/").content.decode()
    answer(client, assignment, {"q-1": 3})

    assert "<h2>Section 1</h2>" in page and "Display 1" in page
    assert Response.objects.get().response["item"] == [
        {"linkId": "g-1", "item": [{"linkId": "q-1", "answer": [{"valueInteger": 3}]}]}
    ]


def test_it_audits_the_patients_answers(clinician: User, patient: Patient) -> None:
    response = answered(clinician, patient, "rmdq", {f"q-{n}": False for n in range(1, 25)})

    event = AuditEvent.objects.get(action="instrument.response.create")
    assert (event.actor, event.patient_id, event.object_id, event.outcome) == (
        patient.user,
        patient.pk,
        str(response.pk),
        "ok",
    )
    assert response.score == 0
