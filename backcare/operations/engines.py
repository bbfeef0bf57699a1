"""Which database engine backcare is running on, as backups name it."""

from __future__ import annotations

from pathlib import Path

from django.db import connection
from django.utils.translation import gettext as _

from backcare.operations.manifest import BackupError

SUFFIXES = {"sqlite": ".sqlite3", "postgresql": ".dump"}


def engine() -> str:
    """``sqlite`` or ``postgresql``; backups of other engines are not supported."""
    if connection.vendor not in SUFFIXES:
        raise BackupError(
            _("Backups support SQLite and PostgreSQL, not %(vendor)s.")
            % {"vendor": connection.vendor}
        )
    return connection.vendor


def sqlite_file() -> Path:
    return Path(str(connection.settings_dict["NAME"]))
