"""Raising alerts (idempotently), e-mailing the clinic, listing and acknowledging them."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from backcare.accounts.models import User
from backcare.alerts.models import Alert
from backcare.audit.services import record
from backcare.patients.models import Patient

logger = logging.getLogger(__name__)

URGENT_SUBJECT = {
    "emergency_now": "URGENT: a patient was told to go to an emergency department",
    "same_day": "Urgent: a patient was told to see a doctor today",
    "doctor_this_week": "A patient was told to see their doctor this week",
}


def raise_alert(
    patient: Patient, kind: str, key: str, message: str, *, urgency: str = "", actor: Any = None
) -> tuple[Alert, bool]:
    """Create the alert unless the same event already raised one; returns (alert, created)."""
    with transaction.atomic():
        alert, created = Alert.objects.get_or_create(
            patient=patient, kind=kind, key=key,
            defaults={"message": message, "urgency": urgency},
        )  # fmt: skip
        if created:
            record(actor, "alert.raise", patient_id=patient.pk, obj=alert, kind=kind)
    return alert, created


def email_clinicians(alert: Alert) -> None:
    """Tell every clinician of the patient's clinic. The e-mail names no patient and no symptom
    (e-mail is not a private channel): it says how urgent it is and links to the alert list."""
    recipients = list(
        User.objects.filter(
            clinic_id=alert.patient.clinic_id, role=User.Role.CLINICIAN, is_active=True
        )
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not recipients:
        return
    subject = URGENT_SUBJECT.get(alert.urgency, f"backcare alert: {alert.get_kind_display()}")
    link = settings.BASE_URL + reverse("alert_list")
    body = (
        f"{subject}.\n\nA patient of {alert.patient.clinic.name} needs your attention. "
        f"Log in to see who and why:\n\n{link}\n"
    )
    try:
        send_mail(subject, body, None, recipients)
    except Exception:  # a mail outage must never hide the advice from the patient
        logger.exception("could not e-mail the alert %s; it is on the alert list", alert.pk)


def open_alerts(by: User) -> list[Alert]:
    """The clinician's clinic's alerts, unacknowledged first (audited as one list read)."""
    alerts = list(Alert.objects.for_actor(by).select_related("patient", "acknowledged_by")[:200])
    record(by, "alert.list", count=len(alerts))
    return alerts


@transaction.atomic
def acknowledge(by: User, alert: Alert) -> None:
    if alert.acknowledged_at is None:
        alert.acknowledged_by = by
        alert.acknowledged_at = timezone.now()
        alert.save(update_fields=["acknowledged_by", "acknowledged_at"])
    record(by, "alert.acknowledge", patient_id=alert.patient_id, obj=alert)
