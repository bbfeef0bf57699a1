"""Logging sessions: the one path, shared by the HTML form and the API, that writes the logbook.

Logging is idempotent. The client generates ``client_id`` once per session it logs; the server
stores it with a hash of the logged body under a unique (patient, client_id) constraint. Sending
the same id with the same body again (a double tap, a retry after a dropped connection, an offline
queue replayed twice, even two copies at once) returns the session already stored; the same id
with a different body is a conflict, because one of the two versions would otherwise be lost.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils.translation import gettext

from backcare.audit import trail
from backcare.audit.models import AuditEvent
from backcare.core.progression import SessionSummary
from backcare.logbook.models import ExerciseLog, Session
from backcare.patients.access import patient_of
from backcare.patients.clock import local_date, today_for
from backcare.patients.models import Patient
from backcare.problems import FieldError
from backcare.programmes.models import Programme, ProgrammeItem

__all__ = [
    "ACHIEVED_FIELD",
    "LIMITS",
    "ExerciseEntry",
    "InvalidSession",
    "LoggingError",
    "NoActiveProgramme",
    "SessionConflict",
    "SessionPayload",
    "active_programme",
    "check_payload",
    "exercises_done_on",
    "log_session",
    "morning_prompt_session",
    "patient_of",
    "payload_hash",
    "programme_start",
    "record_next_morning_pain",
    "session_summaries",
    "session_summary",
    "sessions_of",
]

ACHIEVED_FIELD = {
    ProgrammeItem.DoseType.REPS: "reps_done",
    ProgrammeItem.DoseType.HOLD: "hold_s_done",
    ProgrammeItem.DoseType.DURATION: "minutes_done",
}
"""The one "how much" field that fits each dose type; the other two must stay empty."""

SETS_APPLY_TO = (ProgrammeItem.DoseType.REPS, ProgrammeItem.DoseType.HOLD)
"""Aerobic (duration) work is one continuous bout, so it has no sets to report."""

LIMITS: dict[str, tuple[int, int]] = {
    "sets_done": (0, 20),
    "reps_done": (0, 500),
    "hold_s_done": (0, 3600),
    "minutes_done": (0, 600),
    "pain_during_0_10": (0, 10),
    "effort_0_10": (0, 10),
}
"""Allowed ranges. Pain and effort are 0-10 scales; the others are generous ceilings that only
catch typing slips (a home session never holds 10 000 reps), not clinical limits."""

MAX_NOTES = 5000
MAX_EXERCISES = 50

MORNING_PROMPT_AGE = timedelta(days=1)
"""Only the session from the day before is asked about: "how is your back this morning?" answered
days later would be recorded as next-morning pain when it is not (the progression rule needs pain
to settle by the *next* morning)."""

MEASURES = tuple(LIMITS)


@dataclass(frozen=True)
class ExerciseEntry:
    """What the patient reports for one programme item."""

    item_id: int
    done: bool
    sets_done: int | None = None
    reps_done: int | None = None
    hold_s_done: int | None = None
    minutes_done: int | None = None
    pain_during_0_10: int | None = None
    effort_0_10: int | None = None


@dataclass(frozen=True)
class SessionPayload:
    """One session as the client sends it."""

    client_id: UUID
    performed_on: date
    exercises: tuple[ExerciseEntry, ...]
    notes: str = ""


class LoggingError(Exception):
    """The session was not stored."""


class InvalidSession(LoggingError):
    """The payload breaks a rule; ``errors`` name each field."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))


class NoActiveProgramme(LoggingError):
    """The patient has no active programme to log against."""


class SessionConflict(LoggingError):
    """This ``client_id`` was already used for a session with a different body."""

    def __init__(self, session: Session) -> None:
        self.session = session
        super().__init__(f"client_id {session.client_id} was already used with a different body")


