"""A patient's data rights: a full export of what backcare holds about them, and erasure.

The export writes every section of :data:`~backcare.rights.registry.SECTIONS`, the patient record,
their login (never the password hash) and the audit events about them. Erasure deletes the same
sections, pseudonymises the patient and their login, and keeps the audit trail untouched: its rows
cannot be changed (database triggers) and never held names, only ids (see docs/audit.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session as WebSession
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from backcare.accounts import ceiling
from backcare.accounts.models import User
from backcare.audit import trail
from backcare.audit.models import AuditEvent
from backcare.instruments.models import Instrument
from backcare.library.models import Exercise
from backcare.patients.models import Patient
from backcare.patients.scoping import ScopedManager
from backcare.rights.registry import SECTIONS, Section

__all__ = [
    "ERASE_ACTION",
    "EXPORT_ACTION",
    "SCHEMA_VERSION",
    "AlreadyErased",
    "Erasure",
    "erase_patient",
    "erased_at",
    "export_patient",
]

# bump when a section or field changes meaning, so a reader of an old file can tell
# 2: reasons, notes and review summaries are facts ({"code", "params"}), not English sentences;
#    red-flag screens have a source and their note may be the patient's words; alerts carry
#    the patient's words (patient_note)
# 3: the patient's time zone is the patient's (patient.time_zone, blank = the clinic's, and
#    clinic.time_zone), no longer a reminder schedule's
SCHEMA_VERSION = 3
EXPORT_ACTION = "patient.export"
ERASE_ACTION = "patient.erase"
ERASED_NAME = "Erased patient"  # stored data, not interface text: kept in one language
LOGIN_FIELDS = (
    "id",
    "username",
    "first_name",
    "last_name",
    "email",
    "role",
    "language",
    "is_active",
    "date_joined",
    "last_login",
)
CLINIC_FIELDS = ("id", "name", "phone", "email", "address", "time_zone")


class AlreadyErased(Exception):
    """The patient's data was erased before; there is nothing left to erase."""


@dataclass(frozen=True)
class Erasure:
    """What one erasure did: rows deleted per section."""

    patient_id: int
    deleted: dict[str, int]


def export_patient(actor: Any, patient: Patient) -> dict[str, Any]:
    """Everything held about ``patient`` as plain JSON-ready data; the export itself is audited.

    ``patient`` must come from a scoped lookup for ``actor``; the rows are read through the
    scoped managers again all the same.
    """
    with transaction.atomic():
        trail.note(actor, EXPORT_ACTION, patient_id=patient.pk, obj=patient)
        sections = {section.name: _section_rows(actor, section, patient) for section in SECTIONS}
        return {
            "schema_version": SCHEMA_VERSION,
            "generated_at": timezone.now().isoformat(),
            "clinic": _pick(patient.clinic, CLINIC_FIELDS),
            "patient": _row(patient),
            "login": _pick(patient.user, LOGIN_FIELDS) if patient.user else None,
            **sections,
            "exercises": _exercises(sections),
            "instruments": _instruments(sections),
            "audit_events": [_row(event) for event in _audit_events(patient).order_by("at", "id")],
        }


def _section_rows(actor: Any, section: Section, patient: Patient) -> list[dict[str, Any]]:
    manager = section.model._default_manager
    rows = manager.for_actor(actor) if isinstance(manager, ScopedManager) else manager.all()
    found = rows.filter(**{section.path: patient}).order_by("pk")
    return [_row(obj, section.secrets) for obj in found]


def _row(obj: models.Model, secrets: tuple[str, ...] = ()) -> dict[str, Any]:
    """A model row as column -> value, foreign keys as their ids; secret columns left out."""
    return {
        field.attname: field.value_from_object(obj)
        for field in obj._meta.concrete_fields
        if field.name not in secrets
    }


def _pick(obj: models.Model, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in names}


