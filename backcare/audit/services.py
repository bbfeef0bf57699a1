"""Writing the audit trail.

Rows can never be changed or removed (database triggers refuse it), so nothing that names a
person may go into one: the actor is labelled by role and user id, and e-mail addresses inside
``detail`` are replaced before the row is written. Callers put ids, counts, codes and field names
in ``detail``, never names or free text quoted from a person or a mail server.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.db import models
from django.db.models import Q

from backcare.accounts.models import User
from backcare.audit.models import AuditEvent
from backcare.patients.models import Patient

__all__ = [
    "EMAIL_PLACEHOLDER",
    "PATIENTS",
    "SYSTEM",
    "actor_label",
    "clinic_events",
    "csv_row",
    "detail_text",
    "filtered",
    "is_clinic_admin",
    "is_clinic_patient",
    "plain_filters",
    "record",
    "staff_of",
]

SYSTEM = "system"
PATIENTS = "patients"
"""The viewer's two "who" choices beside each staff member: jobs, and any patient's login."""

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
EMAIL_PLACEHOLDER = "[e-mail address]"


def actor_label(actor: Any) -> str:
    """``role:id`` for a login, ``anonymous`` or ``system``: never a username or a name."""
    if actor is None:
        return "system"
    if not actor.is_authenticated:
        return "anonymous"
    return f"{getattr(actor, 'role', 'user')}:{actor.pk}"


def _without_addresses(value: Any) -> Any:
    if isinstance(value, str):
        return EMAIL.sub(EMAIL_PLACEHOLDER, value)
    if isinstance(value, list | tuple):
        return [_without_addresses(item) for item in value]
    if isinstance(value, dict):
        return {key: _without_addresses(item) for key, item in value.items()}
    return value


def record(
    actor: Any,
    action: str,
    *,
    patient_id: int | None = None,
    obj: models.Model | None = None,
    outcome: str = AuditEvent.Outcome.OK,
    **detail: Any,
) -> AuditEvent:
    """Append one audit row; call it inside the transaction of the read or write it describes.

    ``actor`` is the user (anonymous allowed), or None for the system itself (seeding, jobs).
    """
    if patient_id is not None and not -(2**63) <= patient_id < 2**63:
        detail["patient_id_asked"] = str(patient_id)  # a junk id: keep it, outside the column
        patient_id = None
    authenticated = actor is not None and actor.is_authenticated
    return AuditEvent.objects.create(
        actor=actor if authenticated else None,
        actor_label=actor_label(actor),
        action=action,
        patient_id=patient_id,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        outcome=outcome,
        detail=_without_addresses(detail),
    )


# --- reading the trail: the clinic admin's viewer ----------------------------------------------


def is_clinic_admin(user: Any) -> bool:
    """An active login with the role ``admin`` and a clinic: the one who may read its trail.

    A separate login from the clinicians on purpose: whoever reviews access to patient data is
    not one of the people whose access is reviewed, and does not see patient records.
    """
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and getattr(user, "role", "") == User.Role.ADMIN
        and getattr(user, "clinic_id", None) is not None
    )


def staff_of(clinic_id: int) -> dict[int, str]:
    """The clinic's staff logins (clinicians and admins) as id -> username."""
    staff = User.objects.filter(clinic_id=clinic_id).exclude(role=User.Role.PATIENT)
    return dict(staff.order_by("username").values_list("pk", "username"))


def clinic_events(clinic_id: int) -> models.QuerySet[AuditEvent]:
    """Events about the clinic's patients or done by its people (staff, or its patients' logins).

    Reads patient ids only (not patient data) straight from the table: the admin is no
    clinician, so the scoped managers would rightly show them no patient.
    """
    ours = Patient.objects.filter(clinic_id=clinic_id).values("pk")
    return AuditEvent.objects.filter(
        Q(patient_id__in=ours)
        | Q(actor__clinic_id=clinic_id)
        | Q(actor__patient__clinic_id=clinic_id)
    ).order_by("-at", "-id")


def is_clinic_patient(clinic_id: int, patient_id: int) -> bool:
    """Whether the patient number is one of the clinic's. Ids only, straight from the table, as
    ``clinic_events``: the admin is no clinician, so the scoped manager shows them no patient."""
    return Patient.objects.filter(clinic_id=clinic_id, pk=patient_id).exists()


def filtered(events: models.QuerySet[AuditEvent], filters: dict[str, Any]) -> Any:
    """``events`` narrowed by the viewer's cleaned filters (empty ones ignored)."""
    if filters.get("date_from"):
        events = events.filter(at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        events = events.filter(at__date__lte=filters["date_to"])
    actor = filters.get("actor")
    if actor == SYSTEM:
        events = events.filter(actor=None)
    elif actor == PATIENTS:
        events = events.filter(actor__role=User.Role.PATIENT)
    elif actor:
        events = events.filter(actor_id=int(actor))
    if filters.get("patient") is not None:
        events = events.filter(patient_id=filters["patient"])
    if filters.get("action"):
        events = events.filter(action__startswith=filters["action"])
    if filters.get("outcome"):
        events = events.filter(outcome=filters["outcome"])
    return events


def plain_filters(filters: dict[str, Any]) -> dict[str, str]:
    """The filters that were set, as text, for the viewer's own audit row."""
    return {key: str(value) for key, value in filters.items() if value not in (None, "")}


CSV_HEADER = [
    "at",
    "actor",
    "staff_username",
    "action",
    "patient_id",
    "object_type",
    "object_id",
    "outcome",
    "detail",
]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def detail_text(event: AuditEvent) -> str:
    """The details as compact JSON, keys sorted, as the viewer and the CSV show them."""
    return json.dumps(event.detail, sort_keys=True, ensure_ascii=False) if event.detail else ""


def csv_row(event: AuditEvent, staff: dict[int, str]) -> list[str]:
    """One event as CSV cells; text a spreadsheet would run as a formula is quoted with '."""
    cells = [
        event.at.isoformat(),
        event.actor_label,
        staff.get(event.actor_id or 0, ""),
        event.action,
        "" if event.patient_id is None else str(event.patient_id),
        event.object_type,
        event.object_id,
        event.outcome,
        detail_text(event),
    ]
    return [f"'{cell}" if cell.startswith(FORMULA_START) else cell for cell in cells]
