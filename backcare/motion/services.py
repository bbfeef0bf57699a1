"""Analysing an uploaded recording of a logged exercise and storing the result.

Uploading is idempotent, like logging a session (``backcare.logbook.services``): the client
generates ``client_id`` once per recording; the server stores it with a hash of the upload under a
unique (exercise log, client_id) constraint. The same id with the same landmarks again returns the
analysis already stored (without running the engine again); the same id with different landmarks
is a conflict. Only the engine's result is stored, never the landmarks (privacy by design).
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

import numpy as np
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from backcare.audit import trail
from backcare.audit.models import AuditEvent
from backcare.core.motion import (
    SKELETONS,
    Analysis,
    Landmarks,
    MotionProfile,
    analyze,
    load_profiles,
)
from backcare.logbook.models import ExerciseLog
from backcare.motion.models import MotionAnalysis
from backcare.patients.models import Patient

__all__ = [
    "FPS_RANGE",
    "MAX_BODY_BYTES",
    "MAX_FRAMES",
    "MAX_JOINTS",
    "AnalysisConflict",
    "AnalysisSummary",
    "ExerciseSkipped",
    "FaultSummary",
    "HoldSummary",
    "MotionUpload",
    "MotionUploadError",
    "NoMotionProfile",
    "Span",
    "analyse_log",
    "analyses_of_log",
    "analyses_of_patient",
    "find_log",
    "motion_profiles",
    "profile_hash",
    "result_json",
    "summarise",
    "upload_hash",
]

MAX_FRAMES = 18_000
"""Ten minutes at 30 frames per second: longer than any single exercise of a home programme
(a set of ten slow squats takes about a minute), so a longer upload is a mistake, not a set."""

FPS_RANGE = (10.0, 120.0)
"""Frame rates accepted. Below 10 fps a two-second repetition has fewer than 20 samples and the
engine's 6 Hz smoothing has nothing to work with; browser pose models run at 10–60 fps and no
phone camera pipeline delivers pose more than 120 times a second."""

MAX_BODY_BYTES = 32 * 1024 * 1024
"""Largest upload read, checked against Content-Length before any of it is read. 18,000
BlazePose frames (33 joints × 4 numbers) written with six decimals take about 22 MB of JSON."""

MAX_JOINTS = max(len(skeleton.joints) for skeleton in SKELETONS.values())
"""Joints per frame of the largest skeleton (BlazePose's 33). With ``MAX_FRAMES`` it bounds what
an upload can make the server hold: the body is refused (413) as soon as it goes past either,
before more is stored (``backcare.motion.upload``)."""


@dataclass(frozen=True)
class MotionUpload:
    """One recording as the client sends it, already validated."""

    client_id: UUID
    landmarks: Landmarks


class MotionUploadError(Exception):
    """The upload was not analysed; ``kind`` is the problem type, ``field`` the field to blame."""

    kind = "invalid-input"
    field = "body"


class NoMotionProfile(MotionUploadError):
    """The exercise has no motion profile, so the engine cannot follow it."""

    kind = "no-motion-profile"
    field = "path.item_id"


class ExerciseSkipped(MotionUploadError):
    """The exercise was logged as skipped; a recording of it would contradict the log."""

    kind = "exercise-skipped"
    field = "path.item_id"


class AnalysisConflict(MotionUploadError):
    """This ``client_id`` was already used for this exercise log with different landmarks."""

    kind = "motion-conflict"
    field = "body.client_id"

    def __init__(self, analysis: MotionAnalysis) -> None:
        self.analysis = analysis
        super().__init__(
            f"client_id {analysis.client_id} was already used for this exercise with "
            "different landmarks"
        )


def motion_profiles() -> dict[str, MotionProfile]:
    """The motion profiles of the exercise library (``CONTENT_DIR/motion``), by exercise slug.

    Read and checked once per version of the files (their names, sizes and change times), not on
    every upload: checking them all costs more memory than the largest upload's landmarks."""
    folder = Path(settings.CONTENT_DIR) / "motion"
    files = sorted(folder.glob("*")) if folder.is_dir() else []
    version = tuple((f.name, f.stat().st_size, f.stat().st_mtime_ns) for f in files)
    return _profiles_of(str(folder), version)


@functools.lru_cache(maxsize=4)
def _profiles_of(
    folder: str, version: tuple[tuple[str, int, int], ...]
) -> dict[str, MotionProfile]:
    return load_profiles(Path(folder))


def upload_hash(upload: MotionUpload) -> str:
    """SHA-256 of the skeleton, frame rate and landmark values (as little-endian doubles)."""
    landmarks = upload.landmarks
    digest = hashlib.sha256()
    header = f"{landmarks.skeleton.name}|{landmarks.fps!r}|{landmarks.values.shape}"
    digest.update(header.encode())
    # the array's own memory, not a bytes copy of it (19 MB for the longest upload)
    digest.update(np.ascontiguousarray(landmarks.values, dtype="<f8").data)
    return digest.hexdigest()


def profile_hash(profile: MotionProfile) -> str:
    """SHA-256 of the profile as parsed (comments and layout of the file do not count)."""
    text = json.dumps(asdict(profile), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _plain(value: Any) -> Any:
    """JSON-safe copy: tuples become lists, NaN and infinities (unmeasurable) become None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def result_json(analysis: Analysis, profile: MotionProfile) -> dict[str, Any]:
    """The engine's answer as stored and served: every field of ``Analysis`` plus ``mode``."""
    return _plain(asdict(analysis)) | {"mode": profile.mode}  # type: ignore[no-any-return]


def find_log(actor: Any, patient: Patient, session_id: int, item_id: int) -> ExerciseLog | None:
    """The patient's log of programme item ``item_id`` in session ``session_id``, if visible."""
    if not (0 < session_id < 2**63 and 0 < item_id < 2**63):
        return None  # no such row can exist
    return (
        ExerciseLog.objects.for_actor(actor)
        .filter(session__patient=patient, session_id=session_id, item_id=item_id)
        .select_related("item__exercise", "session")
        .first()
    )


def analyses_of_log(actor: Any, log: ExerciseLog) -> QuerySet[MotionAnalysis]:
    """The analyses attached to ``log``, newest first."""
    return _scoped(actor).filter(exercise_log=log)


def analyses_of_patient(actor: Any, patient: Patient) -> QuerySet[MotionAnalysis]:
    """Every analysis of the patient's logged exercises, newest session first."""
    return (
        _scoped(actor)
        .filter(exercise_log__session__patient=patient)
        .order_by("-exercise_log__session__performed_on", "-created_at", "-id")
    )


def _scoped(actor: Any) -> QuerySet[MotionAnalysis]:
    return MotionAnalysis.objects.for_actor(actor).select_related(
        "exercise_log__session", "exercise_log__item__exercise"
    )


def analyse_log(actor: Any, log: ExerciseLog, upload: MotionUpload) -> tuple[MotionAnalysis, bool]:
    """Analyse ``upload`` against the exercise's motion profile and attach it to ``log``.

    Returns ``(analysis, created)``; a replay of a stored ``client_id`` with the same landmarks
    returns the stored analysis. Raises :class:`NoMotionProfile`, :class:`ExerciseSkipped` or
    :class:`AnalysisConflict`. Every attempt writes one audit row (never the landmarks).
    """
    if not ExerciseLog.objects.for_actor(actor).filter(pk=log.pk).exists():
        raise PermissionDenied("not this actor's exercise log")
    body_hash = upload_hash(upload)
    try:
        stored = _find(log, upload.client_id)
        if stored is not None:
            return _replay(actor, log, stored, body_hash), False
        profile = _profile_for(log, motion_profiles())
        # pure and quick (0.05 s for 9,000 frames: bench/motion_speed.py), so it may run inside
        # the request's transaction
        analysis = analyze(upload.landmarks, profile)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    created = _create(log, upload, body_hash, analysis, profile)
            except IntegrityError:
                # a concurrent request stored this client_id first and has committed: read it back
                stored = _find(log, upload.client_id)
                if stored is None:
                    raise
                return _replay(actor, log, stored, body_hash), False
            trail.note(
                actor,
                "motion.analysis.create",
                patient_id=log.session.patient_id,
                obj=created,
                client_id=str(upload.client_id),
                exercise_log=log.pk,
                frames=created.frame_count,
                judged=created.judged,
            )
            return created, True
    except MotionUploadError as error:
        _record_rejection(actor, log, upload, error)
        raise


def _find(log: ExerciseLog, client_id: UUID) -> MotionAnalysis | None:
    return MotionAnalysis.objects.filter(exercise_log=log, client_id=client_id).first()


def _profile_for(log: ExerciseLog, profiles: Mapping[str, MotionProfile]) -> MotionProfile:
    slug = log.item.exercise.slug
    profile = profiles.get(slug)
    if profile is None:
        raise NoMotionProfile(
            f"{log.item.exercise.name} has no motion profile, so it cannot be analysed; "
            f"exercises with one: {', '.join(sorted(profiles)) or 'none'}"
        )
    if not log.done:
        raise ExerciseSkipped("this exercise was logged as skipped, so there is nothing to analyse")
    return profile


def _replay(actor: Any, log: ExerciseLog, stored: MotionAnalysis, body_hash: str) -> MotionAnalysis:
    if stored.body_hash != body_hash:
        raise AnalysisConflict(stored)
    with transaction.atomic():
        trail.note(
            actor,
            "motion.analysis.replay",
            patient_id=log.session.patient_id,
            obj=stored,
            client_id=str(stored.client_id),
            same_body=True,
        )
    return stored


def _create(
    log: ExerciseLog,
    upload: MotionUpload,
    body_hash: str,
    analysis: Analysis,
    profile: MotionProfile,
) -> MotionAnalysis:
    landmarks = upload.landmarks
    return MotionAnalysis.objects.create(
        exercise_log=log,
        client_id=upload.client_id,
        body_hash=body_hash,
        skeleton=landmarks.skeleton.name,
        fps=landmarks.fps,
        frame_count=landmarks.frame_count,
        profile_slug=profile.slug,
        profile_hash=profile_hash(profile),
        judged=analysis.judged,
        reason=analysis.reason,
        quality=analysis.quality,
        confidence=analysis.confidence,
        result=result_json(analysis, profile),
    )


def _record_rejection(
    actor: Any, log: ExerciseLog, upload: MotionUpload, error: MotionUploadError
) -> None:
    client_id = str(upload.client_id)
    patient_id = log.session.patient_id
    if isinstance(error, AnalysisConflict):
        trail.note(
            actor,
            "motion.analysis.replay",
            patient_id=patient_id,
            obj=error.analysis,
            outcome=AuditEvent.Outcome.INVALID,
            client_id=client_id,
            same_body=False,
        )
        return
    trail.note(
        actor,
        "motion.analysis.create",
        patient_id=patient_id,
        obj=log,
        outcome=AuditEvent.Outcome.INVALID,
        client_id=client_id,
        errors=[f"{error.field}: {error}"],
    )


@dataclass(frozen=True)
class Span:
    """A stretch of the recording, in input frames and in seconds from its start."""

    first_frame: int
    last_frame: int
    first_s: float
    last_s: float


@dataclass(frozen=True)
class FaultSummary:
    """One form rule broken in a recording: the cue, which reps (or holds), and where."""

    rule: str
    cue: str
    occurrences: tuple[int, ...]
    """Numbers (from 1) of the reps or holds in which it happened."""
    spans: tuple[Span, ...]


@dataclass(frozen=True)
class HoldSummary:
    """One hold: how long it stayed within tolerance and whether that met the target."""

    number: int
    within_tolerance_s: float
    met_target: bool
    span: Span


@dataclass(frozen=True)
class AnalysisSummary:
    """A stored analysis as the pages show it: counts, holds and faults grouped by rule."""

    analysis: MotionAnalysis
    mode: str
    rep_count: int
    holds: tuple[HoldSummary, ...]
    faults: tuple[FaultSummary, ...]


def summarise(analysis: MotionAnalysis) -> AnalysisSummary:
    """Group the faults of every rep (or hold) by rule, with frames converted to seconds."""
    fps = analysis.fps

    def span(first: int, last: int) -> Span:
        return Span(first, last, round(first / fps, 1), round(last / fps, 1))

    parts = analysis.reps or analysis.holds
    by_rule: dict[str, tuple[str, list[int], list[Span]]] = {}
    for number, part in enumerate(parts, start=1):
        for fault in part.get("faults", []):
            _, occurrences, spans = by_rule.setdefault(fault["rule"], (fault["cue"], [], []))
            occurrences.append(number)
            spans.extend(span(first, last) for first, last in fault["frames"])
    holds = tuple(
        HoldSummary(
            n, h["within_tolerance_s"], h["met_target"], span(h["start_frame"], h["end_frame"])
        )
        for n, h in enumerate(analysis.holds, start=1)
    )
    faults = tuple(
        FaultSummary(rule, cue, tuple(occurrences), tuple(spans))
        for rule, (cue, occurrences, spans) in by_rule.items()
    )
    mode = str(analysis.result.get("mode", "reps"))
    return AnalysisSummary(analysis, mode, len(analysis.reps), holds, faults)
