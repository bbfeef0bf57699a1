"""Writing the audit trail."""

from __future__ import annotations

from typing import Any

from django.db import models

from backcare.audit.models import AuditEvent


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
    label = actor.get_username() if authenticated else "anonymous" if actor else "system"
    return AuditEvent.objects.create(
        actor=actor if authenticated else None,
        actor_label=label,
        action=action,
        patient_id=patient_id,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        outcome=outcome,
        detail=detail,
    )
