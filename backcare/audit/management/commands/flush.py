"""Django's ``flush``, aware that the audit table refuses DELETE and TRUNCATE.

Django's test harness empties the test database with ``flush`` after every ``transactional_db``
test. The audit triggers would make that fail, so when ``settings.AUDIT_FLUSH_ALLOWED`` is true
(only the root ``conftest.py`` sets it, for throw-away test databases) the triggers are lifted
for the flush, in its transaction, and put back. Otherwise flush refuses with a clear message
instead of failing half-way on a trigger: a real database's audit trail is never emptied.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands import flush
from django.db import connections

from backcare.audit.guard import guard_triggers, lifted_guard


class Command(flush.Command):
    help = flush.Command.help + " The append-only audit table is emptied only in tests."

    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        if connection.vendor not in ("sqlite", "postgresql") or not guard_triggers(connection):
            super().handle(**options)
            return
        if not getattr(settings, "AUDIT_FLUSH_ALLOWED", False):
            raise CommandError(
                "The audit trail is append-only: flush would have to delete it, so it refuses. "
                "Start from a new database instead."
            )
        with lifted_guard(connection):
            super().handle(**options)
