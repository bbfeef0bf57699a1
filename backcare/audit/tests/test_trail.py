"""The audit trail's one mechanism: one row per request, in the request's transaction, on
success, refusal and error alike; and its writer depends on nothing of backcare's above it."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from backcare.audit import trail
from backcare.audit.models import AuditEvent
from backcare.patients.models import Patient
from backcare.testing import logged_in

pytestmark = [pytest.mark.django_db, pytest.mark.urls("backcare.audit.tests.trail_urls")]
OK, NOT_FOUND, ERROR = "ok", "not_found", "error"


def _rows() -> list[AuditEvent]:
    return list(AuditEvent.objects.order_by("id"))


def _client(user: Any) -> Client:
    client = logged_in(user)
    client.raise_request_exception = False
    return client


def test_a_read_then_a_more_specific_read_leaves_the_later_one(
    clinician: Any, patient: Patient
) -> None:
    assert _client(clinician).get(f"/read/{patient.pk}/").status_code == 200
    (row,) = _rows()
    assert (row.action, row.patient_id, row.outcome) == ("patient.summary.view", patient.pk, OK)
    assert (row.object_type, row.object_id) == ("patients.Patient", str(patient.pk))
    assert row.actor_label == f"clinician:{clinician.pk}"


def test_writes_after_a_read_leave_one_row_naming_each_write(
    clinician: Any, patient: Patient
) -> None:
    assert _client(clinician).post(f"/twice/{patient.pk}/").status_code == 200
    (row,) = _rows()
    assert row.actions == ["patient.rename", "patient.rename_again"]
    assert row.detail["n"] == 2
    patient.refresh_from_db()
    assert patient.first_name == "Renamed"


def test_a_refusal_leaves_its_row_against_the_patient_aimed_at(
    outsider: Any, patient: Patient
) -> None:
    assert _client(outsider).get(f"/read/{patient.pk}/").status_code == 404
    (row,) = _rows()
    assert (row.action, row.patient_id, row.outcome) == ("patient.read", patient.pk, NOT_FOUND)


@pytest.mark.parametrize("failure", ["fail", "answer-500"])
def test_a_failed_request_rolls_back_its_writes_and_still_leaves_its_row(
    clinician: Any, patient: Patient, failure: str
) -> None:
    assert _client(clinician).post(f"/{failure}/{patient.pk}/").status_code == 500
    patient.refresh_from_db()
    assert patient.first_name != "Renamed"
    (row,) = _rows()
    assert (row.action, row.patient_id, row.outcome) == ("patient.rename", patient.pk, ERROR)
    assert row.detail["error"] == ("RuntimeError" if failure == "fail" else "server error")


def test_a_view_marked_non_atomic_keeps_its_own_writes_and_still_leaves_its_row(
    clinician: Any, patient: Patient
) -> None:
    """Views that hash passwords opt out of the request's transaction (accounts/urls.py)."""
    assert _client(clinician).post(f"/fail-outside/{patient.pk}/").status_code == 500
    patient.refresh_from_db()
    assert patient.first_name == "Renamed"
    (row,) = _rows()
    assert (row.action, row.outcome, row.detail["error"]) == (
        "patient.rename",
        ERROR,
        "RuntimeError",
    )


def test_a_request_that_touches_no_patient_data_leaves_no_row(clinician: Any) -> None:
    assert _client(clinician).get("/nothing/").status_code == 200
    assert _rows() == []


def test_outside_a_request_each_fact_is_its_own_row(patient: Patient) -> None:
    first = trail.note(None, "job.first", patient_id=patient.pk)
    second = trail.note(None, "job.second", patient_id=patient.pk)
    assert first is not None and second is not None
    assert [row.action for row in _rows()] == ["job.first", "job.second"]


def test_a_unit_gathers_a_jobs_facts_into_one_row_and_keeps_it_when_the_work_fails(
    patient: Patient,
) -> None:
    with trail.unit():
        trail.read(None, "job.read", patient_id=patient.pk)
        trail.note(None, "job.write", patient_id=patient.pk)
        trail.note(None, "job.write_more", patient_id=patient.pk)
    with pytest.raises(ValueError), trail.unit():
        trail.note(None, "job.broken", patient_id=patient.pk)
        Patient.objects.filter(pk=patient.pk).update(first_name="Lost")
        raise ValueError("stop")
    patient.refresh_from_db()
    assert patient.first_name != "Lost"
    assert [(row.actions, row.outcome) for row in _rows()] == [
        (["job.write", "job.write_more"], OK),
        (["job.broken"], ERROR),
    ]


def test_a_patient_number_outside_the_column_is_kept_in_the_details() -> None:
    row = trail.note(None, "patient.read", patient_id=2**70, outcome=NOT_FOUND)
    assert row is not None
    assert (row.patient_id, row.detail["patient_id_asked"]) == (None, str(2**70))


AUDIT = Path(trail.__file__).parent


def _backcare_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.startswith("backcare")}


def test_the_writer_is_a_bottom_layer() -> None:
    """Every app notes facts through ``trail``; it must not import any app above it."""
    assert _backcare_imports(AUDIT / "trail.py") == {"backcare.audit.models"}
    assert _backcare_imports(AUDIT / "models.py") == set()


def test_no_app_imports_the_viewer_but_the_audit_pages() -> None:
    """The viewer reads accounts and patients; only the audit app's own pages may use it."""
    root = AUDIT.parent
    users = {
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "backcare.audit.viewer" in _backcare_imports(path)
        and "tests" not in path.parts
        and path.parent != AUDIT
    }
    assert users == set()
