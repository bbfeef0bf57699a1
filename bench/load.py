"""Load benchmark: mixed patient traffic against the real server; prints figures, asserts nothing.

Run from the repository root (loopback only; about 60 s + three step tests, bounded)::

    uv run python bench/load.py [--duration 60] [--rate 20] [--patients 100]
                                [--database-url postgres://me@127.0.0.1:5432/postgres]

What it does, in order:

1. Seeds its own data in a temporary ``BACKCARE_DATA_DIR`` (SQLite there by default; with
   ``--database-url`` a throw-away database created on that loopback PostgreSQL server and
   dropped afterwards): the exercise library, one clinic, ``--patients`` patients each with an
   active three-exercise programme and four weeks of logged sessions.
2. Starts the real server, ``backcare serve`` (waitress), on a free loopback port with
   production settings (``BACKCARE_ENV=production``, DEBUG off, secure cookies, HTTPS redirect),
   as behind a TLS proxy: every request carries ``X-Forwarded-Proto: https`` as the proxy would.
   Every patient logs in through the login form.
3. Mixed patient traffic at a fixed arrival rate (an open model: requests are scheduled at the
   rate whether or not earlier ones have answered, and latency is measured from the scheduled
   moment, so a slow server cannot hide its queue — no coordinated omission): 70 % reads (Today
   page, history page, the JSON programme), 25 % session logs through ``POST /api/v1/me/sessions``
   (CSRF token, a fresh ``client_id`` each, one in ten a replay of an earlier one, which must
   answer 200), 5 % logins (login form, fresh device). After the run the stored sessions are
   counted against the acknowledged ones.
4. A step test of the same mix: the rate rises by ``--step-factor`` every ``--step-duration``
   seconds until more than ``--max-error-rate`` of requests fail or p99 exceeds
   ``--p99-limit-ms``; the last rate that passed is the ceiling.
5. The same step test on the hot read path alone (the Today page), then on a bare Django view
   (``bench/bare_site.py``: no database, no middleware, a body as long as the Today page) under
   the same waitress with the same threads, for the ratio of the two.

An error is any unexpected status, a reset or refused connection, or no answer within
``--timeout`` seconds. The client is Python threads with ``http.client`` (one kept-alive
connection per thread) on the same machine as the server, so it takes CPU from it: figures are
for this machine, lower bounds for a server on its own.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import queue
import random
import re
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parents[1]
BACKCARE = str(Path(sys.executable).with_name("backcare"))
PASSWORD = "load bench pass phrase 7"
LOOPBACK = "127.0.0.1"
MIX = {"today": 30, "history": 20, "programme": 20, "log_session": 25, "login": 5}  # percent
STORED_AGAIN: list[tuple[str, str]] = []  # replays answered 201 (as if new), with the answer
ANSWERED: dict[str, tuple[int, str]] = {}  # client_id: (session id, when) of each 201
REPLAY_SHARE = 0.1  # of session logs: a client resending a session it already sent (offline queue)
ACHIEVED = {
    "reps": ("reps_done", "reps"),
    "hold": ("hold_s_done", "hold_s"),
    "duration": ("minutes_done", "duration_min"),
}
SEED = """
import sys
from datetime import timedelta
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.utils import timezone
from backcare.accounts.models import Clinic, User
from backcare.library.services import refresh_library
from backcare.patients.models import Patient
from backcare.testing import log_sessions, make_programme

call_command("migrate", interactive=False, verbosity=0)
refresh_library()
clinic = Clinic.objects.create(name="Load Bench Clinic")
hashed = make_password(PASSWORD)  # one hash for all: hashing each password would take minutes
today = timezone.localdate()
for n in range(PATIENTS):
    user = User.objects.create(username=f"load-{n:04d}", email=f"load-{n:04d}@example.org",
                               password=hashed, role="patient")
    patient = Patient.objects.create(clinic=clinic, user=user, email=user.email,
                                     first_name=f"Load{n}", last_name="Bench", baseline_pain_0_10=5)
    programme = make_programme(patient, ["abdominal-bracing", "bridge", "walking"])
    programme.assigned_at = timezone.now() - timedelta(days=29)
    programme.save(update_fields=["assigned_at"])
    log_sessions(programme, today - timedelta(days=28), 28, 5, 3, every=2)
