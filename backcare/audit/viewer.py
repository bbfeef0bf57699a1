"""Reading the audit trail: the clinic admin's viewer (its filters and its CSV).

Rows are written by :mod:`backcare.audit.trail` only.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import models
from django.db.models import Q

from backcare.accounts.models import User
from backcare.audit.models import AuditEvent
from backcare.patients.models import Patient

__all__ = [
    "PATIENTS",
    "SYSTEM",
    "clinic_events",
    "csv_row",
    "detail_text",
    "filtered",
    "is_clinic_patient",
    "plain_filters",
    "staff_of",
    "with_action",
]

SYSTEM = "system"
PATIENTS = "patients"
"""The viewer's two "who" choices beside each staff member: jobs, and any patient's login."""


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
        events = with_action(events, filters["action"])
    if filters.get("outcome"):
        events = events.filter(outcome=filters["outcome"])
    return events


def with_action(events: models.QuerySet[AuditEvent], start: str) -> models.QuerySet[AuditEvent]:
    """The events whose action, or one of the further writes the row carries, starts so."""
    return events.filter(Q(action__startswith=start) | Q(detail__also__icontains=f'"{start}'))


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
