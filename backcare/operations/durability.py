"""The startup guard: in production, refuse to run on database settings that can lose commits.

backcare acknowledges a logged session only after its commit; that promise holds only if a
commit is on disk when the database says it is. These settings break it:

- SQLite outside WAL mode, or with ``synchronous`` below FULL. In WAL mode with
  ``synchronous=NORMAL`` "a transaction committed in WAL mode ... might roll back following a
  power loss or system crash"; FULL syncs the WAL on every commit, so it survives both
  (https://www.sqlite.org/pragma.html#pragma_synchronous, https://www.sqlite.org/wal.html).
  backcare's settings set WAL and FULL on every connection; the guard catches an override.
- PostgreSQL with ``fsync=off`` (a crash can corrupt the whole cluster, "unrecoverable data
  corruption"), ``synchronous_commit=off`` (recent commits "may be lost" in a crash) or
  ``full_page_writes=off`` (torn pages after a power loss can corrupt data); see the PostgreSQL
  manual, chapter 30 "Reliability and the Write-Ahead Log" and section 20.5 "Write Ahead Log".

Django runs the check before every management command, including ``serve``; it only acts when
``BACKCARE_ENV=production`` (CI runs PostgreSQL with ``fsync=off`` for speed, outside production).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.db import connection

SQLITE_SYNC_FULL = 2  # PRAGMA synchronous: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA
POSTGRES_MUST_BE_ON = ("fsync", "full_page_writes")


def sqlite_problems(journal_mode: str, synchronous: int) -> list[str]:
    """What is unsafe in SQLite's ``journal_mode`` and ``synchronous`` pragmas."""
    problems = []
    if journal_mode.lower() != "wal":
        problems.append(f"SQLite journal_mode is {journal_mode}, not WAL")
    if synchronous < SQLITE_SYNC_FULL:
        problems.append(f"SQLite synchronous is {synchronous}, below FULL (2)")
    return problems


def postgres_problems(values: dict[str, str]) -> list[str]:
    """What is unsafe in PostgreSQL's ``fsync``, ``full_page_writes``, ``synchronous_commit``."""
    problems = [
        f"PostgreSQL {name} is off" for name in POSTGRES_MUST_BE_ON if values[name] == "off"
    ]
    if values["synchronous_commit"] == "off":
        problems.append("PostgreSQL synchronous_commit is off")
    return problems


def durability_problems() -> list[str]:
    """Every unsafe durability setting of the default database connection."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            journal_mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
            synchronous = cursor.execute("PRAGMA synchronous").fetchone()[0]
            return sqlite_problems(journal_mode, int(synchronous))
        if connection.vendor == "postgresql":
            values = {}
            for name in (*POSTGRES_MUST_BE_ON, "synchronous_commit"):
                cursor.execute(f"SHOW {name}")
                values[name] = cursor.fetchone()[0]
            return postgres_problems(values)
    return [f"{connection.vendor} is not a supported database"]


@checks.register()
def check_durability(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Refuse to start in production on settings that can lose acknowledged writes."""
    if not settings.PRODUCTION:
        return []
    return [
        checks.Error(
            f"Refusing to start in production: {problem}; acknowledged writes could be lost.",
            hint="See docs/operations.md#durability for the safe settings.",
            id="operations.E001",
        )
        for problem in durability_problems()
    ]
