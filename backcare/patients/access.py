"""Fetching one patient-data object for a request: scoped, audited, 404 when not theirs."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.http import Http404

from backcare.audit.models import AuditEvent
from backcare.audit.services import record
from backcare.patients.models import Patient

M = TypeVar("M", bound=models.Model)


def patient_id_of(obj: models.Model) -> int | None:
    """The id of the patient an object belongs to, following the model's ``patient_path``."""
    path = getattr(type(obj), "patient_path", "patient")
    target: Any = obj
    for part in filter(None, path.split("__")):
        target = getattr(target, part)
    return int(target.pk)


def get_for_actor_or_404(
    user: Any, model: type[M], action: str, *, audit_found: bool = True, **lookup: Any
) -> M:
    """The object if ``user`` may see it, else 404; either way one audit row is written, a
    refusal's against the patient the lookup aimed at (if there is one).

    ``audit_found=False`` when the caller always records its own row for the object it found
    (a write that cannot be skipped), so the request leaves one row, not a read and a write.
    """
    manager: Any = model.objects  # type: ignore[attr-defined]
    obj = manager.for_actor(user).filter(**lookup).first()
    if obj is None:
        record(
            user,
            action,
            patient_id=manager.patient_targeted(**lookup),
            outcome=AuditEvent.Outcome.NOT_FOUND,
            lookup=_plain(lookup),
        )
        raise Http404(f"No {model._meta.verbose_name} found.")
    if audit_found:
        record(user, action, patient_id=patient_id_of(obj), obj=obj)
    return obj  # type: ignore[no-any-return]


def record_found(user: Any, action: str, obj: models.Model) -> None:
    """The row of an object looked up with ``audit_found=False``, on a path that writes nothing
    (a form error, a refused change), so that request still leaves its one row."""
    record(user, action, patient_id=patient_id_of(obj), obj=obj)


def _plain(lookup: dict[str, Any]) -> dict[str, str]:
    return {key: str(value) for key, value in lookup.items()}


def patient_of(user: Any) -> Patient | None:
    """The patient record of a patient's own login, or None for anyone else."""
    if not getattr(user, "is_patient", False):
        return None
    return Patient.objects.for_actor(user).filter(user=user).first()


def own_patient_or_404(user: Any) -> Patient:
    """The logged-in patient's own record; anyone else (clinicians included) gets a 404."""
    patient = patient_of(user)
    if patient is None:
        raise Http404("These pages are for patients.")
    return patient
