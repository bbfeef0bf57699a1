"""The database triggers that keep the audit table append-only, and lifting them for a flush.

The triggers come from migration ``audit.0002_append_only``. Only the test harness lifts them,
to empty a throw-away test database between tests (see :mod:`backcare.audit.management.commands
.flush` and docs/audit.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

__all__ = ["TABLE", "guard_triggers", "lifted_guard"]

TABLE = "audit_auditevent"


def guard_triggers(connection: BaseDatabaseWrapper) -> list[str]:
    """The names of the enabled triggers on the audit table, sorted."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [TABLE],
            )
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = to_regclass(%s) "
                "AND NOT tgisinternal AND tgenabled <> 'D'",
                [TABLE],
            )
        return sorted(row[0] for row in cursor.fetchall())


@contextmanager
def lifted_guard(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Inside one transaction: the triggers off, the block run, the very same triggers back on.

    SQLite cannot disable a trigger, so its stored SQL is read, the trigger dropped and created
    again from that SQL; PostgreSQL disables and re-enables them by name. If the block fails,
    the transaction rolls back and the triggers were never off.
    """
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [TABLE],
            )
            saved = cursor.fetchall()
            for name, _sql in saved:
                cursor.execute(f"DROP TRIGGER {connection.ops.quote_name(name)}")
            yield
            for _name, sql in saved:
                cursor.execute(sql)
        else:
            names = [connection.ops.quote_name(name) for name in guard_triggers(connection)]
            table = connection.ops.quote_name(TABLE)
            for name in names:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {name}")
            yield
            for name in names:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {name}")