def _exercises(sections: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The library exercises the programmes name, so the ids in the file can be read."""
    ids = {row["exercise_id"] for row in sections["programme_items"]}
    ids |= {row["aerobic_exercise_id"] for row in sections["programmes"]} - {None}
    found = Exercise.objects.filter(pk__in=ids).order_by("pk")
    return [dict(row) for row in found.values("id", "slug", "name")]


def _instruments(sections: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The questionnaires assigned or answered, so the ids in the file can be read."""
    rows = sections["questionnaire_assignments"] + sections["questionnaire_responses"]
    found = Instrument.objects.filter(pk__in={row["instrument_id"] for row in rows})
    return [
        dict(row) for row in found.order_by("pk").values("id", "url", "version", "name", "title")
    ]


def _audit_events(patient: Patient) -> models.QuerySet[AuditEvent]:
    """Audit rows about the patient, and the rows of what their own login did."""
    about = Q(patient_id=patient.pk)
    return AuditEvent.objects.filter(
        about | Q(actor_id=patient.user_id) if patient.user_id else about
    )


def erased_at(patient: Patient) -> datetime | None:
    """When the patient's data was erased, or None; the audit trail is the record of it."""
    erasures = AuditEvent.objects.filter(
        patient_id=patient.pk, action=ERASE_ACTION, outcome=AuditEvent.Outcome.OK
    )
    return erasures.order_by("at").values_list("at", flat=True).first()


def erase_patient(by: User, patient: Patient, reason: str) -> Erasure:
    """Delete the patient's health data and pseudonymise them, keeping the audit trail.

    All in one transaction: every section's rows are deleted (children before the rows they
    point to, since sessions protect their programme and logs their programme item); the patient
    and their login keep their ids but lose names, e-mail, date of birth and intake answers, the
    login is deactivated with an unusable password and its web sessions end. The audit trail is
    not touched (it cannot be): its rows name actors by role and id and hold no e-mail address
    (``backcare.audit.trail.note``), so it never held the person's names. The reason typed
    here is recorded with the patient's names replaced by the pseudonym.
    """
    with transaction.atomic():
        found = Patient.objects.for_actor(by).select_for_update().filter(pk=patient.pk)
        locked = found.first() if getattr(by, "is_clinician", False) else None  # their clinic only
        if locked is None:
            raise Patient.DoesNotExist("not this clinician's patient")
        if erased_at(locked) is not None:
            trail.note(
                by,
                ERASE_ACTION,
                patient_id=locked.pk,
                outcome=AuditEvent.Outcome.INVALID,
                refused="already erased",
            )
            raise AlreadyErased(locked.pk)
        user = locked.user
        words = _identifying_words(locked, user)
        deleted = {section.name: _delete(section, locked) for section in SECTIONS}
        pseudonym = f"{ERASED_NAME} {locked.pk}"
        username = _free_username(locked, user)
        _pseudonymise_patient(locked)
        if user is not None:
            _pseudonymise_login(user, username, locked.pk)
        trail.note(
            by,
            ERASE_ACTION,
            patient_id=locked.pk,
            obj=locked,
            reason=_replace(reason, words, pseudonym),
            deleted=deleted,
        )
    return Erasure(locked.pk, deleted)


def _delete(section: Section, patient: Patient) -> int:
    _total, per_model = section.model._default_manager.filter(**{section.path: patient}).delete()
    return per_model.get(section.model_label, 0)


def _identifying_words(patient: Patient, user: User | None) -> list[str]:
    """The strings that name the person, longest first so a full name goes before its parts."""
    words = {patient.full_name, patient.first_name, patient.last_name, patient.email}
    if user is not None:
        words |= {user.username, user.email, user.first_name, user.last_name}
    return sorted((w.strip() for w in words if len(w.strip()) >= 2), key=len, reverse=True)


def _replace(text: str, words: list[str], pseudonym: str) -> str:
    for word in words:
        text = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", pseudonym, text, flags=re.IGNORECASE)
    return text


def _pseudonymise_patient(patient: Patient) -> None:
    """Names to the pseudonym; contact, birth date and intake answers cleared; the stage, risk
    group and baseline pain back to their defaults (the columns cannot be empty)."""
    patient.first_name, patient.last_name = ERASED_NAME, str(patient.pk)
    patient.email, patient.date_of_birth, patient.goals = "", None, ""
    patient.equipment, patient.excluded_positions, patient.conditions = [], [], []
    patient.preferred_categories, patient.preferred_aerobic = [], ""
    patient.stage, patient.risk_group = Patient.Stage.INITIAL, Patient.RiskGroup.LOW
    patient.baseline_pain_0_10 = 0
    patient.save()


def _free_username(patient: Patient, user: User | None) -> str:
    username = f"erased-patient-{patient.pk}"
    taken = User.objects.filter(username=username)
    if user is not None:
        taken = taken.exclude(pk=user.pk)
    return f"{username}-{user.pk if user else 0}" if taken.exists() else username


def _pseudonymise_login(user: User, username: str, patient_pk: int) -> None:
    """The login keeps its id (audit rows point at it) but can never be used again."""
    ceiling.forget(user.username)  # axes' failed-login rows name the old username and addresses
    user.username, user.email = username, ""
    user.first_name, user.last_name, user.language = ERASED_NAME, str(patient_pk), ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    _end_web_sessions(user)


def _end_web_sessions(user: User) -> None:
    """Delete the login's stored web sessions (an inactive user is refused anyway)."""
    if not settings.SESSION_ENGINE.endswith((".db", ".cached_db")):
        return
    live = WebSession.objects.filter(expire_date__gt=timezone.now())
    stale = [s.pk for s in live if s.get_decoded().get("_auth_user_id") == str(user.pk)]
    WebSession.objects.filter(pk__in=stale).delete()
