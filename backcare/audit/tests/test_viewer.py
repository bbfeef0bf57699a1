"""The clinic admin's audit viewer: their clinic's events only, filtered, paged, exported."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from backcare.accounts.models import Clinic, User
from backcare.audit.models import AuditEvent
from backcare.patients.models import Patient
from backcare.testing import PASSWORD, audit_row, logged_in, make_patient

pytestmark = pytest.mark.django_db
URL = reverse("audit_log")
CSV_URL = reverse("audit_export")


def _admin(clinic: Clinic, username: str) -> User:
    return User.objects.create_user(
        username, f"{username}@example.org", PASSWORD, role=User.Role.ADMIN, clinic=clinic
    )


@pytest.fixture
def admin(clinic: Clinic) -> User:
    return _admin(clinic, "ada")


@pytest.fixture
def other_admin(outsider: User) -> User:
    return _admin(outsider.clinic, "otto")  # type: ignore[arg-type]


@pytest.fixture
def trail(patient: Patient, clinician: User, outsider: User) -> dict[str, AuditEvent]:
    """Ours: about our patient, by our clinician, by our patient. Theirs: the other clinic's."""
    theirs = make_patient(outsider.clinic, "tess")  # type: ignore[arg-type]
    return {
        "about_ours": audit_row(None, "review.propose", patient_id=patient.pk),
        "by_our_clinician": audit_row(clinician, "patient.list", count=3),
        "by_our_patient": audit_row(patient.user, "account.language", language="es"),
        "about_theirs": audit_row(outsider, "patient.view", patient_id=theirs.pk),
        "by_their_clinician": audit_row(outsider, "patient.list", count=1),
    }


def _shown(response: Any) -> set[int]:
    return {row[0].pk for row in response.context["rows"]}


def _csv(response: Any) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_admin_sees_their_clinics_events_only(
    admin: User, trail: dict[str, AuditEvent]
) -> None:
    response = logged_in(admin).get(URL)
    assert response.status_code == 200
    ours = {trail[k].pk for k in ("about_ours", "by_our_clinician", "by_our_patient")}
    assert _shown(response) == ours
    assert f"clinician:{trail['by_our_clinician'].actor_id} (alice)" in response.content.decode()
    assert "{&quot;count&quot;: 3}" in response.content.decode()  # details as JSON


def test_another_clinics_admin_sees_nothing_of_ours(
    other_admin: User, trail: dict[str, AuditEvent]
) -> None:
    response = logged_in(other_admin).get(URL)
    assert _shown(response) == {trail["about_theirs"].pk, trail["by_their_clinician"].pk}
    exported = {int(row["patient_id"] or 0) for row in _csv(logged_in(other_admin).get(CSV_URL))}
    assert trail["about_ours"].patient_id not in exported


@pytest.mark.parametrize("who", ["clinician", "patient", "other_patient"])
def test_clinicians_and_patients_are_refused(
    who: str, request: pytest.FixtureRequest, trail: dict[str, AuditEvent]
) -> None:
    persona = request.getfixturevalue(who)
    user = persona if isinstance(persona, User) else persona.user
    for url in (URL, CSV_URL):
        assert logged_in(user).get(url).status_code == 403


def test_visitors_are_sent_to_log_in(trail: dict[str, AuditEvent]) -> None:
    for url in (URL, CSV_URL):
        response = Client().get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_deactivated_admin_is_refused(admin: User) -> None:
    client = logged_in(admin)
    User.objects.filter(pk=admin.pk).update(is_active=False)
    assert client.get(URL).status_code == 302  # an inactive login is logged out


def test_it_lists_newest_first_fifty_a_page(admin: User, patient: Patient) -> None:
    for n in range(55):
        audit_row(None, "review.propose", patient_id=patient.pk, n=n)
    first = logged_in(admin).get(URL)
    assert [row[0].detail["n"] for row in first.context["rows"]][:3] == [54, 53, 52]
    assert len(first.context["rows"]) == 50
    second = logged_in(admin).get(URL, {"page": "2", "action": "review."})
    assert [row[0].detail["n"] for row in second.context["rows"]] == [4, 3, 2, 1, 0]
    assert "action=review." in second.content.decode()  # the pager keeps the filters


