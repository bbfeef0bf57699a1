"""Backing up and restoring a PostgreSQL database with ``pg_dump`` and ``pg_restore``.

The connection comes from ``DATABASE_URL`` (Django's settings); the password reaches the tools in
the ``PGPASSWORD`` environment variable, never on their command line, where any user of the
machine could read it in the process list.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

from django.db import connection, connections, transaction
from django.utils.translation import gettext as _

from backcare.operations.manifest import (
    BackupError,
    TableSummary,
    differences,
    summarise,
    write_atomically,
)

HEADER = b"PGDMP"  # how every pg_dump custom-format archive starts
BOOKKEEPING = {"django_migrations", "django_content_type", "auth_permission"}
_ENVIRONMENT = {
    "HOST": "PGHOST",
    "PORT": "PGPORT",
    "USER": "PGUSER",
    "PASSWORD": "PGPASSWORD",
    "NAME": "PGDATABASE",
}


def _environment() -> dict[str, str]:
    env = os.environ.copy()
    for key, variable in _ENVIRONMENT.items():
        if value := connection.settings_dict.get(key):
            env[variable] = str(value)
    if sslmode := connection.settings_dict.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = str(sslmode)
    return env


def _run(command: list[str]) -> str:
    result = subprocess.run(command, env=_environment(), capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(
            _("%(tool)s failed: %(error)s")
            % {"tool": Path(command[0]).name, "error": result.stderr.strip() or result.returncode}
        )
    return result.stdout


def _tool(name: str) -> str:
    """The path of ``pg_dump`` or ``pg_restore``, checked to be no older than the server: an
    older client cannot read a newer server's catalogue (pg_dump refuses), and its archives
    would miss what it does not know about."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            _(
                "%(tool)s was not found on PATH. Install the PostgreSQL client tools of your "
                "server's version (Debian: apt-get install postgresql-client) or add their folder "
                "(e.g. /usr/lib/postgresql/15/bin) to PATH."
            )
            % {"tool": name}
        )
    output = subprocess.run([path, "--version"], capture_output=True, text=True).stdout
    found = re.search(r"\)\s*(\d+)", output) or re.search(r"(\d+)\.\d+", output)
    server = connection.pg_version // 10000  # type: ignore[attr-defined]
    if found is None or int(found.group(1)) < server:
        raise BackupError(
            _(
                "%(tool)s is version %(client)s but the server is PostgreSQL %(server)d; use the "
                "client tools of version %(server)d or newer."
            )
            % {"tool": path, "client": found.group(1) if found else "?", "server": server}
        )
    return path


def _tables(cursor: Any) -> list[tuple[str, list[str]]]:
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    )
    tables = []
    for (name,) in cursor.fetchall():
        keys = connection.introspection.get_primary_key_columns(cursor, name)
        if not keys:
            keys = [c.name for c in connection.introspection.get_table_description(cursor, name)]
        tables.append((name, list(keys)))
    return tables


def summarise_database() -> dict[str, TableSummary]:
    """Row count and content hash of every table of the current schema."""
    with connection.cursor() as cursor:
        return summarise(cursor, _tables(cursor), connection.ops.quote_name)


def backup(target: Path) -> dict[str, TableSummary]:
    """Dump the database to ``target`` (atomically) and return what the dump holds.

    The summaries are read in the very snapshot pg_dump dumps (``pg_export_snapshot``), so
    commits made while the backup runs cannot make the manifest and the dump disagree.
    """
    pg_dump = _tool("pg_dump")
    connection.ensure_connection()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        dump = [pg_dump, "--format=custom", f"--snapshot={snapshot}"]
        write_atomically(target, lambda partial: _run([*dump, f"--file={partial}"]))
        return summarise(cursor, _tables(cursor), connection.ops.quote_name)


def rows_held() -> int:
    """How many rows the database holds beyond Django's own bookkeeping."""
    total = 0
    with connection.cursor() as cursor:
        for table, _keys in _tables(cursor):
            if table not in BOOKKEEPING:
                cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
                total += cursor.fetchone()[0]
    return total


def check_archive(backup_file: Path) -> None:
    """Refuse a file pg_restore cannot read, before anything is changed."""
    with backup_file.open("rb") as handle:
        if handle.read(len(HEADER)) != HEADER:
            raise BackupError(_("%(path)s is not a pg_dump archive.") % {"path": backup_file})
    _run([_tool("pg_restore"), "--list", str(backup_file)])


def _pg_restore(archive: Path) -> None:
    name = str(connection.settings_dict["NAME"])
    connections.close_all()  # our own idle connection must not hold locks on what is dropped
    _run(
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={name}",
            str(archive),
        ]
    )


def restore(backup_file: Path, expected: dict[str, TableSummary], previous: Path) -> None:
    """Replace the database's tables with those in ``backup_file`` in one transaction (on any
    error nothing changes) and check the result against ``expected``; when it does not match,
    restore ``previous`` (the database as it was, dumped just before)."""
    _pg_restore(backup_file)
    if found := differences(expected, summarise_database()):
        _pg_restore(previous)
        raise BackupError(
            _(
                "The restored database does not match the manifest (%(problems)s); the database "
                "is as it was before."
            )
            % {"problems": "; ".join(found)}
        )
