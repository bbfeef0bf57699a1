"""Who may see which patient data, and fetching it for a request: scoped, noted on the audit
trail, and "not found" when it is not theirs.

Pages use :func:`get_for_actor_or_404` and :func:`own_patient_or_404`; the JSON API uses
:func:`clinic_patient_or_problem` and :func:`own_patient_or_problem`, which answer a problem
document instead of a page. Each notes its read (or its refusal, against the patient the lookup
aimed at) on the request's audit row (:mod:`backcare.audit.trail`); a write the view goes on to
make replaces the read on that row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.auth.decorators import user_passes_test
from django.db import models
from django.http import Http404, HttpResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from backcare.audit import trail
from backcare.audit.models import AuditEvent
from backcare.patients.models import Patient
from backcare.problems import ApiProblem

__all__ = [
    "clinic_patient_or_problem",
    "clinician_required",
    "get_for_actor_or_404",
    "own_patient_or_404",
    "own_patient_or_problem",
    "patient_id_of",
    "patient_of",
]

M = TypeVar("M", bound=models.Model)
View = TypeVar("View", bound=Callable[..., HttpResponse])
PATIENTS_ONLY = _("Only a patient's own login has a /me/ record.")


def clinician_required(view: View) -> View:
    """Clinic pages: a clinician of a clinic, else the login page (anyone signed in as someone
    else is sent there too, to sign in as a clinician)."""
    return user_passes_test(lambda u: u.is_authenticated and u.is_clinician)(view)


def patient_id_of(obj: models.Model) -> int | None:
    """The id of the patient an object belongs to, following the model's ``patient_path``."""
    path = getattr(type(obj), "patient_path", "patient")
    target: Any = obj
    for part in filter(None, path.split("__")):
        target = getattr(target, part)
    return int(target.pk)


def _found(user: Any, model: type[M], action: str, lookup: dict[str, Any]) -> M | None:
    """The object if ``user`` may see it, noted as a read; else None, noted as a refusal."""
    manager: Any = model._default_manager
    obj: M | None = manager.for_actor(user).filter(**lookup).first()
    if obj is None:
        trail.note(
            user,
            action,
            patient_id=manager.patient_targeted(**lookup),
            outcome=AuditEvent.Outcome.NOT_FOUND,
            lookup={key: str(value) for key, value in lookup.items()},
        )
    else:
        trail.read(user, action, patient_id=patient_id_of(obj), obj=obj)
    return obj


def get_for_actor_or_404(user: Any, model: type[M], action: str, **lookup: Any) -> M:
    """A page's object: the one ``lookup`` names if ``user`` may see it, else 404."""
    obj = _found(user, model, action, lookup)
    if obj is None:
        raise Http404(f"No {model._meta.verbose_name} found.")
    return obj


def clinic_patient_or_problem(user: Any, patient_id: int, action: str) -> Patient:
    """An API operation's patient, for clinicians only (a patient's own record is under
    ``/me/``): the patient if they are one of the clinician's, else a 404 problem."""
    if getattr(user, "is_clinician", False):
        patient = _found(user, Patient, action, {"pk": patient_id})
    else:
        trail.note(user, action, patient_id=patient_id, outcome=AuditEvent.Outcome.NOT_FOUND)
        patient = None
    if patient is None:
        raise ApiProblem(404, gettext("No patient %(id)s in your clinic.") % {"id": patient_id})
    return patient


def patient_of(user: Any) -> Patient | None:
    """The patient record of a patient's own login, or None for anyone else.

    Read with the clinic (the patient's time zone falls back to the clinic's, and nearly every
    page dates something) and kept as ``user.patient``, so the page's template (the demo banner)
    does not read the record again.
    """
    if not getattr(user, "is_patient", False):
        return None
    patient = Patient.objects.for_actor(user).filter(user=user).select_related("clinic").first()
    if patient is not None:
        user.patient = patient
    return patient


def own_patient_or_404(user: Any) -> Patient:
    """The logged-in patient's own record; anyone else (clinicians included) gets a 404."""
    patient = patient_of(user)
    if patient is None:
        raise Http404("These pages are for patients.")
    return patient


def own_patient_or_problem(user: Any, action: str) -> Patient:
    """The API's ``/me/``: the logged-in patient's own record, else a 404 problem (noted)."""
    patient = patient_of(user)
    if patient is None:
        trail.note(user, action, outcome=AuditEvent.Outcome.NOT_FOUND, reason="not a patient")
        raise ApiProblem(404, str(PATIENTS_ONLY))
    return patient
