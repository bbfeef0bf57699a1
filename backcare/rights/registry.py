"""What backcare holds about a patient, model by model.

Two views of the same thing, kept honest against each other by a test:

- :func:`patient_linked_models` walks the app registry and finds every model with a chain of
  foreign keys (or one-to-ones) leading to a ``patients.Patient`` or to an ``accounts.User``;
- :data:`SECTIONS` says, by hand, which of those the export writes out (and the erasure deletes),
  and :data:`NOT_EXPORTED` names the rest with the reason.

A model added later with a link to a patient appears in the walk but in neither list, and the
test fails until someone decides what the export and erasure do with it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db import models

__all__ = [
    "NOT_EXPORTED",
    "SECTIONS",
    "SUBJECTS",
    "Section",
    "paths_to_subjects",
    "patient_linked_models",
]

# the person themselves: exported as their own sections, pseudonymised on erasure, never deleted
SUBJECTS = ("patients.Patient", "accounts.User")
# a few hops suffice today (motion analysis -> exercise log -> session -> patient is three)
MAX_HOPS = 5


@dataclass(frozen=True)
class Section:
    """One export section: a model's rows belonging to the patient, found along ``path``."""

    name: str
    model_label: str
    path: str
    secrets: tuple[str, ...] = ()  # columns never written out (hashes of tokens)

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.model_label)


# In delete order: a row goes before the rows it points to (sessions point to programmes with
# PROTECT, goal ratings to goals, exercise logs to programme items).
SECTIONS: tuple[Section, ...] = (
    Section("motion_analyses", "motion.MotionAnalysis", "exercise_log__session__patient"),
    Section("exercise_logs", "logbook.ExerciseLog", "session__patient"),
    Section("sessions", "logbook.Session", "patient"),
    Section("reviews", "reviews.Review", "patient"),
    Section("programme_items", "programmes.ProgrammeItem", "programme__patient"),
    Section("programmes", "programmes.Programme", "patient"),
    Section("goal_ratings", "checkins.GoalRating", "checkin__patient"),
    Section("check_ins", "checkins.CheckIn", "patient"),
    Section("goals", "checkins.Goal", "patient"),
    Section("questionnaire_responses", "instruments.Response", "patient"),
    Section("questionnaire_assignments", "instruments.Assignment", "patient"),
    Section("red_flag_screens", "patients.RedFlagScreen", "patient"),
    Section("alerts", "alerts.Alert", "patient"),
    Section("reminder_schedules", "reminders.ReminderSchedule", "patient"),
    Section("reminder_deliveries", "reminders.ReminderDelivery", "patient"),
    Section("calendar_feeds", "reminders.CalendarFeed", "patient", secrets=("token_hash",)),
    Section("invitations", "accounts.Invitation", "patient", secrets=("token_hash",)),
)

# Patient-linked models the export does not write out as a section, each with the reason.
NOT_EXPORTED: dict[str, str] = {
    # the subject's own records: exported as "patient" and "login" (no password hash),
    # pseudonymised rather than deleted so the audit trail's ids still lead somewhere
    "patients.Patient": "the subject: exported as 'patient', pseudonymised on erasure",
    "accounts.User": "the subject's login: exported as 'login' without the password hash",
    # the audit trail outlives the data it describes; the rows about the patient are exported as
    # 'audit_events' (found by patient id and by actor), and erasure keeps them
    "audit.AuditEvent": "exported as 'audit_events'; kept on erasure",
    # linked only through who imported it: the clinic's questionnaire catalogue, never a
    # patient's data (the patient's answers are questionnaire_responses)
    "instruments.Instrument": "the clinic's catalogue, linked only by the importing clinician",
    # second factors belong to staff logins only (patients sign in with a password); they are
    # secrets for signing in, not data about anyone's health
    "otp_totp.TOTPDevice": "a staff member's authenticator secret; patients have none",
    "accounts.RecoveryCodes": "a staff member's recovery-code device; patients have none",
    "accounts.RecoveryCode": "hashes of a staff member's recovery codes; patients have none",
}


def paths_to_subjects(model: type[models.Model]) -> list[str]:
    """Every lookup path (``a__b__patient``) from ``model`` to a Patient or User, shortest first."""
    found: list[str] = []
    frontier: list[tuple[type[models.Model], str, frozenset[type[models.Model]]]] = [
        (model, "", frozenset({model}))
    ]
    for _hop in range(MAX_HOPS):
        following = []
        for current, prefix, seen in frontier:
            for field in current._meta.get_fields():
                if not (field.many_to_one or field.one_to_one) or field.auto_created:
                    continue
                target = field.related_model
                if not isinstance(target, type) or target in seen:
                    continue
                path = f"{prefix}{field.name}"
                if target._meta.label in SUBJECTS:
                    found.append(path)  # and stop: past the subject lie other people's rows
                else:
                    following.append((target, f"{path}__", seen | {target}))
        frontier = following
    return found


def patient_linked_models() -> list[type[models.Model]]:
    """Every installed model with a chain of foreign keys to a patient or a user, the subjects
    themselves included."""
    return [
        model
        for model in apps.get_models()
        if model._meta.label in SUBJECTS or paths_to_subjects(model)
    ]