"""


# --- the server under test ---------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


@contextmanager
def database(url: str, folder: Path) -> Iterator[tuple[dict[str, str], str]]:
    """Environment for a fresh database: SQLite in ``folder``, or a throw-away PostgreSQL one."""
    if not url:
        yield {}, "SQLite (WAL, synchronous=FULL)"
        return
    import psycopg

    parsed = urlparse(url)
    if parsed.hostname not in (LOOPBACK, "localhost", "::1"):
        raise SystemExit("--database-url must point at a loopback PostgreSQL server")
    name = f"backcare_load_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as admin:
        version = admin.execute("SHOW server_version").fetchone()
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield (
            {"DATABASE_URL": parsed._replace(path=f"/{name}").geturl()},
            (f"PostgreSQL {version[0] if version else '?'}"),
        )
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def server_env(folder: Path, port: int, extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BACKCARE_", "DATABASE_URL"))}
    return (
        env
        | extra
        | {
            "BACKCARE_ENV": "production",
            "BACKCARE_DEBUG": "0",
            "BACKCARE_SECRET_KEY": secrets.token_urlsafe(48),
            "BACKCARE_DATA_DIR": str(folder),
            "BACKCARE_ALLOWED_HOSTS": LOOPBACK,
            "BACKCARE_BEHIND_PROXY": "on",
            "BACKCARE_BASE_URL": f"https://{LOOPBACK}:{port}",
            "PYTHONUNBUFFERED": "1",
        }
    )


class Process:
    """A server in a subprocess, waited for until ``probe`` answers 200."""

    def __init__(self, command: list[str], env: dict[str, str], port: int, probe: str, log: Path):
        self.port, self.log = port, log.open("ab")
        self.process = subprocess.Popen(command, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while not self.answers(probe):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise SystemExit(f"{command[0]} did not start: {log.read_text()[-3000:]}")
            time.sleep(0.2)

    def answers(self, probe: str) -> bool:
        try:
            return Client(self.port, timeout=2).send("GET", probe).status == 200
        except (OSError, http.client.HTTPException):
            return False

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


# --- the client ---------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    cookies: dict[str, str]
    body: bytes


class Client:
    """One kept-alive HTTP/1.1 connection, as a TLS proxy in front of backcare would hold."""

    def __init__(self, port: int, timeout: float) -> None:
        self.port, self.timeout = port, timeout
        self.connection: http.client.HTTPConnection | None = None

    def send(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        headers = {
            "X-Forwarded-Proto": "https",
            "Origin": f"https://{LOOPBACK}:{self.port}",
            **(headers or {}),
        }
        for attempt in (1, 2):  # a kept-alive connection the server closed: reconnect once
            fresh = self.connection is None
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    LOOPBACK, self.port, timeout=self.timeout
                )
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                content = response.read()
            except (OSError, http.client.HTTPException) as error:
                self.connection.close()
                self.connection = None
                if fresh or attempt == 2 or isinstance(error, TimeoutError):
                    raise  # a timed-out request may still be running: never send it twice
                continue
            cookies = {}
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                cookies[name.strip()] = rest.split(";", 1)[0]
            if response.will_close:
                self.connection.close()
                self.connection = None
            return Answer(response.status, cookies, content)
        raise AssertionError("unreachable")


@dataclass
class Patient:
    """A seeded patient's login, current session cookies and a full session of their programme."""

    username: str
    cookies: dict[str, str] = field(default_factory=dict)
    entries: list[dict[str, Any]] = field(default_factory=list)
    sent: list[bytes] = field(default_factory=list)  # acknowledged session bodies, for replays
    lock: threading.Lock = field(default_factory=threading.Lock)

    def headers(self, json_body: bool = False) -> dict[str, str]:
        with self.lock:
            cookies = dict(self.cookies)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
        if json_body:
            headers |= {"X-CSRFToken": cookies["csrftoken"], "Content-Type": "application/json"}
        return headers