def payload_hash(payload: SessionPayload) -> str:
    """SHA-256 of the payload as canonical JSON (sorted keys, entries in item order)."""
    body = asdict(payload)
    body["client_id"] = str(payload.client_id)
    body["performed_on"] = payload.performed_on.isoformat()
    body["exercises"] = sorted(body["exercises"], key=lambda e: e["item_id"])
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def active_programme(actor: Any, patient: Patient) -> Programme | None:
    """The patient's active programme with its items and exercises, if ``actor`` may see it.

    Its ``patient`` is the one given (the same row), so dating it (:func:`programme_start`)
    reads no patient or clinic again.
    """
    programme = (
        Programme.objects.for_actor(actor)
        .filter(patient=patient, status=Programme.Status.ACTIVE)
        .select_related("aerobic_exercise")
        .prefetch_related(
            Prefetch("items", queryset=ProgrammeItem.objects.select_related("exercise"))
        )
        .order_by("-version")
        .first()
    )
    if programme is not None:
        programme.patient = patient
    return programme


def sessions_of(actor: Any, patient: Patient) -> QuerySet[Session]:
    """The patient's sessions, newest first, with their exercise logs."""
    logs = ExerciseLog.objects.select_related("item__exercise").order_by("item__position", "id")
    return (
        Session.objects.for_actor(actor)
        .filter(patient=patient)
        .select_related("programme")
        .prefetch_related(Prefetch("exercises", queryset=logs))
        .order_by("-performed_on", "-created_at", "-id")
    )


def session_summaries(actor: Any, patient: Patient) -> list[SessionSummary]:
    """The patient's sessions as the cores read them (:func:`session_summary`), counted by the
    database: one short row per session (its day and four numbers), no exercise log loaded."""
    sessions = Session.objects.for_actor(actor).filter(patient=patient).order_by()
    rows = sessions.annotate(
        prescribed=Count("exercises"),
        done=Count("exercises", filter=Q(exercises__done=True)),
        worst_pain=Max("exercises__pain_during_0_10"),
    ).values_list("performed_on", "prescribed", "done", "worst_pain", "next_morning_pain_0_10")
    return [SessionSummary(*row) for row in rows]


def exercises_done_on(actor: Any, patient: Patient, day: date) -> set[int]:
    """The library exercises (ids) the patient logged as done in any session of ``day``.

    Matched by exercise, not programme item, so what was done this morning still shows as done
    after the clinician assigns a new version of the programme this afternoon.
    """
    sessions = Session.objects.for_actor(actor).filter(patient=patient, performed_on=day)
    logs = ExerciseLog.objects.for_actor(actor).filter(session__in=sessions, done=True)
    return set(logs.values_list("item__exercise_id", flat=True))


def morning_prompt_session(actor: Any, patient: Patient, today: date) -> Session | None:
    """Yesterday's latest session if its next-morning pain is still unanswered."""
    latest = (
        Session.objects.for_actor(actor)
        .filter(patient=patient, performed_on__lt=today)
        .order_by("-performed_on", "-created_at", "-id")
        .first()
    )
    if latest is None or latest.next_morning_pain_0_10 is not None:
        return None
    return latest if latest.performed_on >= today - MORNING_PROMPT_AGE else None


def programme_start(programme: Programme) -> date:
    """The first day a session can be logged against ``programme``, in the patient's zone (the
    same clock as the "not in the future" check, so a programme assigned this evening in Los
    Angeles can be logged this evening)."""
    return local_date(programme.patient, programme.assigned_at or programme.created_at)


