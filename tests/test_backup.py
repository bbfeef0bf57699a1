"""``backcare backup`` / ``backcare restore`` on the engine the suite runs on.

SQLite normally; PostgreSQL when ``DATABASE_URL`` is set (``.ci/run`` runs both), so each round
trip below is proven on both engines in CI. The demo clinic fills most tables.
"""

from __future__ import annotations

import glob
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from backcare.accounts.models import Clinic
from backcare.audit.models import AuditEvent
from backcare.demo import seed_demo
from backcare.logbook.models import ExerciseLog, Session
from backcare.operations import postgres, sqlite
from backcare.operations.manifest import TableSummary, file_sha256, manifest_path
from backcare.patients.models import Patient

ENGINE = "sqlite" if connection.vendor == "sqlite" else "postgresql"
OTHER_ENGINE = {"sqlite": "postgresql", "postgresql": "sqlite"}[ENGINE]
AUDIT = "audit_auditevent"
on_postgres = pytest.mark.skipif(ENGINE != "postgresql", reason="runs when DATABASE_URL is set")
on_sqlite = pytest.mark.skipif(ENGINE != "sqlite", reason="runs on the SQLite suite")


@pytest.fixture(autouse=True)
def pg_tools_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Debian keeps pg_dump under /usr/lib/postgresql/<version>/bin when no wrapper is set up."""
    if ENGINE == "postgresql" and shutil.which("pg_dump") is None:
        folders = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda f: int(f.split("/")[4]))
        if folders:
            monkeypatch.setenv("PATH", folders[-1] + os.pathsep + os.environ["PATH"])


@pytest.fixture
def seeded(transactional_db: Any, library: Any, settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path / "data"
    seed_demo()


def contents() -> dict[str, TableSummary]:
    """Row counts and hashes of every table, read straight from the live database."""
    if ENGINE == "sqlite":
        return sqlite.summarise_file(Path(str(connection.settings_dict["NAME"])))
    return postgres.summarise_database()


def backup(path: Path) -> str:
    out = _Output()
    call_command("backup", output=path, stdout=out)
    return out.text


def restore(path: Path, *flags: str) -> str:
    out = _Output()
    call_command("restore", str(path), *flags, stdout=out)
    return out.text


class _Output:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass


def test_it_round_trips_the_database_by_row_counts_and_hashes(seeded: None, tmp_path: Path) -> None:
    names = sorted(Patient.objects.values_list("first_name", flat=True))
    sessions, logs = Session.objects.count(), ExerciseLog.objects.count()
    before = contents()
    target = tmp_path / "backup.bin"

    printed = backup(target)

    manifest = json.loads(manifest_path(target).read_text())
    assert manifest["engine"] == ENGINE
    assert manifest["backup_sha256"] == file_sha256(target)
    promised = {t: TableSummary(s["rows"], s["sha256"]) for t, s in manifest["tables"].items()}
    assert promised == before  # the manifest describes exactly what was there
    assert f"{target} ({target.stat().st_size} bytes)" in printed
    assert re.search(rf"^\s*logbook_session\s+{sessions}$", printed, re.MULTILINE)
    non_empty = [t for t, s in promised.items() if s.rows]
    assert len(non_empty) >= 15

    Patient.objects.update(first_name="Changed")
    Clinic.objects.create(name="Added after the backup")
    ExerciseLog.objects.filter(pk__in=ExerciseLog.objects.values("pk")[:10]).delete()
    assert contents() != before

    printed = restore(target, "--yes")

    after = contents()
    assert {t: s for t, s in after.items() if t != AUDIT} == {
        t: s for t, s in promised.items() if t != AUDIT
    }
    assert after[AUDIT].rows == promised[AUDIT].rows + 1  # the restore itself, audited
    assert sorted(Patient.objects.values_list("first_name", flat=True)) == names
    assert (Session.objects.count(), ExerciseLog.objects.count()) == (sessions, logs)
    assert not Clinic.objects.filter(name="Added after the backup").exists()
    assert "matching its manifest" in printed


def test_it_audits_the_backup_and_the_restore(seeded: None, tmp_path: Path) -> None:
    target = tmp_path / "backup.bin"
    backup(target)
    assert AuditEvent.objects.get(action="operations.backup").detail["file"] == str(target)

    restore(target, "--yes")

    events = AuditEvent.objects.filter(action__startswith="operations.").order_by("pk")
    assert [e.action for e in events] == ["operations.restore"]  # the backup's row came after it
    assert events[0].detail["file"] == str(target)


def test_it_names_the_default_file_by_utc_time_under_the_data_dir(
    seeded: None, settings: Any, time_machine: Any
) -> None:
    time_machine.move_to(datetime(2026, 3, 1, 4, 5, 6, tzinfo=UTC), tick=False)
    suffix = ".sqlite3" if ENGINE == "sqlite" else ".dump"

    call_command("backup", stdout=_Output())

    target = settings.DATA_DIR / "backups" / f"backcare-20260301T040506Z{suffix}"
    assert target.is_file()
    assert manifest_path(target).is_file()


def test_it_refuses_to_overwrite_a_database_with_data_without_yes(
    seeded: None, tmp_path: Path
) -> None:
    target = tmp_path / "backup.bin"
    backup(target)
    Clinic.objects.create(name="Added after the backup")
    before = contents()

    with pytest.raises(CommandError, match="--yes"):
        restore(target)

    assert contents() == before


def test_it_refuses_an_existing_output_file(seeded: None, tmp_path: Path) -> None:
    target = tmp_path / "backup.bin"
    target.write_text("precious")

    with pytest.raises(CommandError, match="already exists"):
        backup(target)

    assert target.read_text() == "precious"


def test_it_refuses_a_missing_file(seeded: None, tmp_path: Path) -> None:
    before = contents()

    with pytest.raises(CommandError, match="No backup file"):
        restore(tmp_path / "nowhere.bin", "--yes")

    assert contents() == before


def test_it_exits_with_status_1_and_the_reason_on_the_command_line(tmp_path: Path) -> None:
    env = os.environ | {"BACKCARE_DATA_DIR": str(tmp_path / "data")}
    backcare = str(Path(sys.executable).with_name("backcare"))

    result = subprocess.run(
        [backcare, "restore", str(tmp_path / "nowhere.bin")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 1
    assert f"No backup file at {tmp_path / 'nowhere.bin'}" in result.stderr
    assert "Traceback" not in result.stderr


def test_it_refuses_a_backup_without_its_manifest(seeded: None, tmp_path: Path) -> None:
    target = tmp_path / "backup.bin"
    backup(target)
    manifest_path(target).unlink()
    before = contents()

    with pytest.raises(CommandError, match="No manifest"):
        restore(target, "--yes")

    assert contents() == before


def test_it_refuses_a_file_changed_since_the_backup(seeded: None, tmp_path: Path) -> None:
    target = tmp_path / "backup.bin"
    backup(target)
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0xFF
    target.write_bytes(bytes(data))
    before = contents()

    with pytest.raises(CommandError, match="has changed since it was made"):
        restore(target, "--yes")

    assert contents() == before


def test_it_refuses_a_truncated_backup_even_with_a_matching_manifest(
    seeded: None, tmp_path: Path
) -> None:
    target = tmp_path / "backup.bin"
    backup(target)
    target.write_bytes(target.read_bytes()[: target.stat().st_size // 2])
    manifest = json.loads(manifest_path(target).read_text())
    manifest["backup_sha256"] = file_sha256(target)  # as if the manifest were rewritten too
    manifest_path(target).write_text(json.dumps(manifest))
    Clinic.objects.create(name="Added after the backup")
    before = contents()

    with pytest.raises(CommandError):
        restore(target, "--yes")

    assert contents() == before


def test_it_puts_the_previous_database_back_when_the_result_does_not_match(
    seeded: None, tmp_path: Path
) -> None:
    target = tmp_path / "backup.bin"
    backup(target)
    manifest = json.loads(manifest_path(target).read_text())
    manifest["tables"]["accounts_clinic"]["sha256"] = "0" * 64  # a promise the file cannot keep
    manifest_path(target).write_text(json.dumps(manifest))
    Clinic.objects.create(name="Added after the backup")
    before = contents()

    with pytest.raises(CommandError, match="accounts_clinic has different content"):
        restore(target, "--yes")

    assert contents() == before


def test_it_refuses_a_backup_made_from_the_other_engine(seeded: None, tmp_path: Path) -> None:
    target = tmp_path / "backup.bin"
    backup(target)
    manifest = json.loads(manifest_path(target).read_text())
    manifest["engine"] = OTHER_ENGINE
    manifest_path(target).write_text(json.dumps(manifest))
    before = contents()

    with pytest.raises(CommandError, match=f"made from {OTHER_ENGINE}"):
        restore(target, "--yes")

    assert contents() == before


def test_it_refuses_a_file_of_the_wrong_kind(seeded: None, tmp_path: Path) -> None:
    target = tmp_path / "backup.bin"
    backup(target)
    target.write_bytes(b"not a database at all\n" * 100)
    manifest = json.loads(manifest_path(target).read_text())
    manifest["backup_sha256"] = file_sha256(target)
    manifest_path(target).write_text(json.dumps(manifest))
    before = contents()

    with pytest.raises(CommandError, match=r"not an SQLite database|not a pg_dump archive"):
        restore(target, "--yes")

    assert contents() == before


@on_sqlite
def test_it_backs_up_while_another_connection_is_writing(seeded: None, tmp_path: Path) -> None:
    live = Path(str(connection.settings_dict["NAME"]))
    writer = sqlite3.connect(live, isolation_level=None, timeout=20)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE accounts_clinic SET name = 'uncommitted'")
    target = tmp_path / "backup.bin"
    try:
        sqlite.backup(live, target)  # the command would then wait for the lock to audit itself
    finally:
        writer.execute("ROLLBACK")
        writer.close()

    with sqlite3.connect(target) as copy:
        names = [row[0] for row in copy.execute("SELECT name FROM accounts_clinic")]
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert names and "uncommitted" not in names


@on_sqlite
def test_it_keeps_the_previous_sqlite_database(seeded: None, tmp_path: Path) -> None:
    target = tmp_path / "backup.bin"
    backup(target)
    Clinic.objects.create(name="Added after the backup")

    restore(target, "--yes")

    live = Path(str(connection.settings_dict["NAME"]))
    kept = live.with_name(live.name + ".before-restore")
    with sqlite3.connect(kept) as previous:
        names = [row[0] for row in previous.execute("SELECT name FROM accounts_clinic")]
    assert "Added after the backup" in names


@on_postgres
def test_it_keeps_the_previous_postgres_database(
    seeded: None, tmp_path: Path, settings: Any
) -> None:
    target = tmp_path / "backup.bin"
    backup(target)
    Clinic.objects.create(name="Added after the backup")
    with_clinic = contents()

    printed = restore(target, "--yes")

    kept = next((settings.DATA_DIR / "backups").glob("*.before-restore.dump"))
    assert str(kept) in printed
    restore(kept, "--yes")  # the kept copy is itself a backup with a manifest
    assert Clinic.objects.filter(name="Added after the backup").exists()
    assert contents()["accounts_clinic"] == with_clinic["accounts_clinic"]


@on_postgres
def test_it_explains_that_pg_dump_is_missing(
    seeded: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(CommandError, match="pg_dump was not found on PATH"):
        backup(tmp_path / "backup.bin")

    assert not (tmp_path / "backup.bin").exists()


@on_postgres
def test_it_refuses_a_pg_dump_older_than_the_server(
    seeded: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tools = tmp_path / "old-client"
    tools.mkdir()
    fake = tools / "pg_dump"
    fake.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tools) + os.pathsep + os.environ["PATH"])

    with pytest.raises(CommandError, match=r"version 9 but the server is PostgreSQL \d+"):
        backup(tmp_path / "backup.bin")
