"""Server memory of one motion upload, measured in a fresh Python process (Linux only).

:func:`measure_in_fresh_process` runs this module as ``python -m backcare.motion.tests.memory
KIND``: the child sets up its own SQLite database in a temporary folder (whatever database the
suite runs on: what is measured is the reading of the body, not the database), then sends one
body of ``KIND`` through Django's test client to ``POST /api/v1/me/sessions/{id}/exercises/{id}/
motion`` as the patient who logged that exercise: first a GET (so what any first request loads
is loaded), then the upload, its body handed to the request ready-made as a WSGI server holds
it. The figure is the peak resident memory during the upload (``VmHWM``, reset to the current
size just before it through ``/proc/self/clear_refs``) less the resident memory before it. It
counts all memory, native allocations included (yajl's, NumPy's, pydantic-core's), which
``tracemalloc`` does not see. Memory freed earlier and reused counts as no growth, so it is a
floor; ``MALLOC`` makes that reuse small.

Used by ``bench/upload_memory.py`` (which prints the figures) and by ``test_upload_memory.py``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
ENVELOPE = (
    b'{"client_id": "0b8e6a0e-5d0c-4a59-a1ff-3f0a4c2b9e11", "fps": 30, "skeleton": "blazepose33", '
)
KINDS = {
    "largest": "the largest valid upload: 18,000 BlazePose frames of six-decimal pixels, at 30 fps",
    "largest at 10 fps": "the same at the lowest rate taken, which the engine resamples to 30 Hz",
    "empty frames": "ten million empty frames, under the byte limit",
    "joints": "one frame of three million joints, under the byte limit",
    "fields": "two million unknown fields, under the byte limit",
}
MALLOC = {"MALLOC_MMAP_THRESHOLD_": "65536", "MALLOC_TRIM_THRESHOLD_": "0"}
"""glibc gives large blocks back to the system when freed, and keeps no free memory at the top
of its heap, so memory freed while the body was built is not silently reused by the upload."""


@dataclass(frozen=True)
class Measure:
    """One upload's answer and the server memory it took."""

    kind: str
    status: int
    body_mb: float
    growth_mb: float


def body_of(kind: str) -> bytes:
    """The upload of ``kind`` as bytes, built frame by frame to keep the builder's memory low."""
    if kind == "empty frames":
        return ENVELOPE + b'"frames": [' + b"[]," * 9_999_999 + b"[]]}"
    if kind == "joints":
        return ENVELOPE + b'"frames": [[' + b"[0,0,0,0]," * 2_999_999 + b"[0,0,0,0]]]}"
    if kind == "fields":
        fields = b",".join(b'"f%d":0' % n for n in range(2_000_000))
        return ENVELOPE + fields + b', "frames": [[[0,0,0,1]]]}'

    import numpy as np

    from backcare.motion.services import FPS_RANGE, MAX_FRAMES

    rng = np.random.default_rng(0)
    frames = []
    for _ in range(MAX_FRAMES):
        frame = rng.uniform(100, 999, (33, 4))
        frame[:, 3] = rng.uniform(0, 1, 33)
        frames.append(json.dumps(np.round(frame, 6).tolist()))
    envelope = ENVELOPE.replace(b'"fps": 30', f'"fps": {FPS_RANGE[0]:g}'.encode())
    head = envelope if kind == "largest at 10 fps" else ENVELOPE
    return head + b'"frames": [' + ",".join(frames).encode() + b"]}"


def _memory_mb(field: str) -> float:
    """``VmRSS`` or ``VmHWM`` of this process, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024 / 1e6
    raise RuntimeError(f"no {field} in /proc/self/status (this measure needs Linux)")


def measure(kind: str) -> Measure:
    """One upload of ``kind`` in this (fresh) process: its answer and the memory it took."""
    import gc

    import django
    from django.core.management import call_command
    from django.test.client import FakePayload
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment()
    call_command("migrate", interactive=False, verbosity=0)

    from backcare.accounts.models import Clinic
    from backcare.library.services import refresh_library
    from backcare.motion.tests.synthetic import log_of, motion_url, squatter
    from backcare.testing import logged_in

    refresh_library()
    patient = squatter(Clinic.objects.create(name="Upload Memory"))
    url = motion_url(log_of(patient, "bodyweight-squat"))
    client = logged_in(patient.user)
    body = body_of(kind)
    environ: dict[str, Any] = {
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": FakePayload(body),
    }
    client.get(url)
    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")  # the peak starts again from here
    before = _memory_mb("VmRSS")
    response = client.generic("POST", url, **environ)
    growth = _memory_mb("VmHWM") - before
    return Measure(kind, response.status_code, len(body) / 1e6, growth)


def measure_in_fresh_process(kind: str) -> Measure:
    """:func:`measure` run in a new Python process on its own SQLite database."""
    with tempfile.TemporaryDirectory() as data_dir:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env |= {
            "DJANGO_SETTINGS_MODULE": "backcare.settings",
            "BACKCARE_DATA_DIR": data_dir,
            **MALLOC,
        }
        done = subprocess.run(
            [sys.executable, "-m", "backcare.motion.tests.memory", kind],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
    if done.returncode != 0:
        raise RuntimeError(f"measuring {kind!r} failed:\n{done.stderr[-3000:]}")
    return Measure(**json.loads(done.stdout.strip().splitlines()[-1]))


if __name__ == "__main__":
    print(json.dumps(asdict(measure(sys.argv[1]))))