def test_each_filter_narrows_the_rows(
    admin: User, clinician: User, patient: Patient, other_patient: Patient, time_machine: Any
) -> None:
    time_machine.move_to(datetime(2026, 3, 1, 12, tzinfo=UTC), tick=False)
    old = audit_row(clinician, "patient.view", patient_id=patient.pk)
    time_machine.move_to(datetime(2026, 3, 10, 12, tzinfo=UTC), tick=False)
    refused = audit_row(
        clinician, "patient.view", patient_id=other_patient.pk, outcome=AuditEvent.Outcome.NOT_FOUND
    )
    system = audit_row(None, "reminders.email.send", patient_id=patient.pk)
    by_patient = audit_row(patient.user, "logbook.today.view", patient_id=patient.pk)
    client = logged_in(admin)
    cases = [
        ({"date_to": "2026-03-05"}, {old}),
        ({"date_from": "2026-03-05", "action": "patient."}, {refused}),
        ({"actor": str(clinician.pk)}, {old, refused}),
        ({"actor": "system"}, {system}),
        ({"actor": "patients"}, {by_patient}),
        ({"patient": str(other_patient.pk)}, {refused}),
        ({"action": "reminders."}, {system}),
        ({"outcome": "not_found"}, {refused}),
    ]
    for filters, expected in cases:
        response = client.get(URL, filters)
        assert response.status_code == 200, filters
        assert _shown(response) - {
            e.pk for e in AuditEvent.objects.filter(action="audit.view")
        } == {e.pk for e in expected}, filters


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ({"date_from": "2026-03-05", "date_to": "2026-03-01"}, "date_to"),
        ({"date_from": "yesterday"}, "date_from"),
        ({"patient": "abc"}, "patient"),
        ({"patient": "99999999999999999999999"}, "patient"),
        ({"actor": "12345"}, "actor"),
        ({"outcome": "maybe"}, "outcome"),
    ],
)
def test_bad_filters_get_a_form_error_not_a_500(
    admin: User, filters: dict[str, str], field: str
) -> None:
    for url in (URL, CSV_URL):
        response = logged_in(admin).get(url, filters)
        assert response.status_code == 400
        assert field in response.context["form"].errors


def test_a_patient_of_another_clinic_is_refused_and_their_trail_untouched(
    admin: User, outsider: User
) -> None:
    theirs = make_patient(outsider.clinic, "tess")  # type: ignore[arg-type]
    for url in (URL, CSV_URL):
        response = logged_in(admin).get(url, {"patient": str(theirs.pk)})
        assert response.status_code == 400 and "patient" in response.context["form"].errors
    assert not AuditEvent.objects.filter(patient_id=theirs.pk).exists()


@pytest.mark.parametrize("typed", ["Zebedee Quartermaine", "tess@example.org", "no.such.action"])
def test_typed_text_that_is_no_action_is_refused_and_never_stored(
    admin: User, trail: dict[str, AuditEvent], typed: str
) -> None:
    for url in (URL, CSV_URL):
        response = logged_in(admin).get(url, {"action": typed})
        assert response.status_code == 400 and "action" in response.context["form"].errors
    stored = [json.dumps(e.detail) for e in AuditEvent.objects.all()]
    assert not any(typed in text for text in stored)


def test_the_csv_holds_the_filtered_rows_and_is_audited(
    admin: User, clinician: User, patient: Patient, trail: dict[str, AuditEvent]
) -> None:
    response = logged_in(admin).get(CSV_URL, {"patient": str(patient.pk)})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _csv(response)
    assert [row["action"] for row in rows] == ["review.propose"]
    export = AuditEvent.objects.get(action="audit.export")
    assert (export.actor, export.patient_id, export.detail["rows"]) == (admin, patient.pk, 1)
    assert export.detail["filters"] == {"patient": str(patient.pk)}


def test_the_csv_names_staff_and_defuses_spreadsheet_formulas(
    admin: User, clinician: User, patient: Patient
) -> None:
    audit_row(clinician, "=HYPERLINK(1)", patient_id=patient.pk)
    rows = _csv(logged_in(admin).get(CSV_URL, {"actor": str(clinician.pk)}))
    assert rows[0]["action"] == "'=HYPERLINK(1)"
    assert (rows[0]["actor"], rows[0]["staff_username"]) == (f"clinician:{clinician.pk}", "alice")


def test_viewing_is_audited(admin: User, patient: Patient) -> None:
    logged_in(admin).get(URL, {"patient": str(patient.pk), "outcome": "ok"})
    seen = AuditEvent.objects.get(action="audit.view")
    assert (seen.actor, seen.patient_id) == (admin, patient.pk)
    assert seen.detail["filters"] == {"patient": str(patient.pk), "outcome": "ok"}


@pytest.mark.parametrize("language", ["en-gb", "es"])
def test_the_page_has_nothing_the_csp_blocks_and_follows_the_language(
    admin: User, trail: dict[str, AuditEvent], language: str
) -> None:
    response = logged_in(admin).get(URL, HTTP_ACCEPT_LANGUAGE=language)
    html = response.content.decode()
    assert f'lang="{language}"' in html
    assert "style=" not in html and "<script>" not in html and " on" + "click=" not in html


def test_the_nav_links_the_log_for_the_admin_only(admin: User, clinician: User) -> None:
    assert URL in logged_in(admin).get(URL).content.decode().split("</nav>")[0]
    page = logged_in(clinician).get(reverse("patient_list")).content.decode()
    assert URL not in page


def test_the_command_creates_an_admin_who_lands_on_the_log(clinic: Clinic) -> None:
    from django.core.management import call_command

    out = io.StringIO()
    call_command(
        "create_clinic_admin", "--clinic", str(clinic.pk), "ada", "ada@example.org", stdout=out
    )
    admin = User.objects.get(username="ada")
    assert (admin.role, admin.clinic, admin.has_usable_password()) == ("admin", clinic, False)
    assert "Set the password here (one use): http" in out.getvalue()
    admin.set_password(PASSWORD)
    admin.save()
    response = logged_in(admin).get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == URL