def check_payload(payload: SessionPayload, programme: Programme, today: date) -> list[FieldError]:
    """Every rule the payload breaks, each naming its field (empty when it is fine)."""
    errors: list[FieldError] = []
    if payload.performed_on > today:
        errors.append(FieldError("performed_on", gettext("must not be in the future")))
    elif payload.performed_on < programme_start(programme):
        start = {"start": programme_start(programme).isoformat()}
        errors.append(
            FieldError(
                "performed_on",
                gettext("must not be before the programme began (%(start)s)") % start,
            )
        )
    if len(payload.notes) > MAX_NOTES:
        most = gettext("must be at most %(count)s characters") % {"count": MAX_NOTES}
        errors.append(FieldError("notes", most))
    if "\x00" in payload.notes:  # PostgreSQL cannot store it; no keyboard types it
        errors.append(FieldError("notes", gettext("must not contain NUL characters")))
    if not payload.exercises:
        errors.append(FieldError("exercises", gettext("must list at least one exercise")))
    if len(payload.exercises) > MAX_EXERCISES:
        most = gettext("must list at most %(count)s exercises") % {"count": MAX_EXERCISES}
        errors.append(FieldError("exercises", most))
    items = {item.pk: item for item in programme.items.all()}
    seen: set[int] = set()
    for index, entry in enumerate(payload.exercises):
        path = f"exercises.{index}"
        item = items.get(entry.item_id)
        if item is None:
            not_item = gettext("is not an item of the active programme")
            errors.append(FieldError(f"{path}.item_id", not_item))
        elif entry.item_id in seen:
            twice = gettext("is logged twice in this session")
            errors.append(FieldError(f"{path}.item_id", twice))
        else:
            errors.extend(_check_entry(entry, item, path))
        seen.add(entry.item_id)
    return errors


def _check_entry(entry: ExerciseEntry, item: ProgrammeItem, path: str) -> list[FieldError]:
    errors = []
    fitting = {ACHIEVED_FIELD[item.dose_type], "pain_during_0_10", "effort_0_10"}  # type: ignore[index]
    if item.dose_type in SETS_APPLY_TO:
        fitting.add("sets_done")
    dose = item.get_dose_type_display().lower()
    for name in MEASURES:
        value = getattr(entry, name)
        if value is None:
            continue
        low, high = LIMITS[name]
        if not entry.done:
            skipped = gettext("must be empty for a skipped exercise")
            errors.append(FieldError(f"{path}.{name}", skipped))
        elif name not in fitting:
            dosed = gettext("does not apply: this item is dosed as %(dose)s") % {"dose": dose}
            errors.append(FieldError(f"{path}.{name}", dosed))
        elif not low <= value <= high:
            between = gettext("must be between %(low)s and %(high)s") % {"low": low, "high": high}
            errors.append(FieldError(f"{path}.{name}", between))
    return errors


def log_session(
    actor: Any, patient: Patient, payload: SessionPayload, *, today: date | None = None
) -> tuple[Session, bool]:
    """Store a session, or return the one stored under the same ``client_id``.

    Returns ``(session, created)``, the session as :func:`sessions_of` reads it (with its
    programme and logs). Raises :class:`InvalidSession`, :class:`NoActiveProgramme` or
    :class:`SessionConflict`. Every attempt writes one audit row: a stored session or a replay in
    the transaction that stored or read it; a rejection after that transaction is rolled back.
    """
    if not Patient.objects.for_actor(actor).filter(pk=patient.pk).exists():
        raise PermissionDenied("not this actor's patient")
    today = today or today_for(patient)
    try:
        with transaction.atomic():
            return _log(actor, patient, payload, today)
    except LoggingError as error:
        _record_rejection(actor, patient, payload, error)
        raise


def _log(
    actor: Any, patient: Patient, payload: SessionPayload, today: date
) -> tuple[Session, bool]:
    body_hash = payload_hash(payload)
    session = _find(actor, patient, payload.client_id)
    if session is None:
        programme = active_programme(actor, patient)
        if programme is None:
            raise NoActiveProgramme("there is no active programme to log against")
        if errors := check_payload(payload, programme, today):
            raise InvalidSession(errors)
        try:
            session = _create(patient, programme, payload, body_hash)
        except IntegrityError:
            # a concurrent request stored this client_id first and has committed: read it back
            session = _find(actor, patient, payload.client_id)
            if session is None:
                raise
        else:
            trail.note(
                actor,
                "logbook.session.create",
                patient_id=patient.pk,
                obj=session,
                client_id=str(payload.client_id),
                exercises=len(payload.exercises),
            )
            return session, True
    if session.body_hash != body_hash:
        raise SessionConflict(session)
    trail.note(
        actor,
        "logbook.session.replay",
        patient_id=patient.pk,
        obj=session,
        client_id=str(payload.client_id),
        same_body=True,
    )
    return session, False


