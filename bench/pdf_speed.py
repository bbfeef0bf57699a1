"""How long one programme handout and one progress report take to make; prints, asserts nothing.

Run from the repository root::

    uv run python bench/pdf_speed.py [--repeat 20] [--out /tmp/handout.pdf]

It builds a throw-away SQLite database in a temporary folder (the exercise library, one clinic,
one patient with a seven-exercise programme and four weeks of logs), then times
``documents.services.programme_handout`` and ``progress_report`` end to end: the scoped reads, the
audit row, the SVG figures and charts through svglib, and reportlab's layout. ``--out`` also
writes the last handout (and the report beside it) to look at.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SLUGS = [
    "abdominal-bracing",
    "bridge",
    "bird-dog",
    "dead-bug",
    "hamstring-stretch",
    "pelvic-tilt",
    "walking",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["BACKCARE_DATA_DIR"] = folder
        os.environ.pop("DATABASE_URL", None)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backcare.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        run(args.repeat, args.out)


def run(repeat: int, out: Path | None) -> None:
    from django.core.management import call_command
    from django.utils import timezone

    from backcare.accounts.models import Clinic
    from backcare.documents.services import programme_handout, progress_report
    from backcare.library.services import refresh_library
    from backcare.testing import log_sessions, make_patient, make_programme

    call_command("migrate", verbosity=0)
    refresh_library()
    clinic = Clinic.objects.create(
        name="Riverside Physio",
        phone="01234 567890",
        email="desk@riverside.example",
        address="1 River Lane\nTownsville",
    )
    today = date.today()
    started = timezone.now() - timedelta(days=29)
    patient = make_patient(clinic, "robin", last_name="Reed", created_at=started)
    programme = make_programme(patient, SLUGS)
    log_sessions(programme, today - timedelta(days=28), 28, 6, 2)
    user = patient.user

    makers: dict[str, Callable[[], bytes]] = {
        "handout": lambda: programme_handout(user, patient, today),
        "progress report": lambda: progress_report(user, patient, today, "patient"),
    }
    for name, make in makers.items():
        make()  # warm-up: font registration, template caches
        timings, content = [], b""
        for _ in range(repeat):
            start = time.perf_counter()
            content = make()
            timings.append(time.perf_counter() - start)
        ms = sorted(t * 1000 for t in timings)
        print(
            f"{name}: {len(SLUGS)} exercises, {len(content) / 1024:.0f} KiB; median "
            f"{statistics.median(ms):.0f} ms, fastest {ms[0]:.0f} ms, slowest {ms[-1]:.0f} ms "
            f"over {repeat} runs"
        )
        if out is not None:
            target = out if name == "handout" else out.with_name(out.stem + "-progress.pdf")
            target.write_bytes(content)
            print(f"  written to {target}")


if __name__ == "__main__":
    main()
