"""``backcare restore PATH [--yes]``: put a backup back, checked against its manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.utils.translation import gettext as _

from backcare.audit import trail
from backcare.operations import postgres, sqlite
from backcare.operations.engines import SUFFIXES, engine, sqlite_file
from backcare.operations.manifest import (
    BackupError,
    read_manifest,
    timestamped_name,
    write_manifest,
)


class Command(BaseCommand):
    help = "Replace the database with a backup (stop the server first); the old one is kept."
    requires_system_checks: list[str] = []  # restoring must work even when the guard objects

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="Backup file written by `backcare backup`.")
        parser.add_argument(
            "--yes", action="store_true", help="Replace a database that already holds data."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"].resolve()
        try:
            kind = engine()
            expected = read_manifest(path, kind)
            if kind == "sqlite":
                if problems := sqlite.integrity_problems(path):
                    raise BackupError(
                        _("The backup failed its integrity check: %(problems)s")
                        % {"problems": "; ".join(problems)}
                    )
                held = sqlite.rows_held(sqlite_file())
            else:
                postgres.check_archive(path)
                held = postgres.rows_held()
            if held and not options["yes"]:
                raise BackupError(
                    _(
                        "The database already holds %(rows)d rows. Run again with --yes to replace "
                        "it (the current database is kept first)."
                    )
                    % {"rows": held}
                )
            kept = self._restore(kind, path, expected)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        trail.note(None, "operations.restore", engine=kind, file=str(path), kept=str(kept or ""))
        rows = sum(s.rows for s in expected.values())
        message = _("Restored %(path)s: %(tables)d tables, %(rows)d rows, matching its manifest.")
        self.stdout.write(message % {"path": path, "tables": len(expected), "rows": rows})
        if kept:
            self.stdout.write(_("The previous database is kept at %(path)s") % {"path": kept})

    def _restore(self, kind: str, path: Path, expected: Any) -> Path | None:
        if kind == "sqlite":
            connections.close_all()
            return sqlite.restore(path, sqlite_file(), expected)
        kept = _unused_path(settings.DATA_DIR / "backups", ".before-restore" + SUFFIXES[kind])
        kept.parent.mkdir(parents=True, exist_ok=True)
        write_manifest(kept, kind, postgres.backup(kept))
        postgres.restore(path, expected, previous=kept)
        return kept


def _unused_path(folder: Path, suffix: str) -> Path:
    """A timestamped name no earlier copy has: two restores within one second would otherwise
    share it, and the second would overwrite the very file it is restoring from."""
    candidate = folder / timestamped_name(suffix)
    number = 1
    while candidate.exists():
        number += 1
        candidate = folder / timestamped_name(f"-{number}{suffix}")
    return candidate