def _find(actor: Any, patient: Patient, client_id: UUID) -> Session | None:
    return sessions_of(actor, patient).filter(client_id=client_id).first()


def _create(
    patient: Patient, programme: Programme, payload: SessionPayload, body_hash: str
) -> Session:
    """Insert the session and its logs in a savepoint, so a duplicate leaves the caller usable."""
    items = {item.pk: item for item in programme.items.all()}
    with transaction.atomic():
        session = Session.objects.create(
            patient=patient,
            programme=programme,
            client_id=payload.client_id,
            body_hash=body_hash,
            performed_on=payload.performed_on,
            notes=payload.notes,
        )
        logs = []
        for entry in payload.exercises:
            fields = asdict(entry)
            item = items[fields.pop("item_id")]
            logs.append(ExerciseLog(session=session, item=item, **fields))
        ExerciseLog.objects.bulk_create(logs)
    return _as_read(session, logs)


def _as_read(session: Session, logs: list[ExerciseLog]) -> Session:
    """``session`` as :func:`sessions_of` reads it (its logs in programme order, each with its
    item and exercise), made from the rows just written instead of reading them back."""
    exercises = session.exercises.all()  # not run: filled the way prefetch_related fills it
    exercises._result_cache = sorted(logs, key=lambda log: (log.item.position, log.pk))
    session._prefetched_objects_cache = {"exercises": exercises}  # type: ignore[attr-defined]
    return session


def _record_rejection(
    actor: Any, patient: Patient, payload: SessionPayload, error: LoggingError
) -> None:
    client_id = str(payload.client_id)
    if isinstance(error, SessionConflict):
        trail.note(
            actor,
            "logbook.session.replay",
            patient_id=patient.pk,
            obj=error.session,
            outcome=AuditEvent.Outcome.INVALID,
            client_id=client_id,
            same_body=False,
        )
        return
    errors = [f"{e.field}: {e.message}" for e in getattr(error, "errors", [])] or [str(error)]
    trail.note(
        actor,
        "logbook.session.create",
        patient_id=patient.pk,
        outcome=AuditEvent.Outcome.INVALID,
        client_id=client_id,
        errors=errors,
    )


def record_next_morning_pain(
    actor: Any, session: Session, pain_0_10: int, *, today: date | None = None
) -> Session:
    """Record how the back felt the morning after ``session`` (0-10); a later answer corrects it.

    The rule "pain must settle by the next morning" reads this value, so it is only accepted once
    the session's day is over.
    """
    today = today or today_for(session.patient)
    with transaction.atomic():
        found = Session.objects.for_actor(actor).select_for_update().filter(pk=session.pk).first()
        if found is None:
            raise PermissionDenied("not this actor's session")
        errors = []
        if isinstance(pain_0_10, bool) or not 0 <= pain_0_10 <= 10:
            between = gettext("must be between %(low)s and %(high)s") % {"low": 0, "high": 10}
            errors.append(FieldError("pain_0_10", between))
        if found.performed_on >= today:
            too_soon = gettext("can be given from the morning after the session")
            errors.append(FieldError("pain_0_10", too_soon))
        elif found.performed_on < today - MORNING_PROMPT_AGE:
            too_late = gettext("can only be given the morning after")
            errors.append(FieldError("pain_0_10", too_late))
        if errors:
            raise InvalidSession(errors)
        previous = found.next_morning_pain_0_10
        found.next_morning_pain_0_10 = pain_0_10
        found.save(update_fields=["next_morning_pain_0_10"])
        trail.note(
            actor,
            "logbook.session.morning_pain",
            patient_id=found.patient_id,
            obj=found,
            pain_0_10=pain_0_10,
            previous=previous,
        )
    return found


def session_summary(session: Session) -> SessionSummary:
    """A logged session as the progression core reads it (prefetch ``exercises`` first)."""
    return SessionSummary(
        performed_on=session.performed_on,
        exercises_prescribed=len(session.exercises.all()),
        exercises_done=session.done_count,
        max_pain_during_0_10=session.worst_pain_0_10,
        next_morning_pain_0_10=session.next_morning_pain_0_10,
    )
