"""Server memory of one motion upload, per shape of body; prints figures, asserts nothing.

Run from the repository root (Linux; about a minute)::

    uv run python bench/upload_memory.py

Each body is sent in a fresh Python process, with its own temporary SQLite database, through
Django's test client to ``POST /api/v1/me/sessions/{id}/exercises/{id}/motion`` as the patient
who logged that exercise: first a GET (so what any first request loads is loaded), then the
upload, its body handed to the request ready-made as a WSGI server holds it. The figure is the
peak resident memory during the upload (``VmHWM``, reset to the current size just before it
through ``/proc/self/clear_refs``) less the resident memory before it. It counts all memory,
pydantic-core's parse included, which the test suite's measure (``tracemalloc``: Python objects
only) does not see. Memory freed earlier and reused counts as no growth, so it is a floor.

The bodies:

- ``largest``: the largest valid upload, 18,000 BlazePose frames of six-decimal pixels (28 MB);
- ``empty frames``: ten million empty frames (30 MB), refused with 413 before it is parsed;
- ``joints``: one frame of three million joints (30 MB), refused with 413 before it is parsed.

Before the items were counted (issue 11, item 7) the two floods were parsed whole and answered
422: +1,547 MB and +1,371 MB, against +299 MB for the largest upload; now +5 MB and +6 MB.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ENVELOPE = b'{"client_id": "0b8e6a0e-5d0c-4a59-a1ff-3f0a4c2b9e11", "fps": 30, '
KINDS = ("largest", "empty frames", "joints")
MALLOC = {"MALLOC_MMAP_THRESHOLD_": "65536", "MALLOC_TRIM_THRESHOLD_": "0"}
"""glibc gives large blocks back to the system when freed, and keeps no free memory at the top
of its heap, so memory freed while the body was built is not silently reused by the upload."""


def body_of(kind: str) -> bytes:
    """The upload of ``kind`` as bytes, built frame by frame to keep the builder's memory low."""
    if kind == "empty frames":
        return ENVELOPE + b'"skeleton": "blazepose33", "frames": [' + b"[]," * 9_999_999 + b"[]]}"
    if kind == "joints":
        joints = b"[0,0,0,0]," * 2_999_999 + b"[0,0,0,0]"
        return ENVELOPE + b'"skeleton": "blazepose33", "frames": [[' + joints + b"]]}"
    import numpy as np

    rng = np.random.default_rng(0)
    frames = []
    for _ in range(18_000):
        frame = rng.uniform(100, 999, (33, 4))
        frame[:, 3] = rng.uniform(0, 1, 33)
        frames.append(json.dumps(np.round(frame, 6).tolist()))
    return ENVELOPE + b'"skeleton": "blazepose33", "frames": [' + ",".join(frames).encode() + b"]}"


def memory_mb(field: str) -> float:
    """``VmRSS`` or ``VmHWM`` of this process, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024 / 1e6
    raise RuntimeError(f"no {field} in /proc/self/status (this benchmark needs Linux)")


def measure(kind: str) -> str:
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
    patient = squatter(Clinic.objects.create(name="Upload Memory Bench"))
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
    before = memory_mb("VmRSS")
    response = client.generic("POST", url, **environ)
    growth = memory_mb("VmHWM") - before
    return (
        f"{kind:>12}: {len(body) / 1e6:4.0f} MB body, answered {response.status_code}, "
        f"server memory +{growth:,.0f} MB"
    )


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        print(measure(sys.argv[2]))
        return
    for kind in KINDS:
        with tempfile.TemporaryDirectory() as data_dir:
            env = os.environ | {
                "DJANGO_SETTINGS_MODULE": "backcare.settings",
                "BACKCARE_DATA_DIR": data_dir,
                **MALLOC,
            }
            done = subprocess.run(
                [sys.executable, __file__, "--one", kind], cwd=ROOT, env=env,
                capture_output=True, text=True, check=False,
            )  # fmt: skip
            print(done.stdout.strip() or done.stderr.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
