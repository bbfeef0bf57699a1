"""Synthetic BlazePose-33 recordings with known answers, and the persona who uploads them."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import numpy as np

from backcare.accounts.models import Clinic
from backcare.core.motion import BLAZEPOSE_33
from backcare.logbook.models import ExerciseLog
from backcare.patients.models import Patient
from backcare.testing import log_sessions, make_patient, make_programme

FPS = 30.0
SESSION_DAY = date(2025, 3, 11)


def squat_knees(reps: int, period_s: float = 3.0, rest_s: float = 1.0) -> np.ndarray:
    """Knee flexion (degrees) for ``reps`` squats to 110°, with rests standing at 5°."""
    t = np.arange(round(period_s * FPS)) / FPS
    one = 5 + 105 * (0.5 - 0.5 * np.cos(2 * np.pi * t / period_s))
    rest = np.full(round(rest_s * FPS), 5.0)
    return np.concatenate([rest, *([one, rest] * reps)])


def squat_values(reps: int, *, lean: float = 0.27, visibility: float = 0.95) -> np.ndarray:
    """Frames × 33 × 4 of a side-on squatter in image pixels (y down, as BlazePose gives them):
    the shank takes 35% of the knee bend, the thigh 65%, the trunk leans ``lean`` × the knee
    angle forwards (0.27 as in a good squat; 0.6 leans past the profile's trunk_lean rule)."""
    knee_deg = squat_knees(reps)
    knee, trunk = np.radians(knee_deg), np.radians(lean * knee_deg)
    frames = knee.shape[0]
    ankle = np.stack([np.full(frames, 300.0), np.full(frames, 40.0)], axis=1)  # x, height
    knee_pt = ankle + 180 * np.stack([np.sin(0.35 * knee), np.cos(0.35 * knee)], axis=1)
    hip = knee_pt + 180 * np.stack([-np.sin(0.65 * knee), np.cos(0.65 * knee)], axis=1)
    shoulder = hip + 200 * np.stack([np.sin(trunk), np.cos(trunk)], axis=1)
    toe = ankle + np.array([80.0, -24.0])
    values = np.zeros((frames, len(BLAZEPOSE_33.joints), 4))
    values[..., 3] = visibility
    points = (shoulder, shoulder, hip, hip, knee_pt, knee_pt, ankle, ankle, toe, toe)
    for n, (index, point) in enumerate(zip(BLAZEPOSE_33.common_indices, points, strict=True)):
        values[:, index, 0] = point[:, 0]
        values[:, index, 1] = 720.0 - point[:, 1]  # image y grows downwards
        values[:, index, 2] = -0.1 if n % 2 == 0 else 0.1
    return values


def squat_body(reps: int = 3, *, lean: float = 0.27, **fields: Any) -> dict[str, Any]:
    """An upload of ``reps`` squats, as the API takes it."""
    body = {
        "client_id": str(uuid.uuid4()),
        "fps": FPS,
        "skeleton": "blazepose33",
        "frames": np.round(squat_values(reps, lean=lean), 4).tolist(),
    }
    return body | fields


def squatter(clinic: Clinic) -> Patient:
    """A patient whose programme has a squat (with a motion profile), a walk and a bridge
    (without), and one logged session on ``SESSION_DAY`` with everything done."""
    patient = make_patient(clinic, "sam")
    programme = make_programme(patient, ["bodyweight-squat", "walking", "bridge"])
    log_sessions(programme, SESSION_DAY, 1, 2, 2)
    return patient


def log_of(patient: Patient, slug: str) -> ExerciseLog:
    """The patient's (only) logged exercise of ``slug``."""
    return ExerciseLog.objects.get(session__patient=patient, item__exercise__slug=slug)


def motion_url(log: ExerciseLog) -> str:
    return f"/api/v1/me/sessions/{log.session_id}/exercises/{log.item_id}/motion"
