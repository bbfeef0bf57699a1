"""``backcare backup [--output PATH]``: a consistent copy of the database, with its manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from backcare.audit import trail
from backcare.operations import postgres, sqlite
from backcare.operations.engines import SUFFIXES, engine, sqlite_file
from backcare.operations.manifest import BackupError, timestamped_name, write_manifest


class Command(BaseCommand):
    help = "Back up the database (safe while the server runs), with a manifest of its contents."
    requires_system_checks: list[str] = []  # a backup must work even when the guard objects

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help="Backup file to write (default: DATA_DIR/backups/backcare-<UTC time>.<ext>).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            kind = engine()
            target = options["output"] or settings.DATA_DIR / "backups" / timestamped_name(
                SUFFIXES[kind]
            )
            target = target.resolve()
            if target.exists():
                raise BackupError(
                    _("%(path)s already exists; choose another --output.") % {"path": target}
                )
            target.parent.mkdir(parents=True, exist_ok=True)
            if kind == "sqlite":
                tables = sqlite.backup(sqlite_file(), target)
            else:
                tables = postgres.backup(target)
            manifest = write_manifest(target, kind, tables)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        trail.note(None, "operations.backup", engine=kind, file=str(target))
        size = target.stat().st_size
        self.stdout.write(
            _("Backup written: %(path)s (%(size)d bytes)") % {"path": target, "size": size}
        )
        self.stdout.write(_("Manifest: %(path)s") % {"path": manifest})
        self.stdout.write(_("Rows per table:"))
        for table, summary in sorted(tables.items()):
            self.stdout.write(f"  {table:<40} {summary.rows:>9}")
