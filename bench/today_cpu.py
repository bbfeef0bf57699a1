"""Server CPU per request of the Today page and of a session log, for source trees side by side.

Run from the repository root (loopback only, a temporary folder; a minute or two)::

    uv run python bench/today_cpu.py [TREE ...] [--requests 200] [--rounds 5] [--days 14]

Each ``TREE`` is a checkout of backcare (default: this one), for instance a ``git worktree`` of an
older commit: ``git worktree add /tmp/before <commit>`` then
``uv run python bench/today_cpu.py /tmp/before .``. The trees must share the database schema
(the same migrations): the first one seeds a SQLite database, and every tree's ``backcare
serve`` (``bench/load.py``'s production settings, one secret key, this environment's packages)
serves that one database on its own loopback port.

The figure is the **server process's CPU time** (user + system, from ``/proc``, so Linux only)
over ``--requests`` requests sent one after another, divided by their number: the cost of a
request to the one core a ``serve`` uses, whatever else the machine is doing, which latency is
not. The trees take turns, ``--rounds`` times (A B, then B A, …), so a machine that gets busier
during the run slows them alike; the median round is printed, with the ratio to the first tree.

What is asked: ``GET /me/`` (the Today page) of ``--patients`` patients in turn, each with
``--days`` days of sessions behind them (one a day, every exercise done, and a reminder schedule),
then ``POST /api/v1/me/sessions`` (a fresh session; one in ten an earlier one sent again).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load  # bench/load.py: its server, its client and the login, shared

SEED = """
from datetime import timedelta
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.utils import timezone
from backcare.accounts.models import Clinic, User
from backcare.library.services import refresh_library
from backcare.patients.models import Patient
from backcare.reminders.models import ReminderSchedule
from backcare.testing import log_sessions, make_programme

call_command("migrate", interactive=False, verbosity=0)
refresh_library()
clinic = Clinic.objects.create(name="CPU Bench Clinic")
hashed = make_password(PASSWORD)
today = timezone.localdate()
for n in range(PATIENTS):
    user = User.objects.create(username=f"load-{n:04d}", email=f"load-{n:04d}@example.org",
                               password=hashed, role="patient")
    patient = Patient.objects.create(clinic=clinic, user=user, email=user.email,
                                     first_name=f"Cpu{n}", last_name="Bench", baseline_pain_0_10=5)
    programme = make_programme(patient, ["abdominal-bracing", "bridge", "walking"])
    programme.assigned_at = timezone.now() - timedelta(days=DAYS + 1)
    programme.save(update_fields=["assigned_at"])
    ReminderSchedule.objects.create(patient=patient, weekdays=[0, 2, 4])
    log_sessions(programme, today - timedelta(days=DAYS), DAYS, 5, 3)
"""

KINDS = ("today", "log_session")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (``/proc/<pid>/stat``, fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(
    server: load.Process, kind: str, patients: list[load.Patient], count: int, rng: random.Random
) -> tuple[float, float, int]:
    """CPU ms per request of the server, median wall ms, and errors, over ``count`` requests."""
    client, walls, errors = load.Client(server.port, timeout=30), [], 0
    before = cpu_seconds(server.process.pid)
    for n in range(count):
        started = time.perf_counter()
        if load.OPERATIONS[kind](client, patients[n % len(patients)], rng) is not None:
            errors += 1
        walls.append((time.perf_counter() - started) * 1000)
    spent = cpu_seconds(server.process.pid) - before
    return spent * 1000 / count, statistics.median(walls), errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trees", nargs="*", type=Path, help="backcare checkouts (default: this)")
    parser.add_argument("--requests", type=int, default=200, help="requests per kind and round")
    parser.add_argument("--rounds", type=int, default=5, help="turns each tree takes")
    parser.add_argument("--patients", type=int, default=20)
    parser.add_argument("--days", type=int, default=14, help="days of sessions per patient")
    parser.add_argument("--seed", type=int, default=20261208)
    args = parser.parse_args()
    if min(args.requests, args.rounds, args.patients, args.days) < 1:
        parser.error("--requests, --rounds, --patients and --days must be at least 1")
    trees = [tree.resolve() for tree in args.trees] or [load.ROOT]
    with tempfile.TemporaryDirectory(prefix="backcare-cpu-") as temp:
        run(args, trees, Path(temp))


def run(args: argparse.Namespace, trees: list[Path], folder: Path) -> None:
    env = load.server_env(folder, load.free_port(), {})  # one secret key: one login for all
    print(
        f"backcare CPU per request, {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC, "
        f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}, load average "
        f"{os.getloadavg()[0]:.2f}; {args.patients} patients with {args.days} days of sessions"
    )
    seed = f"PATIENTS = {args.patients}\nPASSWORD = {load.PASSWORD!r}\nDAYS = {args.days}\n" + SEED
    first = env | {"PYTHONPATH": str(trees[0])}
    seeding = [load.BACKCARE, "shell", "-v", "0", "-c", seed]
    subprocess.run(seeding, env=first, check=True, cwd=trees[0])
    servers = []
    try:
        for n, tree in enumerate(trees):
            commit = subprocess.run(
                ["git", "describe", "--always", "--dirty"], capture_output=True, text=True, cwd=tree
            ).stdout.strip()
            print(f"tree {n}: {tree} ({commit or 'not a git checkout'})")
            port = load.free_port()
            command = [load.BACKCARE, "serve", "--port", str(port), "--threads", "8"]
            tree_env = env | {"PYTHONPATH": str(tree)}
            servers.append(load.Process(command, tree_env, port, "/login/", folder / f"{n}.log"))
        rounds(args, trees, servers)
    finally:
        for server in servers:
            server.stop()


def rounds(args: argparse.Namespace, trees: list[Path], servers: list[load.Process]) -> None:
    patients = [load.Patient(f"load-{n:04d}") for n in range(args.patients)]
    for patient in patients:
        load.prepare(load.Client(servers[0].port, timeout=30), patient)
    rng = random.Random(args.seed)
    for server in servers:  # warm-up: templates, caches, connections
        for kind in KINDS:
            measure(server, kind, patients, 20, rng)
    figures: dict[tuple[int, str], list[tuple[float, float, int]]] = {}
    for turn in range(args.rounds):
        order = list(range(len(servers)))
        for n in order if turn % 2 == 0 else order[::-1]:
            for kind in KINDS:
                figures.setdefault((n, kind), []).append(
                    measure(servers[n], kind, patients, args.requests, rng)
                )
    print(f"\n{args.requests} requests per kind and round, {args.rounds} rounds, median round:")
    print(f"{'tree':>4} {'request':<12} {'CPU ms':>8} {'range':>13} {'wall ms':>8} {'errors':>7}")
    for kind in KINDS:
        base = statistics.median(cpu for cpu, _, _ in figures[(0, kind)])
        for n in range(len(trees)):
            taken = figures[(n, kind)]
            cpu = statistics.median(c for c, _, _ in taken)
            spread = f"{min(c for c, _, _ in taken):.1f}–{max(c for c, _, _ in taken):.1f}"
            wall = statistics.median(w for _, w, _ in taken)
            errors = sum(e for _, _, e in taken)
            ratio = f"  × {cpu / base:.2f} of tree 0" if n else ""
            print(f"{n:>4} {kind:<12} {cpu:>8.1f} {spread:>13} {wall:>8.1f} {errors:>7}{ratio}")
    print(f"load average after {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
