"""The e-mail reminder job: run it every 15 minutes; each patient-day gets at most one e-mail.

Each run looks at the last ``LOOKBACK`` (and never before the schedule was last saved, so moving
today's time to an earlier hour does not send a late reminder at once). For every scheduled time
that fell in that window it **claims** the day with a ``ReminderDelivery`` row (unique per
patient and local day), then decides: skip, or send. The claim comes first, so two runs at once,
or a run repeated, send one e-mail; a failed send marks the row for the next run to retry while
the time is still in the window. A run that dies between the claim and the send leaves the row
``sending``: that day is not retried, because one missed reminder is better than two sent.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from backcare.accounts.rules import thresholds_for
from backcare.audit import trail
from backcare.core.progression.adherence import counts_as_done
from backcare.links import absolute_url
from backcare.logbook.models import Session
from backcare.logbook.services import session_summary
from backcare.patients.models import Patient
from backcare.programmes.models import Programme
from backcare.reminders.calendar import session_url
from backcare.reminders.models import ReminderDelivery, ReminderSchedule
from backcare.reminders.services import language_of

logger = logging.getLogger(__name__)

LOOKBACK = timedelta(hours=2)
"""How late a reminder may still go out: a run missed (server restart, mail outage) is caught up
within two hours; after that the moment has passed and a reminder would only be noise."""

Delivery = ReminderDelivery.Status


@dataclass(frozen=True)
class ReminderReport:
    """What one run did: e-mails sent, days skipped (with why), failed sends, days done already."""

    sent: int
    failed: int
    already: int
    skipped: dict[str, int]


def send_reminders(now: datetime | None = None) -> ReminderReport:
    """Send every reminder that fell due in the window; idempotent, never raises for one patient."""
    now = now or timezone.now()
    tally: Counter[str] = Counter()
    schedules = ReminderSchedule.objects.filter(email_enabled=True).select_related(
        "patient__user", "patient__clinic"
    )
    for schedule in schedules.order_by("pk"):
        try:
            due = schedule.core.due_between(max(now - LOOKBACK, schedule.updated_at), now)
            for local_date, due_at in due:
                tally[remind(schedule.patient, local_date, due_at, now)] += 1
        except Exception:  # one bad row must not stop everyone else's reminders
            logger.exception("reminders: could not handle schedule %s", schedule.pk)
            tally["failed"] += 1
    skipped = {key.removeprefix("skipped:"): n for key, n in tally.items() if ":" in key}
    return ReminderReport(tally["sent"], tally["failed"], tally["already"], skipped)


def remind(patient: Patient, local_date: date, due_at: datetime, now: datetime) -> str:
    """Claim the patient's day, then skip it or send the e-mail; returns what happened."""
    delivery = _claim(patient, local_date, due_at, now)
    if delivery is None:
        return "already"
    reason = skip_reason(patient, local_date)
    if reason:
        _finish(delivery, Delivery.SKIPPED, "reminders.email.skip", note=reason)
        return f"skipped:{reason}"
    try:
        _send(patient)
    except Exception as error:  # a mail outage: keep the day open for the next run
        logger.warning("reminders: e-mail to patient %s failed: %s", patient.pk, error)
        _finish(
            delivery,
            Delivery.FAILED,
            "reminders.email.fail",
            note=str(error)[:300],
            audit_note=type(error).__name__,
        )
        return "failed"
    _finish(delivery, Delivery.SENT, "reminders.email.send", sent_at=timezone.now())
    return "sent"


def skip_reason(patient: Patient, local_date: date) -> str:
    """Why this patient gets no reminder on ``local_date``; empty when they should get one."""
    user = patient.user
    schedule = ReminderSchedule.objects.filter(patient=patient).first()
    if schedule is None or not schedule.email_enabled:
        return "reminders_off"
    if user is None or not user.is_active:
        return "inactive_user"
    if not (user.email or patient.email):
        return "no_email"
    if not patient.programme_set.filter(status=Programme.Status.ACTIVE).exists():
        return "no_programme"
    if patient.red_flag_open:
        return "paused"
    if done_on(patient, local_date):
        return "done_today"
    return ""


def done_on(patient: Patient, local_date: date) -> bool:
    """Whether a session that counts as done (``counts_as_done``, the clinic's minimum share of
    its exercises) was logged on ``local_date``. Reason: a session opened and all skipped is not
    exercise done; it must not silence the reminder, as it does not count toward adherence."""
    min_share = thresholds_for(patient.clinic).min_share_of_exercises_done
    sessions = Session.objects.filter(patient=patient, performed_on=local_date)
    return any(
        counts_as_done(session_summary(s), min_share)
        for s in sessions.prefetch_related("exercises")
    )


def _claim(
    patient: Patient, local_date: date, due_at: datetime, now: datetime
) -> ReminderDelivery | None:
    """The day's delivery row, now ours to act on; None when another run has it or it is done."""
    try:
        with transaction.atomic():
            return ReminderDelivery.objects.create(
                patient=patient, local_date=local_date, due_at=due_at, claimed_at=now
            )
    except IntegrityError:
        pass
    retry = ReminderDelivery.objects.filter(
        patient=patient, local_date=local_date, status=Delivery.FAILED
    )
    # a conditional update is atomic: of two runs retrying at once, one changes the row
    if retry.update(status=Delivery.SENDING, attempts=F("attempts") + 1, claimed_at=now) != 1:
        return None
    return ReminderDelivery.objects.get(patient=patient, local_date=local_date)


def _finish(
    delivery: ReminderDelivery, status: str, action: str, audit_note: str = "", **fields: object
) -> None:
    """The delivery row keeps the note (a mail server's words, erased with the patient); the
    append-only audit row gets ``audit_note`` instead when given: the error's kind, never its
    message, which can quote the address."""
    server_note = str(fields.pop("note", ""))
    with transaction.atomic():
        ReminderDelivery.objects.filter(pk=delivery.pk).update(
            status=status, note=server_note, **fields
        )
        trail.note(
            None,
            action,
            patient_id=delivery.patient_id,
            obj=delivery,
            local_date=delivery.local_date.isoformat(),
            attempts=delivery.attempts,
            note=audit_note or server_note,
        )


def _send(patient: Patient) -> None:
    """The reminder e-mail: no diagnosis, no symptom, in the patient's language."""
    user = patient.user
    assert user is not None
    with translation.override(language_of(patient)):
        subject = _("Time for your exercises")
        body = _(
            "Hello %(name)s,\n\n"
            "This is the reminder you asked for: today is one of your exercise days.\n\n"
            "When you are ready, open your session:\n%(session_url)s\n\n"
            "To change the days or the time, or to stop these e-mails:\n%(reminders_url)s\n"
        ) % {
            "name": patient.first_name,
            "session_url": session_url(),
            "reminders_url": absolute_url(reverse("my_reminders")),
        }
        send_mail(subject, body, None, [user.email or patient.email])
