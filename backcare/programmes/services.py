"""Proposing, editing and assigning programme versions (the ORM side of the prescribing core)."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone

from backcare.accounts.models import User
from backcare.audit import trail
from backcare.audit.models import AuditEvent
from backcare.core.prescribing import Fact, PrescriptionRequest, Proposal, propose_programme
from backcare.core.prescribing.model import risk_group_named, stage_named
from backcare.library.models import Exercise
from backcare.library.services import active_library
from backcare.patients.models import Patient
from backcare.programmes.models import Programme, ProgrammeItem


class ProgrammeBlocked(Exception):
    """A red flag is open: no programme may be drafted or assigned."""


class NotEditable(Exception):
    """Only drafts can change; assigned versions are kept as they were."""


def prescription_request(patient: Patient, stage: str | None = None) -> PrescriptionRequest:
    """What the prescribing core needs to know about a patient, from their intake."""
    return PrescriptionRequest(
        stage=stage_named(stage or patient.stage),
        risk_group=risk_group_named(patient.risk_group),
        available_equipment=frozenset(patient.equipment),
        excluded_positions=frozenset(patient.excluded_positions),
        conditions=frozenset(patient.conditions),
        preferred_categories=frozenset(patient.preferred_categories),
        preferred_aerobic=patient.preferred_aerobic or None,
    )


def propose(patient: Patient, stage: str | None = None) -> Proposal:
    return propose_programme(prescription_request(patient, stage), active_library())


def refuse_if_flagged(by: User, patient: Patient, action: str, obj: models.Model) -> None:
    """An open red flag stops programme changes until a clean re-screen (DESIGN §2: red flags
    always stop the flow); the refusal is noted on the audit trail."""
    if patient.red_flag_open:
        trail.note(
            by,
            action,
            patient_id=patient.pk,
            obj=obj,
            outcome=AuditEvent.Outcome.INVALID,
            reason="red flag open",
        )
        raise ProgrammeBlocked("An open red flag stops programme changes until a clean re-screen.")


@transaction.atomic
def draft_programme(by: User, patient: Patient, stage: str | None = None) -> Programme:
    """A new draft version holding the core's proposal (for ``stage``, by default the patient's
    current one), for the clinician to edit."""
    refuse_if_flagged(by, patient, "programme.draft", patient)
    stage = stage or patient.stage
    proposal = propose(patient, stage)
    exercises = Exercise.objects.in_bulk([i.slug for i in proposal.items], field_name="slug")
    last = patient.programme_set.aggregate(n=Max("version"))["n"] or 0
    aerobic = proposal.aerobic
    programme = Programme.objects.create(
        patient=patient,
        version=last + 1,
        stage=stage,
        created_by=by,
        aerobic_exercise=Exercise.objects.get(slug=aerobic.slug) if aerobic else None,
        aerobic_minutes=aerobic.minutes_per_session if aerobic else None,
        aerobic_days_per_week=aerobic.days_per_week if aerobic else None,
        aerobic_reason=aerobic.reason.to_json() if aerobic else {},
        notes=[note.to_json() for note in proposal.notes],
    )
    for position, item in enumerate(proposal.items):
        dose = item.dose
        ProgrammeItem.objects.create(
            programme=programme,
            position=position,
            exercise=exercises[item.slug],
            dose_type=dose.dose_type,
            sets=dose.sets,
            reps=dose.reps,
            hold_s=dose.hold_s,
            duration_min=dose.duration_min,
            rest_s=dose.rest_s,
            days_per_week=dose.days_per_week,
            reason=item.reason.to_json(),
        )
    trail.note(by, "programme.draft", patient_id=patient.pk, obj=programme)
    return programme


def _editable(programme: Programme) -> None:
    if programme.status != Programme.Status.DRAFT:
        raise NotEditable("Only a draft can be edited; propose a new version instead.")


@transaction.atomic
def update_items(by: User, programme: Programme, rows: list[dict[str, Any]]) -> None:
    """Apply edited doses, the new order and removals from the edit form."""
    _editable(programme)
    items = {item.pk: item for item in programme.items.all()}
    if sorted(row["id"] for row in rows) != sorted(items):
        raise NotEditable("The programme changed while you were editing it; please try again.")
    kept = [row for row in rows if not row.get("remove")]
    for row in rows:
        if row.get("remove"):
            items[row["id"]].delete()
    for position, row in enumerate(sorted(kept, key=lambda r: (r["order"], r["index"]))):
        item = items[row["id"]]
        item.position = position
        for name in ("sets", "reps", "hold_s", "duration_min", "rest_s", "days_per_week"):
            setattr(item, name, row[name])
        item.save()
    trail.note(by, "programme.edit", patient_id=programme.patient_id, obj=programme)


@transaction.atomic
def add_item(by: User, programme: Programme, exercise: Exercise) -> ProgrammeItem:
    """Append a library exercise with its default dose."""
    _editable(programme)
    dose = exercise.core.dose
    last = programme.items.aggregate(n=Max("position"))["n"]
    item = ProgrammeItem.objects.create(
        programme=programme,
        position=0 if last is None else last + 1,
        exercise=exercise,
        dose_type=dose.dose_type,
        sets=dose.sets,
        reps=dose.reps,
        hold_s=dose.hold_s,
        duration_min=dose.duration_min,
        rest_s=dose.rest_s,
        days_per_week=dose.days_per_week,
        reason=Fact("added").to_json(),
    )
    trail.note(by, "programme.add_item", patient_id=programme.patient_id, obj=item)
    return item


@transaction.atomic
def assign(by: User, programme: Programme) -> None:
    """Make a draft the patient's programme; the previous active version is superseded."""
    _editable(programme)
    refuse_if_flagged(by, programme.patient, "programme.assign", programme)
    if not programme.items.exists():
        raise NotEditable("A programme needs at least one exercise.")
    Programme.objects.filter(patient=programme.patient, status=Programme.Status.ACTIVE).update(
        status=Programme.Status.SUPERSEDED
    )
    programme.status = Programme.Status.ACTIVE
    programme.assigned_at = timezone.now()
    programme.save(update_fields=["status", "assigned_at"])
    patient = programme.patient
    if patient.stage != programme.stage:  # the stage changes when its programme is assigned
        patient.stage = programme.stage
        patient.save(update_fields=["stage"])
    trail.note(by, "programme.assign", patient_id=programme.patient_id, obj=programme)


@transaction.atomic
def discard(by: User, programme: Programme) -> None:
    """Drop a draft (kept, marked discarded, so the version numbers stay honest)."""
    _editable(programme)
    programme.status = Programme.Status.DISCARDED
    programme.save(update_fields=["status"])
    trail.note(by, "programme.discard", patient_id=programme.patient_id, obj=programme)
