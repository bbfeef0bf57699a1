"""Raising alerts (idempotently), e-mailing the clinic, listing and acknowledging them."""

from __future__ import annotations

import logging
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from backcare.accounts.language import language_of
from backcare.accounts.models import User
from backcare.alerts.models import Alert
from backcare.audit import trail
from backcare.links import absolute_url
from backcare.patients.models import Patient, RedFlagScreen

logger = logging.getLogger(__name__)

URGENT_SUBJECT = {
    "emergency_now": gettext_lazy("URGENT: a patient was told to go to an emergency department"),
    "same_day": gettext_lazy("Urgent: a patient was told to see a doctor today"),
    "doctor_this_week": gettext_lazy("A patient was told to see their doctor this week"),
}


def raise_alert(
    patient: Patient,
    kind: str,
    key: str,
    message: str,
    *,
    urgency: str = "",
    actor: Any = None,
    patient_note: str = "",
) -> tuple[Alert, bool]:
    """Create the alert unless the same event already raised one; returns (alert, created)."""
    with transaction.atomic():
        alert, created = Alert.objects.get_or_create(
            patient=patient,
            kind=kind,
            key=key,
            defaults={"message": message, "urgency": urgency, "patient_note": patient_note},
        )
        if created:
            trail.note(actor, "alert.raise", patient_id=patient.pk, obj=alert, kind=kind)
    return alert, created


def email_clinicians(alert: Alert) -> None:
    """Tell every clinician of the patient's clinic. The e-mail names no patient and no symptom
    (e-mail is not a private channel): it says how urgent it is and links to the alert list."""
    clinicians = User.objects.filter(
        clinic_id=alert.patient.clinic_id, role=User.Role.CLINICIAN, is_active=True
    ).exclude(email="")
    by_language: dict[str, list[User]] = {}
    for clinician in clinicians:
        by_language.setdefault(clinician.language, []).append(clinician)
    link = absolute_url(reverse("alert_list"))
    for users in by_language.values():  # one e-mail per language, each in its readers' language
        with language_of(users[0]):
            subject = str(
                URGENT_SUBJECT.get(alert.urgency)
                or gettext("backcare alert: %(kind)s") % {"kind": alert.get_kind_display()}
            )
            body = gettext(
                "%(subject)s.\n\nA patient of %(clinic)s needs your attention. "
                "Log in to see who and why:\n\n%(link)s\n"
            ) % {"subject": subject, "clinic": alert.patient.clinic.name, "link": link}
        try:
            send_mail(subject, body, None, [user.email for user in users])
        except Exception:  # a mail outage must never hide the advice from the patient
            logger.exception("could not e-mail the alert %s; it is on the alert list", alert.pk)


RED_FLAG_ACTION_WORDS = {
    "emergency_now": pgettext_lazy("alert action", "emergency now"),
    "same_day": pgettext_lazy("alert action", "same day"),
    "doctor_this_week": pgettext_lazy("alert action", "doctor this week"),
}


def red_flag_words(screen: RedFlagScreen) -> str:
    """A red-flag alert's message in the reader's language (it is stored in English)."""
    conditions = ", ".join(sorted({gettext(flag.condition) for flag in screen.flags}))
    action = RED_FLAG_ACTION_WORDS.get(screen.action, screen.action.replace("_", " "))
    words = {"conditions": conditions, "action": action}
    by = screen.screened_by
    if by is not None and by.is_patient:
        return gettext("The patient reported a red flag (%(conditions)s): %(action)s.") % words
    who = by.get_username() if by is not None else "—"
    return gettext("%(who)s recorded a red flag (%(conditions)s): %(action)s.") % (
        words | {"who": who}
    )


def open_alerts(by: User) -> list[Alert]:
    """The clinician's clinic's alerts, unacknowledged first (audited as one list read); each
    with ``shown_message``, its message in the reader's language."""
    alerts = list(Alert.objects.for_actor(by).select_related("patient", "acknowledged_by")[:200])
    trail.read(by, "alert.list", count=len(alerts))
    return _with_words(by, alerts)


def patient_alerts(by: User, patient: Patient) -> list[Alert]:
    """``patient``'s unacknowledged alerts, as ``open_alerts`` shows them; not audited on its
    own: it is part of reading the patient's record, which writes that request's row."""
    alerts = Alert.objects.for_actor(by).filter(patient=patient, acknowledged_at=None)
    return _with_words(by, list(alerts.select_related("patient")))


def _with_words(by: User, alerts: list[Alert]) -> list[Alert]:
    screen_ids = [
        int(a.key.removeprefix("screen-"))
        for a in alerts
        if a.kind == "red_flag" and a.key.removeprefix("screen-").isdigit()
    ]
    screens = RedFlagScreen.objects.for_actor(by).filter(pk__in=screen_ids)
    words = {f"screen-{s.pk}": red_flag_words(s) for s in screens.select_related("screened_by")}
    for alert in alerts:
        alert.shown_message = words.get(alert.key) or gettext(alert.message)  # type: ignore[attr-defined]
    return alerts


@transaction.atomic
def acknowledge(by: User, alert: Alert) -> None:
    if alert.acknowledged_at is None:
        alert.acknowledged_by = by
        alert.acknowledged_at = timezone.now()
        alert.save(update_fields=["acknowledged_by", "acknowledged_at"])
    trail.note(by, "alert.acknowledge", patient_id=alert.patient_id, obj=alert)
