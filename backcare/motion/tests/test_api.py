"""The motion API: upload a recording of a logged exercise, read the stored analyses."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from itertools import cycle, islice
from typing import Any, get_args

import numpy as np
import pytest
from django.test import Client

from backcare.accounts.models import Clinic, User
from backcare.audit.models import AuditEvent
from backcare.core.motion import SKELETONS
from backcare.logbook.models import ExerciseLog
from backcare.motion import api, upload
from backcare.motion.models import MotionAnalysis
from backcare.motion.services import MAX_BODY_BYTES, MAX_FRAMES, MAX_JOINTS
from backcare.motion.tests.synthetic import (
    log_of,
    motion_url,
    squat_body,
    squat_values,
    squatter,
)
from backcare.patients.models import Patient
from backcare.testing import logged_in

NOW = datetime(2025, 3, 12, 8, 30, tzinfo=UTC)
PROBLEM = "application/problem+json"


@pytest.fixture(autouse=True)
def frozen_time(time_machine: Any) -> None:
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def sam(clinic: Clinic, library: Any) -> Patient:
    return squatter(clinic)


@pytest.fixture
def squat_log(sam: Patient) -> ExerciseLog:
    return log_of(sam, "bodyweight-squat")


def post(client: Client, url: str, body: Any, **extra: Any) -> Any:
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(url, data, content_type="application/json", **extra)


def fields_of(response: Any) -> dict[str, str]:
    return {e["field"]: e["message"] for e in response.json().get("errors", [])}


def test_it_stores_one_analysis_with_the_rep_count(sam: Patient, squat_log: ExerciseLog) -> None:
    body = squat_body(reps=3)

    response = post(logged_in(sam.user), motion_url(squat_log), body)

    assert response.status_code == 201
    result = response.json()
    assert (result["judged"], len(result["reps"]), result["quality"]) == (True, 3, 100)
    assert (result["session_id"], result["item_id"]) == (squat_log.session_id, squat_log.item_id)
    assert (result["exercise_slug"], result["profile_slug"]) == ("bodyweight-squat",) * 2
    assert (result["skeleton"], result["fps"], result["mode"]) == ("blazepose33", 30.0, "reps")
    assert result["frame_count"] == len(body["frames"])
    stored = MotionAnalysis.objects.get()
    assert (stored.exercise_log, str(stored.client_id)) == (squat_log, body["client_id"])
    assert len(stored.profile_hash) == 64
    rep = result["reps"][0]
    assert rep["start_frame"] < rep["turn_frame"] < rep["end_frame"]
    assert rep["range_of_motion_deg"] > 90


def test_it_keeps_only_the_result_never_the_landmarks(sam: Patient, squat_log: ExerciseLog) -> None:
    post(logged_in(sam.user), motion_url(squat_log), squat_body(reps=3))

    stored = MotionAnalysis.objects.get()
    assert {f.name for f in MotionAnalysis._meta.get_fields()} == {
        "id",
        "exercise_log",
        "client_id",
        "body_hash",
        "skeleton",
        "fps",
        "frame_count",
        "profile_slug",
        "profile_hash",
        "judged",
        "reason",
        "quality",
        "confidence",
        "result",
        "created_at",
    }
    assert set(stored.result) == {
        "slug",
        "judged",
        "reason",
        "confidence",
        "facing",
        "duration_s",
        "reps",
        "holds",
        "quality",
        "unchecked_rules",
        "mode",
    }


def test_it_reports_faults_with_their_cue_and_frames(sam: Patient, squat_log: ExerciseLog) -> None:
    response = post(logged_in(sam.user), motion_url(squat_log), squat_body(reps=2, lean=0.6))

    result = response.json()
    faults = [fault for rep in result["reps"] for fault in rep["faults"]]
    assert [f["rule"] for f in faults] == ["trunk_lean", "trunk_lean"]
    assert faults[0]["cue"].startswith("Keep your chest up")
    first, last = faults[0]["frames"][0]
    rep = result["reps"][0]
    assert rep["start_frame"] <= first < last <= rep["end_frame"]
    assert result["quality"] < 100


def test_it_says_when_the_landmarks_are_too_poor_to_judge(
    sam: Patient, squat_log: ExerciseLog
) -> None:
    body = squat_body(reps=3)
    body["frames"] = [[[x, y, z, 0.3] for x, y, z, _ in frame] for frame in body["frames"]]

    response = post(logged_in(sam.user), motion_url(squat_log), body)

    assert response.status_code == 201
    result = response.json()
    assert (result["judged"], result["reps"], result["quality"]) == (False, [], None)
    assert "seen too poorly" in result["reason"]


def test_it_answers_a_replay_with_the_stored_analysis(sam: Patient, squat_log: ExerciseLog) -> None:
    client, body = logged_in(sam.user), squat_body(reps=3)

    first = post(client, motion_url(squat_log), body)
    again = post(client, motion_url(squat_log), body)

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert MotionAnalysis.objects.count() == 1


def test_it_refuses_the_same_client_id_with_other_landmarks(
    sam: Patient, squat_log: ExerciseLog
) -> None:
    client, body = logged_in(sam.user), squat_body(reps=3)
    post(client, motion_url(squat_log), body)

    response = post(client, motion_url(squat_log), squat_body(reps=2, client_id=body["client_id"]))

    assert response.status_code == 422
    assert response.json()["type"] == "urn:backcare:problem:motion-conflict"
    assert "body.client_id" in fields_of(response)
    assert MotionAnalysis.objects.count() == 1


def _frame(body: dict[str, Any], value: Any, frame: int = 12, joint: int = 3) -> None:
    body["frames"][frame][joint] = value


def _number(body: dict[str, Any], index: int, value: Any) -> None:
    body["frames"][12][3][index] = value


BAD_INPUT = [
    (
        "fewer joints",
        lambda b: b["frames"].__setitem__(12, b["frames"][12][:32]),
        "body.frames.12",
        "has 32 joints; blazepose33 has 33",
    ),
    (
        "three numbers for a joint",
        lambda b: _frame(b, [0.1, 0.2, 0.3]),
        "body.frames.12.3",
        "must be [x, y, z, visibility]",
    ),
    (
        "five numbers for a joint",
        lambda b: _frame(b, [0.1, 0.2, 0.3, 0.9, 1.0]),
        "body.frames.12.3",
        "must be [x, y, z, visibility]",
    ),
    ("a joint not a list", lambda b: _frame(b, 0.5), "body.frames.12.3", "valid array"),
    ("a joint an object", lambda b: _frame(b, {"x": 1}), "body.frames.12.3", "valid array"),
    (
        "a frame not a list",
        lambda b: b["frames"].__setitem__(12, 7),
        "body.frames.12",
        "valid array",
    ),
    ("text", lambda b: _number(b, 1, "0.5"), "body.frames.12.3.1", "valid number"),
    ("true", lambda b: _number(b, 2, True), "body.frames.12.3.2", "valid number"),
    ("null", lambda b: _number(b, 0, None), "body.frames.12.3.0", "valid number"),
    ("a list for a number", lambda b: _number(b, 0, [0.5]), "body.frames.12.3.0", "valid number"),
    (
        "visibility over 1",
        lambda b: _number(b, 3, 1.5),
        "body.frames.12.3.3",
        "visibility must be between 0 and 1, got 1.5",
    ),
    (
        "negative visibility",
        lambda b: _number(b, 3, -0.1),
        "body.frames.12.3.3",
        "visibility must be between 0 and 1",
    ),
    ("fps too low", lambda b: b.update(fps=5), "body.fps", "greater than or equal to 10"),
    ("fps too high", lambda b: b.update(fps=500), "body.fps", "less than or equal to 120"),
    ("fps as text", lambda b: b.update(fps="30"), "body.fps", "valid number"),
    ("fps as a list", lambda b: b.update(fps=[30]), "body.fps", "valid number"),
    ("no frames", lambda b: b.update(frames=[]), "body.frames", "at least 1 item"),
    ("frames not a list", lambda b: b.update(frames="many"), "body.frames", "valid array"),
    ("frames an object", lambda b: b.update(frames={"0": []}), "body.frames", "valid array"),
    ("frames missing", lambda b: b.pop("frames"), "body.frames", "Field required"),
    (
        "unknown skeleton",
        lambda b: b.update(skeleton="coco17"),
        "body.skeleton",
        "'blazepose33' or 'kinect22'",
    ),
    (
        "another skeleton's joints",
        lambda b: b.update(skeleton="kinect22"),
        "body.frames.0",
        "has 33 joints; kinect22 has 22",
    ),
    ("client_id not a UUID", lambda b: b.update(client_id="nope"), "body.client_id", "UUID"),
    (
        "client_id too long",
        lambda b: b.update(client_id="a" * 65),
        "body.client_id",
        "must be at most 64 characters",
    ),
    ("client_id missing", lambda b: b.pop("client_id"), "body.client_id", "Field required"),
    ("unknown field", lambda b: b.update(video="x"), "body.video", "Extra inputs"),
    (
        "unknown field with frames",
        lambda b: b.update(video=b["frames"]),
        "body.video",
        "Extra inputs",
    ),
    (
        "unknown field with long text",
        lambda b: b.update(video="x" * 65),
        "body.video",
        "Extra inputs",
    ),
]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [case[1:] for case in BAD_INPUT],
    ids=[case[0] for case in BAD_INPUT],
)
def test_it_refuses_bad_input_naming_the_field(
    sam: Patient, squat_log: ExerciseLog, change: Any, field: str, message: str
) -> None:
    body = squat_body(reps=1)
    change(body)

    response = post(logged_in(sam.user), motion_url(squat_log), body)

    assert (response.status_code, response["Content-Type"]) == (422, PROBLEM)
    assert response.json()["type"] == "urn:backcare:problem:invalid-input"
    errors = fields_of(response)
    assert field in errors, errors
    assert message in errors[field]
    assert not MotionAnalysis.objects.exists()


def test_it_lists_at_most_twenty_errors(sam: Patient, squat_log: ExerciseLog) -> None:
    body = squat_body(reps=1)
    for frame in body["frames"]:
        frame[0][3] = 2.0

    response = post(logged_in(sam.user), motion_url(squat_log), body)

    errors = response.json()["errors"]
    assert len(errors) == upload.MAX_ERRORS + 1
    assert errors[-1]["message"].startswith(f"and {len(body['frames']) - upload.MAX_ERRORS} more")


def test_it_lists_at_most_twenty_errors_of_numbers(sam: Patient, squat_log: ExerciseLog) -> None:
    body = squat_body(reps=1)
    for frame in body["frames"]:
        frame[0][0] = "0.5"

    response = post(logged_in(sam.user), motion_url(squat_log), body)

    errors = response.json()["errors"]
    assert len(errors) == upload.MAX_ERRORS + 1
    assert errors[0] == {"field": "body.frames.0.0.0", "message": "Input should be a valid number"}
    assert errors[-1]["message"].startswith(f"and {len(body['frames']) - upload.MAX_ERRORS} more")


def test_it_counts_unknown_fields_without_listing_them_all(
    sam: Patient, squat_log: ExerciseLog
) -> None:
    body = squat_body(reps=1) | {f"field{n}": n for n in range(1000)}

    response = post(logged_in(sam.user), motion_url(squat_log), body)

    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors[0] == {"field": "body.field0", "message": "Extra inputs are not permitted"}
    assert errors[-1] == {
        "field": "body",
        "message": f"and {1000 - upload.MAX_ERRORS} more problems",
    }


NOT_JSON = {
    "cut off": '{"frames": [[[0.1,',
    "empty": "",
    "text after the object": '{"fps": 30} {"fps": 30}',
    "NaN": '{"frames": [[[NaN, 0, 0, 1]]]}',
    "Infinity": '{"frames": [[[0, -Infinity, 0, 1]]]}',
    "a number past a double": '{"frames": [[[1e400, 0, 0, 1]]]}',
    "an integer past 64 bits": '{"fps": 18446744073709551616}',
}
"""Bodies that are not JSON, or not JSON that yajl takes: NaN and Infinity are not JSON (RFC
8259), and a number outside a double or an integer outside 64 bits could be no landmark."""


@pytest.mark.parametrize("body", sorted(NOT_JSON))
def test_it_answers_400_when_the_body_is_not_json(
    sam: Patient, squat_log: ExerciseLog, body: str
) -> None:
    response = post(logged_in(sam.user), motion_url(squat_log), NOT_JSON[body])

    assert (response.status_code, response["Content-Type"]) == (400, PROBLEM)
    assert response.json()["type"] == "urn:backcare:problem:malformed-json"
    assert fields_of(response)["body"].startswith("is not valid JSON (")
    assert not MotionAnalysis.objects.exists()


@pytest.mark.parametrize("top_level", ["[]", "3", '"frames"'])
def test_it_refuses_a_body_that_is_not_an_object(
    sam: Patient, squat_log: ExerciseLog, top_level: str
) -> None:
    response = post(logged_in(sam.user), motion_url(squat_log), top_level)

    assert response.status_code == 422
    assert "body" in fields_of(response)


def test_it_refuses_a_body_over_the_size_limit_with_413(
    sam: Patient, squat_log: ExerciseLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(upload, "MAX_BODY_BYTES", 10_000)

    response = post(logged_in(sam.user), motion_url(squat_log), squat_body(reps=1))

    assert (response.status_code, response["Content-Type"]) == (413, PROBLEM)
    assert response.json()["type"] == "urn:backcare:problem:too-large"
    assert "10,000 bytes" in response.json()["detail"]
    assert not MotionAnalysis.objects.exists()


def test_it_refuses_a_declared_size_over_the_limit_without_reading_the_body(
    sam: Patient, squat_log: ExerciseLog
) -> None:
    declared = str(MAX_BODY_BYTES + 1)

    response = post(logged_in(sam.user), motion_url(squat_log), "{}", CONTENT_LENGTH=declared)

    assert response.status_code == 413


ENVELOPE = (
    b'{"client_id": "0b8e6a0e-5d0c-4a59-a1ff-3f0a4c2b9e11", "fps": 30, "skeleton": "blazepose33", '
)
FLOODS = {
    "ten million empty frames": (
        ENVELOPE + b'"frames": [' + b"[]," * 9_999_999 + b"[]]}",
        "body.frames",
        f"must hold at most {MAX_FRAMES} frames",
    ),
    "one frame of three million joints": (
        ENVELOPE + b'"frames": [[' + b"[0,0,0,0]," * 2_999_999 + b"[0,0,0,0]]]}",
        "body.frames.0",
        f"must hold at most {MAX_JOINTS} joints",
    ),
}
"""Bodies under the byte limit with far more frames or joints than any recording: the first
took 1.5 GB of memory to parse before the frame limit was checked (issue 11.7). The server
memory each takes is measured in ``test_upload_memory.py``."""


@pytest.mark.parametrize("flood", sorted(FLOODS))
def test_it_refuses_a_flood_of_frames_or_joints_as_too_large(
    sam: Patient, squat_log: ExerciseLog, flood: str
) -> None:
    body, field, message = FLOODS[flood]
    assert len(body) < MAX_BODY_BYTES

    response = post(logged_in(sam.user), motion_url(squat_log), body)

    assert (response.status_code, response["Content-Type"]) == (413, PROBLEM)
    assert response.json()["type"] == "urn:backcare:problem:too-large"
    assert fields_of(response) == {field: message}
    assert not MotionAnalysis.objects.exists()


def _longest_upload(frames: int) -> bytes:
    """``frames`` BlazePose frames of squatting (six-decimal pixels), every joint present."""
    values = squat_values(reps=3)
    values[..., :3] += np.linspace(0, 0.999999, values[..., :3].size).reshape(values[..., :3].shape)
    texts = [json.dumps(frame) for frame in np.round(values, 6).tolist()]
    return ENVELOPE + b'"frames": [' + ",".join(islice(cycle(texts), frames)).encode() + b"]}"


def test_it_analyses_an_upload_of_the_most_frames_and_joints(
    sam: Patient, squat_log: ExerciseLog
) -> None:
    response = post(logged_in(sam.user), motion_url(squat_log), _longest_upload(MAX_FRAMES))

    assert response.status_code == 201
    assert response.json()["frame_count"] == MAX_FRAMES


def test_it_refuses_one_frame_more_than_the_most_as_too_large(
    sam: Patient, squat_log: ExerciseLog
) -> None:
    response = post(logged_in(sam.user), motion_url(squat_log), _longest_upload(MAX_FRAMES + 1))

    assert response.status_code == 413
    assert response.json()["type"] == "urn:backcare:problem:too-large"
    assert fields_of(response) == {"body.frames": f"must hold at most {MAX_FRAMES} frames"}


def test_it_refuses_a_frame_of_one_joint_more_than_the_most_as_too_large(
    sam: Patient, squat_log: ExerciseLog
) -> None:
    body = squat_body(reps=1)
    body["frames"][5].append([0.1, 0.2, 0.3, 0.9])

    response = post(logged_in(sam.user), motion_url(squat_log), body)

    assert response.status_code == 413
    assert fields_of(response) == {"body.frames.5": f"must hold at most {MAX_JOINTS} joints"}


def test_it_accepts_uploads_over_djangos_default_body_limit(
    sam: Patient, squat_log: ExerciseLog, settings: Any
) -> None:
    body = json.dumps(squat_body(reps=3))
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = len(body) // 2

    response = post(logged_in(sam.user), motion_url(squat_log), body)

    assert response.status_code == 201


def test_it_refuses_an_exercise_without_a_motion_profile(sam: Patient) -> None:
    walk = log_of(sam, "walking")

    response = post(logged_in(sam.user), motion_url(walk), squat_body(reps=1))

    assert response.status_code == 422
    problem = response.json()
    assert problem["type"] == "urn:backcare:problem:no-motion-profile"
    assert "Walking has no motion profile" in problem["detail"]
    assert "bodyweight-squat" in fields_of(response)["path.item_id"]
    assert not MotionAnalysis.objects.exists()


def test_it_refuses_an_exercise_logged_as_skipped(sam: Patient, squat_log: ExerciseLog) -> None:
    ExerciseLog.objects.filter(pk=squat_log.pk).update(done=False)

    response = post(logged_in(sam.user), motion_url(squat_log), squat_body(reps=1))

    assert response.status_code == 422
    assert response.json()["type"] == "urn:backcare:problem:exercise-skipped"


def test_it_lists_the_analyses_of_a_logged_exercise_newest_first(
    sam: Patient, squat_log: ExerciseLog, time_machine: Any
) -> None:
    client = logged_in(sam.user)
    post(client, motion_url(squat_log), squat_body(reps=2))
    time_machine.shift(60)
    post(client, motion_url(squat_log), squat_body(reps=3))

    response = client.get(motion_url(squat_log))

    assert response.status_code == 200
    assert [len(a["reps"]) for a in response.json()] == [3, 2]


def test_it_gives_the_clinician_their_patients_analyses(
    sam: Patient, squat_log: ExerciseLog, clinician: User
) -> None:
    post(logged_in(sam.user), motion_url(squat_log), squat_body(reps=3))

    response = logged_in(clinician).get(f"/api/v1/patients/{sam.pk}/motion")

    assert response.status_code == 200
    [analysis] = response.json()
    assert (analysis["exercise_slug"], len(analysis["reps"])) == ("bodyweight-squat", 3)
    assert analysis["performed_on"] == "2025-03-11"


# ---- privacy: owner, another patient, another clinic's clinician, anonymous -------------------


def _persona(
    name: str, sam: Patient, other_patient: Patient, clinician: User, outsider: User
) -> Client:
    users = {
        "owner": sam.user,
        "other patient": other_patient.user,
        "clinician": clinician,
        "outsider": outsider,
    }
    return Client() if name == "anonymous" else logged_in(users[name])


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("owner", 201),
        ("other patient", 404),
        ("clinician", 404),
        ("outsider", 404),
        ("anonymous", 401),
    ],
)
def test_only_the_owner_can_upload(
    sam: Patient,
    squat_log: ExerciseLog,
    other_patient: Patient,
    clinician: User,
    outsider: User,
    persona: str,
    status: int,
) -> None:
    client = _persona(persona, sam, other_patient, clinician, outsider)

    response = post(client, motion_url(squat_log), squat_body(reps=1))

    assert response.status_code == status
    assert MotionAnalysis.objects.count() == (1 if status == 201 else 0)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("owner", 200),
        ("other patient", 404),
        ("clinician", 404),
        ("outsider", 404),
        ("anonymous", 401),
    ],
)
def test_only_the_owner_can_list_a_logged_exercises_analyses(
    sam: Patient,
    squat_log: ExerciseLog,
    other_patient: Patient,
    clinician: User,
    outsider: User,
    persona: str,
    status: int,
) -> None:
    post(logged_in(sam.user), motion_url(squat_log), squat_body(reps=1))
    client = _persona(persona, sam, other_patient, clinician, outsider)

    response = client.get(motion_url(squat_log))

    assert response.status_code == status
    if status == 200:
        assert len(response.json()) == 1


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("clinician", 200),
        ("outsider", 404),
        ("owner", 404),
        ("other patient", 404),
        ("anonymous", 401),
    ],
)
def test_only_the_patients_clinic_can_list_all_their_analyses(
    sam: Patient,
    squat_log: ExerciseLog,
    other_patient: Patient,
    clinician: User,
    outsider: User,
    persona: str,
    status: int,
) -> None:
    post(logged_in(sam.user), motion_url(squat_log), squat_body(reps=1))
    client = _persona(persona, sam, other_patient, clinician, outsider)

    response = client.get(f"/api/v1/patients/{sam.pk}/motion")

    assert response.status_code == status
    if status == 200:
        assert len(response.json()) == 1


def test_it_needs_the_csrf_token_to_upload(sam: Patient, squat_log: ExerciseLog) -> None:
    client = Client(enforce_csrf_checks=True)
    assert sam.user is not None
    client.force_login(sam.user)

    response = post(client, motion_url(squat_log), squat_body(reps=1))

    assert response.status_code == 403
    assert not MotionAnalysis.objects.exists()


# ---- audit -----------------------------------------------------------------------------------


def _events() -> list[tuple[str, str, int | None]]:
    return list(AuditEvent.objects.order_by("id").values_list("action", "outcome", "patient_id"))


def test_it_audits_an_upload_and_its_replay(sam: Patient, squat_log: ExerciseLog) -> None:
    client, body = logged_in(sam.user), squat_body(reps=1)
    post(client, motion_url(squat_log), body)
    post(client, motion_url(squat_log), body)
    post(client, motion_url(squat_log), squat_body(reps=2, client_id=body["client_id"]))

    assert _events() == [
        ("motion.analysis.create", "ok", sam.pk),
        ("motion.analysis.replay", "ok", sam.pk),
        ("motion.analysis.replay", "invalid", sam.pk),
    ]
    created = AuditEvent.objects.order_by("id").first()
    assert created is not None
    assert (created.object_type, created.detail["client_id"]) == (
        "motion.MotionAnalysis",
        body["client_id"],
    )


def test_it_audits_a_refused_upload_with_the_reasons_but_not_the_landmarks(
    sam: Patient, squat_log: ExerciseLog
) -> None:
    body = squat_body(reps=1)
    body["frames"][4][7][3] = 3.0

    post(logged_in(sam.user), motion_url(squat_log), body)

    event = AuditEvent.objects.get()
    assert (event.action, event.outcome, event.patient_id) == (
        "motion.analysis.create",
        "invalid",
        sam.pk,
    )
    assert event.detail["errors"] == [
        "body.frames.4.7.3: visibility must be between 0 and 1, got 3"
    ]
    assert len(json.dumps(event.detail)) < 500


def test_it_audits_an_upload_to_an_exercise_without_a_profile(sam: Patient) -> None:
    post(logged_in(sam.user), motion_url(log_of(sam, "walking")), squat_body(reps=1))

    assert _events() == [("motion.analysis.create", "invalid", sam.pk)]


def test_it_audits_reads_and_refused_reads(
    sam: Patient, squat_log: ExerciseLog, clinician: User, outsider: User
) -> None:
    logged_in(sam.user).get(motion_url(squat_log))
    logged_in(clinician).get(f"/api/v1/patients/{sam.pk}/motion")
    logged_in(outsider).get(f"/api/v1/patients/{sam.pk}/motion")
    logged_in(outsider).post(motion_url(squat_log), "{}", content_type="application/json")

    assert _events() == [
        ("api.motion.list", "ok", sam.pk),
        ("api.motion.list", "ok", sam.pk),
        ("api.motion.list", "not_found", sam.pk),
        ("motion.analysis.create", "not_found", sam.pk),  # on the targeted patient's trail
    ]


# ---- schema ----------------------------------------------------------------------------------


def test_it_documents_the_upload_body_in_the_openapi_schema(db: Any) -> None:
    schema = Client().get("/api/v1/openapi.json").json()

    operation = schema["paths"]["/api/v1" + api.MOTION_PATH]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert set(body["required"]) == {"client_id", "fps", "skeleton", "frames"}
    assert {"413", "422"} <= set(operation["responses"])


def test_it_accepts_every_skeleton_the_engine_knows() -> None:
    assert set(get_args(upload.SkeletonName)) == set(SKELETONS)