def log_in(client: Client, username: str) -> dict[str, str] | None:
    """The login form from a fresh device: its cookies, or None when it did not work."""
    page = client.send("GET", "/login/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
    if page.status != 200 or token is None or "csrftoken" not in page.cookies:
        return None
    form = urlencode(
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1).decode()}
    ).encode()
    answer = client.send(
        "POST",
        "/login/",
        form,
        {
            "Cookie": f"csrftoken={page.cookies['csrftoken']}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    if answer.status != 302 or "sessionid" not in answer.cookies:
        return None
    return page.cookies | answer.cookies


def prepare(client: Client, patient: Patient) -> None:
    cookies = log_in(client, patient.username)
    if cookies is None:
        raise SystemExit(f"{patient.username} could not log in")
    patient.cookies = cookies
    answer = client.send("GET", "/api/v1/me/programme", headers=patient.headers())
    if answer.status != 200:
        raise SystemExit(f"/api/v1/me/programme answered {answer.status}: {answer.body[:300]!r}")
    for item in json.loads(answer.body)["items"]:
        done, prescribed = ACHIEVED[item["dose_type"]]
        entry = {
            "item_id": item["id"],
            "done": True,
            "pain_during_0_10": 2,
            "effort_0_10": 4,
            done: item[prescribed],
        }
        if item["dose_type"] != "duration":
            entry["sets_done"] = item["sets"]
        patient.entries.append(entry)


# --- operations: each returns None when it worked, or what went wrong --------------------------


def read(path: str) -> Callable[[Client, Patient, random.Random], str | None]:
    def operation(client: Client, patient: Patient, rng: random.Random) -> str | None:
        answer = client.send("GET", path, headers=patient.headers())
        return None if answer.status == 200 else f"HTTP {answer.status}"

    return operation


def log_a_session(client: Client, patient: Patient, rng: random.Random) -> str | None:
    with patient.lock:
        replay = bool(patient.sent) and rng.random() < REPLAY_SHARE  # not the list: it grows
        body = rng.choice(patient.sent) if replay else None
    if body is None:
        body = json.dumps(
            {
                "client_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "performed_on": datetime.now(UTC).date().isoformat(),
                "notes": "load-bench",
                "exercises": patient.entries,
            }
        ).encode()
    answer = client.send("POST", "/api/v1/me/sessions", body, patient.headers(json_body=True))
    client_id = json.loads(body)["client_id"]
    if answer.status != (200 if replay else 201):
        if replay and answer.status == 201:  # stored again: looked up in the database at the end
            STORED_AGAIN.append((client_id, answer.body[:120].decode(errors="replace")))
        return f"HTTP {answer.status}{' (replay)' if replay else ''}"
    stored = json.loads(answer.body)
    if stored["client_id"] != client_id:
        return "answered with another session"
    if not replay:
        ANSWERED[client_id] = (stored["id"], datetime.now(UTC).isoformat(timespec="milliseconds"))
        with patient.lock:
            patient.sent.append(body)
    return None


def log_in_again(client: Client, patient: Patient, rng: random.Random) -> str | None:
    cookies = log_in(client, patient.username)
    if cookies is None:
        return "login failed"
    with patient.lock:  # the new session replaces the old one; the old one stays valid
        patient.cookies = cookies
    return None


OPERATIONS = {
    "today": read("/me/"),
    "history": read("/me/history/"),
    "programme": read("/api/v1/me/programme"),
    "log_session": log_a_session,
    "login": log_in_again,
    "bare": read("/bare/"),
}


# --- open-model load generation ----------------------------------------------------------------


@dataclass
class Result:
    kind: str
    scheduled: float
    started: float
    finished: float
    error: str | None


@dataclass
class Phase:
    """Requests of one run at one rate, and what came back."""

    rate: float
    duration: float
    results: list[Result] = field(default_factory=list)
    cancelled: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, result: Result) -> None:
        with self.lock:
            self.results.append(result)


class Load:
    """A pool of client threads taking scheduled requests from a queue."""

    def __init__(self, port: int, patients: list[Patient], workers: int, timeout: float, seed: int):
        self.port, self.patients, self.timeout = port, patients, timeout
        self.jobs: queue.Queue[tuple[Phase, str, float, Patient] | None] = queue.Queue()
        self.rng = random.Random(seed)
        self.threads = [
            threading.Thread(target=self.work, args=(seed + n,), daemon=True)
            for n in range(workers)
        ]
        for thread in self.threads:
            thread.start()

    def work(self, seed: int) -> None:
        client, rng = Client(self.port, self.timeout), random.Random(seed)
        while (job := self.jobs.get()) is not None:
            phase, kind, scheduled, patient = job
            if phase.cancelled:  # still queued when the phase ended: it never got sent in time
                phase.add(Result(kind, scheduled, scheduled, time.monotonic(), "not sent in time"))
                continue
            started = time.monotonic()
            try:
                error = OPERATIONS[kind](client, patient, rng)
            except TimeoutError:
                error = "timeout"
            except (OSError, http.client.HTTPException) as exc:
                error = type(exc).__name__
            phase.add(Result(kind, scheduled, started, time.monotonic(), error))

    def run(self, rate: float, duration: float, mix: dict[str, int]) -> Phase:
        """Schedule ``rate`` requests a second for ``duration`` seconds, then wait for them."""
        phase = Phase(rate, duration)
        kinds, weights = list(mix), list(mix.values())
        total = int(rate * duration)
        start = time.monotonic() + 0.05
        for n in range(total):
            scheduled = start + n / rate
            delay = scheduled - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            kind = self.rng.choices(kinds, weights)[0]
            self.jobs.put((phase, kind, scheduled, self.rng.choice(self.patients)))
        deadline = start + duration + self.timeout + 1
        while len(phase.results) < total and time.monotonic() < deadline:
            time.sleep(0.05)
        phase.cancelled = True
        while len(phase.results) < total and time.monotonic() < deadline + self.timeout:
            time.sleep(0.05)  # requests in flight at the deadline finish or time out
        return phase

    def close(self) -> None:
        for _ in self.threads:
            self.jobs.put(None)


# --- figures -------------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (``share`` in 0–1) of already sorted values."""
    if not values:
        return float("nan")
    return values[min(len(values) - 1, max(0, round(share * len(values) + 0.5) - 1))]


@dataclass
class Figures:
    count: int
    errors: int
    throughput: float  # successful answers per second of the phase
    p50_ms: float
    p95_ms: float
    p99_ms: float
    send_delay_p99_ms: float  # time a request waited for a free client thread

    @property
    def error_rate(self) -> float:
        return self.errors / self.count if self.count else 0.0


def figures(results: list[Result], duration: float) -> Figures:
    latencies = sorted((r.finished - r.scheduled) * 1000 for r in results)
    delays = sorted((r.started - r.scheduled) * 1000 for r in results)
    errors = sum(1 for r in results if r.error)
    return Figures(
        len(results),
        errors,
        (len(results) - errors) / duration,
        percentile(latencies, 0.50),
        percentile(latencies, 0.95),
        percentile(latencies, 0.99),
        percentile(delays, 0.99),
    )


HEADER = (
    f"{'request':<12} {'count':>7} {'errors':>7} {'ok/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
    f"{'p99 ms':>8}"
)


def row(name: str, f: Figures) -> str:
    return (
        f"{name:<12} {f.count:>7} {f.errors:>7} {f.throughput:>8.1f} {f.p50_ms:>8.1f} "
        f"{f.p95_ms:>8.1f} {f.p99_ms:>8.1f}"
    )


def report(phase: Phase) -> Figures:
    by_kind: dict[str, list[Result]] = defaultdict(list)
    for result in phase.results:
        by_kind[result.kind].append(result)
    print(HEADER)
    for kind in sorted(by_kind, key=lambda k: list(OPERATIONS).index(k)):
        print(row(kind, figures(by_kind[kind], phase.duration)))
    overall = figures(phase.results, phase.duration)
    print(row("overall", overall))
    reasons = Counter(f"{r.kind}: {r.error}" for r in phase.results if r.error)
    for reason, count in reasons.most_common(8):
        print(f"  error  {count:>6} × {reason}")
    print(f"  client send delay p99 {overall.send_delay_p99_ms:.1f} ms (waiting for a free thread)")
    return overall


@dataclass
class Steps:
    """A step test: every step's rate and figures, and the last one that passed."""

    steps: list[tuple[float, Figures]]
    ceiling: tuple[float, Figures] | None
    failed_at: float = 0.0  # the lowest rate that failed; 0 when none did

    @property
    def reached_top(self) -> bool:
        """No step failed: the ceiling is higher than the test went."""
        return self.ceiling is not None and not self.failed_at


def step_test(load: Load, mix: dict[str, int], args: argparse.Namespace, title: str) -> Steps:
    """Raise the rate until a step fails; print each step and the ceiling."""
    print(
        f"\n== step test: {title} ({args.step_duration:g} s steps, fails at > "
        f"{args.max_error_rate:.0%} errors or p99 > {args.p99_limit_ms:g} ms) =="
    )
    print(f"{'offered/s':>10} {'ok/s':>8} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    rate, result, rising, bisecting = args.step_start, Steps([], None), 0, 0
    while rising < args.max_steps and bisecting <= args.refine:
        phase = load.run(rate, args.step_duration, mix)
        f = figures(phase.results, phase.duration)
        passed = f.error_rate <= args.max_error_rate and f.p99_ms <= args.p99_limit_ms
        result.steps.append((rate, f))
        print(
            f"{rate:>10.1f} {f.throughput:>8.1f} {f.error_rate:>7.1%} {f.p50_ms:>8.1f} "
            f"{f.p95_ms:>8.1f} {f.p99_ms:>8.1f}  {'ok' if passed else 'FAILED'}"
        )
        if passed and (result.ceiling is None or rate > result.ceiling[0]):
            result.ceiling = (rate, f)
        if not passed:
            result.failed_at = min(result.failed_at or rate, rate)
        if result.ceiling is not None and result.failed_at:
            # bisect (geometrically) between the highest pass and the lowest failure
            rate, bisecting = (result.ceiling[0] * result.failed_at) ** 0.5, bisecting + 1
        elif result.failed_at:
            break  # the first step failed
        else:
            rate, rising = rate * args.step_factor, rising + 1
        time.sleep(1)  # let the server settle between steps
    if result.ceiling is None:
        print(f"ceiling: below {args.step_start:g} requests/s (the first step failed)")
        return result
    top, f = result.ceiling
    if result.reached_top:
        print(f"ceiling: not reached; at least {top:.1f} requests/s ({f.throughput:.1f} ok/s)")
    else:
        print(
            f"ceiling: {top:.1f} requests/s offered, {f.throughput:.1f} ok/s, p99 {f.p99_ms:.0f} ms"
        )
    return result


def query(folder: Path, env: dict[str, str], sql: str, *params: Any) -> list[tuple[Any, ...]]:
    """Rows read straight from the server's database (``?`` placeholders)."""
    if "DATABASE_URL" not in env:
        with sqlite3.connect(folder / "backcare.sqlite3") as db:
            return list(db.execute(sql, params))
    import psycopg

    with psycopg.connect(env["DATABASE_URL"]) as db:
        return list(db.execute(sql.replace("?", "%s"), params).fetchall())


def check_sessions(folder: Path, env: dict[str, str], patients: list[Patient]) -> None:
    """Count the stored sessions against the acknowledged ones; look up surprising replays."""
    acknowledged = sum(len(p.sent) for p in patients)
    [(stored, distinct)] = query(
        folder,
        env,
        "SELECT count(*), count(DISTINCT client_id) FROM logbook_session WHERE notes = ?",
        "load-bench",
    )
    print(
        f"sessions acknowledged {acknowledged} (warm-up included), stored {stored} "
        f"({distinct} distinct client_ids)"
    )
    ids = query(folder, env, "SELECT client_id FROM logbook_session WHERE notes = ?", "load-bench")
    stored_ids = {uuid.UUID(str(row[0])) for row in ids}
    acknowledged_ids = [
        uuid.UUID(json.loads(body)["client_id"]) for p in patients for body in p.sent
    ]
    missing = [client_id for client_id in acknowledged_ids if client_id not in stored_ids]
    print(f"acknowledged sessions missing from the database: {len(missing)} {missing[:5]}")
    sqlite = "DATABASE_URL" not in env
    for client_id, answer in STORED_AGAIN:
        rows = query(
            folder,
            env,
            "SELECT id, patient_id, created_at FROM logbook_session WHERE client_id = ?",
            uuid.UUID(client_id).hex if sqlite else client_id,
        )
        audit = query(
            folder,
            env,
            "SELECT at, action, outcome, patient_id, object_id FROM audit_auditevent "
            "WHERE CAST(detail AS TEXT) LIKE ? ORDER BY at",
            f"%{client_id}%",
        )
        print(
            f"  replay of {client_id} answered 201 ({answer}…); first answered "
            f"{ANSWERED.get(client_id)}; stored rows: {rows}; audit: {audit}"
        )


# --- the run -------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=60, help="seconds of mixed traffic")
    parser.add_argument("--rate", type=float, default=20, help="requests/s of mixed traffic")
    parser.add_argument("--patients", type=int, default=100)
    parser.add_argument("--database-url", default="", help="a loopback PostgreSQL server")
    parser.add_argument("--server-threads", type=int, default=8, help="waitress threads")
    parser.add_argument("--workers", type=int, default=64, help="client threads")
    parser.add_argument("--timeout", type=float, default=10, help="seconds before an error")
    parser.add_argument("--step-start", type=float, default=5, help="first step's requests/s")
    parser.add_argument("--step-factor", type=float, default=1.5)
    parser.add_argument("--step-duration", type=float, default=15)
    parser.add_argument("--max-steps", type=int, default=12, help="rising steps at most")
    parser.add_argument("--refine", type=int, default=2, help="bisecting steps after a failure")
    parser.add_argument("--max-error-rate", type=float, default=0.01)
    parser.add_argument("--p99-limit-ms", type=float, default=1000)
    parser.add_argument("--skip-steps", action="store_true", help="only the fixed-rate run")
    parser.add_argument("--seed", type=int, default=20261124)
    args = parser.parse_args()
    if args.rate <= 0 or args.duration <= 0 or args.step_factor <= 1 or args.patients < 1:
        parser.error("--rate, --duration and --patients must be positive, --step-factor > 1")
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="backcare-load-") as temp:
        folder = Path(temp)
        with database(args.database_url, folder) as (db_env, db_name):
            run(args, folder, db_env, db_name)
    print(f"\ntotal {time.monotonic() - started:.0f} s, load average {os.getloadavg()[0]:.2f}")


def run(args: argparse.Namespace, folder: Path, db_env: dict[str, str], db_name: str) -> None:
    port = free_port()
    env = server_env(folder, port, db_env)
    print(
        f"backcare load benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}, {db_name}, "
        f"waitress {args.server_threads} threads, {args.workers} client threads"
    )
    commit = subprocess.run(
        ["git", "describe", "--always", "--dirty"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    print(f"commit {commit or '?'}, load average before {os.getloadavg()[0]:.2f}")
    seed = f"PATIENTS = {args.patients}\nPASSWORD = {PASSWORD!r}\n" + SEED
    t = time.monotonic()
    subprocess.run([BACKCARE, "shell", "-c", seed], env=env, check=True, cwd=ROOT)
    print(f"seeded {args.patients} patients in {time.monotonic() - t:.1f} s")
    command = [BACKCARE, "serve", "--port", str(port), "--threads", str(args.server_threads)]
    server = Process(command, env, port, "/login/", folder / "server.log")
    try:
        patients = [Patient(f"load-{n:04d}") for n in range(args.patients)]
        client = Client(port, args.timeout)
        for patient in patients:
            prepare(client, patient)
        today_bytes = len(client.send("GET", "/me/", headers=patients[0].headers()).body)
        load = Load(port, patients, args.workers, args.timeout, args.seed)
        load.run(args.rate, min(args.duration, 5), MIX)  # warm-up: templates, caches, pools
        print(f"\n== mixed traffic: {args.rate:g} requests/s for {args.duration:g} s ==")
        report(load.run(args.rate, args.duration, MIX))
        check_sessions(folder, env, patients)
        if not args.skip_steps:
            step_test(load, MIX, args, "mixed traffic")
            hot = step_test(load, {"today": 1}, args, "hot read path alone: Today page")
        load.close()
    finally:
        server.stop()
    if args.skip_steps:
        return
    bare_port = free_port()
    bare_env = dict(env) | {"BENCH_BODY_BYTES": str(today_bytes)}
    bare_command = [
        sys.executable,
        str(ROOT / "bench" / "bare_site.py"),
        str(bare_port),
        str(args.server_threads),
        str(today_bytes),
    ]
    bare_server = Process(bare_command, bare_env, bare_port, "/bare/", folder / "bare.log")
    try:
        load = Load(bare_port, [Patient("nobody")], args.workers, args.timeout, args.seed)
        bare = step_test(load, {"bare": 1}, args, f"bare Django view ({today_bytes} bytes)")
        load.close()
    finally:
        bare_server.stop()
    compare(hot, bare)


def compare(hot: Steps, bare: Steps) -> None:
    """The hot path's cost over the bare view's, at the first (same) rate and at the ceilings."""
    print("\n== Today page against a bare Django view, same waitress, same threads ==")
    (rate, hot_first), (_, bare_first) = hot.steps[0], bare.steps[0]
    print(
        f"p50 at {rate:g} requests/s: Today {hot_first.p50_ms:.1f} ms, "
        f"bare {bare_first.p50_ms:.1f} ms (× {hot_first.p50_ms / bare_first.p50_ms:.1f})"
    )
    if hot.ceiling and bare.ceiling:
        ratio = bare.ceiling[1].throughput / hot.ceiling[1].throughput
        bound = ", a lower bound: the bare ceiling was not reached" if bare.reached_top else ""
        print(
            f"ceiling: Today {hot.ceiling[1].throughput:.1f} ok/s, "
            f"bare {bare.ceiling[1].throughput:.1f} ok/s (bare is × {ratio:.1f}{bound})"
        )


if __name__ == "__main__":
    main()
