"""Durability: no acknowledged session log is lost when the server is killed mid-write.

The real server (``backcare serve``, waitress) runs in a subprocess on its own database: a file
in a fresh ``BACKCARE_DATA_DIR`` on SQLite, or a database this test creates and drops on the
PostgreSQL server of ``DATABASE_URL``. Several client threads log sessions through the API (the
patient's session cookie and CSRF token, as the guided session does) while the server is
killed with SIGKILL at seeded random moments and restarted, round after round. A write counts as
acknowledged only when the server answered 2xx; a request cut off by the kill is replayed with
the same ``client_id`` and body after the restart, as the patient app's outbox does.

After the last restart every acknowledged ``client_id`` must be in the database exactly once,
with all of its exercise logs (a session is stored whole or not at all), and SQLite's
``integrity_check`` must say ``ok``.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlparse

import pytest

SEED = 20260601  # the kill moments are random but repeatable
ROUNDS = 5
WRITERS = 4
PASSWORD = "durable pass phrase 42"
BACKCARE = str(Path(sys.executable).with_name("backcare"))
SETUP = f"""
from django.core.management import call_command
from backcare.accounts.models import Clinic, User
from backcare.library.services import refresh_library
from backcare.patients.models import Patient
from backcare.testing import make_programme

call_command("migrate", interactive=False, verbosity=0)
refresh_library()
clinic = Clinic.objects.create(name="Durability Clinic")
user = User.objects.create_user("durable", "durable@example.org", {PASSWORD!r}, role="patient")
patient = Patient.objects.create(
    clinic=clinic, user=user, email=user.email, first_name="Dura", last_name="Ble",
    baseline_pain_0_10=5,
)
make_programme(patient, ["abdominal-bracing", "bridge", "walking"])
"""
ACHIEVED = {
    "reps": ("reps_done", "reps"),
    "hold": ("hold_s_done", "hold_s"),
    "duration": ("minutes_done", "duration_min"),
}


@dataclass
class Database:
    """Where the server under test keeps its data, and how the test reads it afterwards."""

    env: dict[str, str]
    url: str = ""  # PostgreSQL only
    sqlite_file: Path | None = None

    def sessions(self) -> list[tuple[uuid.UUID, int]]:
        """Every stored session's client_id and how many exercise logs it has."""
        query = (
            "SELECT s.client_id, count(l.id) FROM logbook_session s "
            "LEFT JOIN logbook_exerciselog l ON l.session_id = s.id GROUP BY s.id, s.client_id"
        )
        if self.sqlite_file is not None:
            with sqlite3.connect(self.sqlite_file) as db:
                return [(uuid.UUID(c), n) for c, n in db.execute(query)]
        import psycopg

        with psycopg.connect(self.url) as db:
            return [(uuid.UUID(str(c)), n) for c, n in db.execute(query)]

    def integrity(self) -> str:
        if self.sqlite_file is None:
            return "ok"  # PostgreSQL has no whole-database check; the rows are checked above
        with sqlite3.connect(self.sqlite_file) as db:
            return "; ".join(row[0] for row in db.execute("PRAGMA integrity_check"))


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {
        "BACKCARE_DATA_DIR": str(tmp_path / "data"),
        "BACKCARE_ENV": "development",
        "BACKCARE_DEBUG": "0",
        "PYTHONUNBUFFERED": "1",
    }
    suite_url = os.environ.get("DATABASE_URL", "")
    if not suite_url:
        yield Database(env, sqlite_file=tmp_path / "data" / "backcare.sqlite3")
        return
    import psycopg

    name = f"backcare_durability_{os.getpid()}"
    url = urlparse(suite_url)._replace(path=f"/{name}").geturl()
    with psycopg.connect(suite_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield Database(env | {"DATABASE_URL": url}, url=url)
    finally:
        with psycopg.connect(suite_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """``backcare serve`` in a subprocess, killed with SIGKILL, never shut down politely."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.log = log.open("ab")
        self.process = subprocess.Popen(
            [BACKCARE, "serve", "--port", str(self.port)],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while not self.answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.kill()
                pytest.fail(f"the server did not start: {log.read_text()[-2000:]}")
            time.sleep(0.1)

    def answers(self) -> bool:
        try:
            return request(self.port, "GET", "/login/", timeout=1)[0] == 200
        except OSError:
            return False

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()
        self.log.close()


def request(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: Any = None,
    timeout: float = 10,
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        cookies = {}
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, cookies, response.read()
    finally:
        connection.close()


@dataclass
class Patient:
    """The logged-in patient's cookies and the body of a full session of their programme."""

    cookies: dict[str, str]
    entries: list[dict[str, Any]]

    def headers(self) -> dict[str, str]:
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return {
            "Cookie": cookie,
            "X-CSRFToken": self.cookies["csrftoken"],
            "Content-Type": "application/json",
        }

    def new_session(self, rng: random.Random) -> bytes:
        return json.dumps(
            {
                "client_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "performed_on": datetime.now(UTC).date().isoformat(),
                "notes": f"durability {rng.random():.6f}",
                "exercises": self.entries,
            }
        ).encode()


def log_in(port: int) -> Patient:
    status, cookies, page = request(port, "GET", "/login/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert status == 200 and token, "the login page has no CSRF token"
    form = urlencode(
        {
            "username": "durable",
            "password": PASSWORD,
            "csrfmiddlewaretoken": token.group(1).decode(),
        }
    ).encode()
    headers = {
        "Cookie": f"csrftoken={cookies['csrftoken']}",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    status, new_cookies, _ = request(port, "POST", "/login/", form, headers)
    assert status == 302 and "sessionid" in new_cookies, "logging in failed"
    patient = Patient(cookies | new_cookies, [])
    status, _, body = request(port, "GET", "/api/v1/me/programme", headers=patient.headers())
    assert status == 200, body
    for item in json.loads(body)["items"]:
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
    return patient


@dataclass
class Ledger:
    """What the clients know: acknowledged writes, writes cut off by a kill, and surprises."""

    acknowledged: dict[uuid.UUID, bytes] = field(default_factory=dict)
    unacknowledged: dict[uuid.UUID, bytes] = field(default_factory=dict)
    cut_off: set[uuid.UUID] = field(default_factory=set)  # every write a kill ever cut off
    committed_unacknowledged: int = 0  # replays answered 200: stored, but the answer was lost
    lost: list[uuid.UUID] = field(default_factory=list)  # acknowledged, then replay said 201
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_body(self, rng: random.Random, patient: Patient) -> tuple[bytes, bool]:
        with self.lock:
            if self.unacknowledged:
                client_id = next(iter(self.unacknowledged))
                return self.unacknowledged.pop(client_id), True
        return patient.new_session(rng), False

    def post(self, port: int, patient: Patient, body: bytes, replay: bool) -> bool:
        """Send one session; False when the connection died (the server is gone)."""
        client_id = uuid.UUID(json.loads(body)["client_id"])
        try:
            status, _, answer = request(
                port, "POST", "/api/v1/me/sessions", body, patient.headers()
            )
        except (OSError, http.client.HTTPException):  # refused, reset, or cut off mid-answer
            with self.lock:
                self.unacknowledged[client_id] = body
                self.cut_off.add(client_id)
            return False
        with self.lock:
            if status in (200, 201):
                if client_id in self.acknowledged and status == 201:
                    self.lost.append(client_id)
                if replay and status == 200 and client_id not in self.acknowledged:
                    self.committed_unacknowledged += 1
                self.acknowledged[client_id] = body
            else:
                self.errors.append(f"{status}: {answer[:300]!r}")
        return True


def write_until_killed(port: int, patient: Patient, ledger: Ledger, seed: int) -> None:
    rng = random.Random(seed)
    while True:
        body, replay = ledger.next_body(rng, patient)
        if not ledger.post(port, patient, body, replay):
            return


def replay_everything(port: int, patient: Patient, ledger: Ledger) -> None:
    """After the final restart: replay every cut-off write, and every acknowledged one (which
    must come back 200, already stored), from as many threads as wrote them."""
    bodies = list(ledger.unacknowledged.values()) + list(ledger.acknowledged.values())
    ledger.unacknowledged.clear()

    def replay(share: list[bytes]) -> None:
        for body in share:
            ledger.post(port, patient, body, replay=True)

    threads = [threading.Thread(target=replay, args=(bodies[i::WRITERS],)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not ledger.unacknowledged, "the server stopped answering during the replays"


def test_it_loses_no_acknowledged_write_when_the_server_is_killed(
    database: Database, tmp_path: Path
) -> None:
    started = time.monotonic()
    subprocess.run(
        [BACKCARE, "shell", "-c", SETUP], env=database.env, check=True, capture_output=True
    )
    rng = random.Random(SEED)
    ledger = Ledger()
    log = tmp_path / "server.log"
    patient: Patient | None = None
    for round_number in range(ROUNDS):
        server = Server(database.env, log)
        try:
            patient = patient or log_in(server.port)
            writers = [
                threading.Thread(
                    target=write_until_killed, args=(server.port, patient, ledger, rng.random())
                )
                for _ in range(WRITERS)
            ]
            for writer in writers:
                writer.start()
            time.sleep(rng.uniform(0.3, 2.0))
        finally:
            server.kill()
        for writer in writers:
            writer.join(timeout=30)
        assert not any(w.is_alive() for w in writers), f"a writer hung in round {round_number}"

    server = Server(database.env, log)
    try:
        assert patient is not None
        replay_everything(server.port, patient, ledger)
    finally:
        server.kill()  # a last kill straight after the replays: they must survive it too
    stored = database.sessions()
    elapsed = time.monotonic() - started

    print(
        f"\ndurability ({'PostgreSQL' if database.url else 'SQLite'}): {ROUNDS} kill rounds, "
        f"{len(ledger.acknowledged)} sessions acknowledged, {len(ledger.cut_off)} cut off by a "
        f"kill and replayed, {ledger.committed_unacknowledged} of those found already stored, "
        f"{elapsed:.1f} s"
    )
    assert ledger.errors == []
    assert ledger.lost == []
    stored_ids = [client_id for client_id, _ in stored]
    assert len(stored_ids) == len(set(stored_ids)), "a replay stored a session twice"
    assert set(stored_ids) == set(ledger.acknowledged)
    assert {logs for _, logs in stored} == {len(patient.entries)}, "a session was stored in part"
    assert len(ledger.acknowledged) >= ROUNDS * WRITERS  # every round got writes in
    assert database.integrity() == "ok"
