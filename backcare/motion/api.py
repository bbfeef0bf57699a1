"""The motion API: a patient uploads the landmarks of a logged exercise; the clinic reads results.

The upload's body is read and checked by ``backcare.motion.upload`` as it streams in.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from ninja.security import django_auth

from backcare.audit import trail
from backcare.audit.models import AuditEvent
from backcare.logbook.models import ExerciseLog
from backcare.motion.models import MotionAnalysis
from backcare.motion.services import (
    MotionUploadError,
    analyse_log,
    analyses_of_log,
    analyses_of_patient,
    find_log,
)
from backcare.motion.upload import UPLOAD_BODY, read_upload
from backcare.patients.access import clinic_patient_or_problem, patient_of
from backcare.problems import ApiProblem, Problem

router = Router(auth=django_auth, tags=["motion"])


class FaultOut(Schema):
    rule: str
    cue: str
    frames: list[tuple[int, int]] = Field(description="First and last input frame of each stretch.")
    worst: float | None = Field(description="The rule's measure at its worst (degrees or ratio).")


class RepOut(Schema):
    start_frame: int
    turn_frame: int
    end_frame: int
    range_of_motion_deg: float
    out_s: float
    back_s: float
    faults: list[FaultOut]
    measures: dict[str, float | None]


class HoldOut(Schema):
    start_frame: int
    end_frame: int
    within_tolerance_s: float
    met_target: bool
    faults: list[FaultOut]


class AnalysisOut(Schema):
    id: int
    client_id: UUID
    session_id: int
    item_id: int
    exercise_slug: str
    performed_on: date
    skeleton: str
    fps: float
    frame_count: int
    profile_slug: str
    profile_hash: str = Field(description="Tells apart versions of the motion profile used.")
    mode: str = Field(description="reps or hold")
    judged: bool = Field(description="False when the landmarks were too poor: nothing counted.")
    reason: str = Field(description="Why it was not judged; empty when it was.")
    confidence: float
    quality: int | None = Field(description="0–100: share of form rules passed, per rep.")
    facing: str
    duration_s: float
    reps: list[RepOut]
    holds: list[HoldOut]
    unchecked_rules: list[str]
    created_at: datetime


class PageIn(Schema):
    limit: int = Field(50, ge=1, le=200, description="Analyses per page, newest session first.")
    offset: int = Field(0, ge=0, le=1_000_000)


RESULT_FIELDS = ("facing", "duration_s", "reps", "holds", "unchecked_rules")
NOT_FOUND = _("No logged exercise %(item_id)s in your session %(session_id)s.")
MOTION_PATH = "/me/sessions/{session_id}/exercises/{item_id}/motion"


def _analysis_out(analysis: MotionAnalysis) -> AnalysisOut:
    log = analysis.exercise_log
    return AnalysisOut(
        id=analysis.pk,
        client_id=analysis.client_id,
        session_id=log.session_id,
        item_id=log.item_id,
        exercise_slug=log.item.exercise.slug,
        performed_on=log.session.performed_on,
        skeleton=analysis.skeleton,
        fps=analysis.fps,
        frame_count=analysis.frame_count,
        profile_slug=analysis.profile_slug,
        profile_hash=analysis.profile_hash,
        mode=analysis.result.get("mode", "reps"),
        judged=analysis.judged,
        reason=analysis.reason,
        confidence=analysis.confidence,
        quality=analysis.quality,
        created_at=analysis.created_at,
        **{name: analysis.result[name] for name in RESULT_FIELDS},
    )


def _my_log(request: HttpRequest, session_id: int, item_id: int, action: str) -> ExerciseLog:
    """The patient's own exercise log, or 404 (audited) for anyone else's or a missing one."""
    patient = patient_of(request.user)
    log = None if patient is None else find_log(request.user, patient, session_id, item_id)
    if log is None:
        aimed_at = ExerciseLog.objects.patient_targeted(session_id=session_id, item_id=item_id)
        trail.note(
            request.user,
            action,
            patient_id=aimed_at,
            outcome=AuditEvent.Outcome.NOT_FOUND,
            lookup={"session_id": str(session_id), "item_id": str(item_id)},
        )
        raise ApiProblem(404, str(NOT_FOUND) % {"item_id": item_id, "session_id": session_id})
    return log


@router.post(
    MOTION_PATH,
    response={
        200: AnalysisOut,
        201: AnalysisOut,
        400: Problem,
        404: Problem,
        413: Problem,
        422: Problem,
    },
    openapi_extra=UPLOAD_BODY,
)
def upload_motion(request: HttpRequest, session_id: int, item_id: int) -> Status[AnalysisOut]:
    """Analyse a recording of a logged exercise and attach the result: 201 when stored, 200 when
    this ``client_id`` and landmarks were stored before, 413 when too large, 422 when invalid,
    when the exercise has no motion profile, or when the ``client_id`` was used with other
    landmarks. Only the result is stored, never the landmarks."""
    log = _my_log(request, session_id, item_id, "motion.analysis.create")
    try:
        upload = read_upload(request)
    except ApiProblem as problem:
        trail.note(
            request.user,
            "motion.analysis.create",
            patient_id=log.session.patient_id,
            obj=log,
            outcome=AuditEvent.Outcome.INVALID,
            status=problem.status,
            errors=[f"{field}: {message}" for field, message in problem.errors],
        )
        raise
    try:
        analysis, created = analyse_log(request.user, log, upload)
    except MotionUploadError as error:
        raise ApiProblem(
            422, str(error), kind=error.kind, errors=[(error.field, str(error))]
        ) from error
    return Status(201 if created else 200, _analysis_out(analysis))


@router.get(MOTION_PATH, response={200: list[AnalysisOut], 404: Problem})
def my_motion(request: HttpRequest, session_id: int, item_id: int) -> list[AnalysisOut]:
    """The analyses attached to one of the patient's own logged exercises, newest first."""
    log = _my_log(request, session_id, item_id, "api.motion.list")
    analyses = [_analysis_out(a) for a in analyses_of_log(request.user, log)]
    trail.read(
        request.user,
        "api.motion.list",
        patient_id=log.session.patient_id,
        obj=log,
        analyses=len(analyses),
    )
    return analyses


@router.get(
    "/patients/{patient_id}/motion", response={200: list[AnalysisOut], 404: Problem, 422: Problem}
)
def patient_motion(request: HttpRequest, patient_id: int, page: Query[PageIn]) -> list[AnalysisOut]:
    """A clinic patient's analyses, newest session first (clinicians only)."""
    patient = clinic_patient_or_problem(request.user, patient_id, "api.motion.list")
    rows = analyses_of_patient(request.user, patient)[page.offset : page.offset + page.limit]
    analyses = [_analysis_out(a) for a in rows]
    trail.read(
        request.user,
        "api.motion.list",
        patient_id=patient.pk,
        offset=page.offset,
        limit=page.limit,
        analyses=len(analyses),
    )
    return analyses
