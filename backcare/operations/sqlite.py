"""Backing up and restoring the SQLite database file.

The backup uses SQLite's online backup API (``sqlite3.Connection.backup``), which copies a
consistent snapshot page by page while the server keeps reading and writing: copying the file
with ``cp`` instead could catch a half-written page or miss commits still in the ``-wal`` file.
See https://www.sqlite.org/backup.html.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from django.utils.translation import gettext as _

from backcare.operations.manifest import (
    BackupError,
    TableSummary,
    differences,
    summarise,
    write_atomically,
)

HEADER = b"SQLite format 3\x00"
BOOKKEEPING = {"django_migrations", "django_content_type", "auth_permission"}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@contextmanager
def _open(path: Path, *, read_only: bool = False) -> Iterator[sqlite3.Connection]:
    uri = f"file:{path}?mode=ro" if read_only else f"file:{path}"
    with closing(sqlite3.connect(uri, uri=True, timeout=20, isolation_level=None)) as db:
        yield db


def _tables(db: sqlite3.Connection) -> list[tuple[str, list[str]]]:
    names = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    tables = []
    for name in names:
        columns = db.execute(f"PRAGMA table_info({_quote(name)})").fetchall()
        keys = [c[1] for c in sorted(columns, key=lambda c: c[5]) if c[5] > 0]
        tables.append((name, keys or [c[1] for c in columns]))
    return tables


def summarise_file(path: Path) -> dict[str, TableSummary]:
    """Row count and content hash of every table in the database at ``path``."""
    with _open(path, read_only=True) as db:
        return summarise(db.cursor(), _tables(db), _quote)


def integrity_problems(path: Path) -> list[str]:
    """What ``PRAGMA integrity_check`` finds wrong with the file (empty when it is sound)."""
    with path.open("rb") as handle:
        if handle.read(len(HEADER)) != HEADER:
            return [_("%(path)s is not an SQLite database") % {"path": path}]
    try:
        with _open(path, read_only=True) as db:
            rows = [row[0] for row in db.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as error:
        return [str(error)]
    return [] if rows == ["ok"] else rows


def _copy(source: Path, target: Path) -> None:
    with _open(source, read_only=True) as src, _open(target) as dst:
        src.backup(dst)


def backup(live: Path, target: Path) -> dict[str, TableSummary]:
    """Copy the live database to ``target`` (atomically) and return what the copy holds."""
    if not live.is_file():
        raise BackupError(_("There is no database at %(path)s to back up.") % {"path": live})
    write_atomically(target, lambda partial: _copy(live, partial))
    if problems := integrity_problems(target):
        target.unlink()
        raise BackupError(
            _("The copy failed its integrity check: %(problems)s")
            % {"problems": "; ".join(problems)}
        )
    return summarise_file(target)


def rows_held(live: Path) -> int:
    """How many rows the live database holds beyond Django's own bookkeeping."""
    if not live.is_file():
        return 0
    with _open(live, read_only=True) as db:
        tables = [name for name, _keys in _tables(db) if name not in BOOKKEEPING]
        return sum(db.execute(f"SELECT count(*) FROM {_quote(t)}").fetchone()[0] for t in tables)


def _replace(live: Path, source: Path) -> None:
    """Overwrite the live database with ``source`` through the backup API, in one transaction
    of the live file, so readers never see a half-restored database."""
    with _open(source, read_only=True) as src, _open(live) as dst:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=WAL")
        dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def restore(backup_file: Path, live: Path, expected: dict[str, TableSummary]) -> Path | None:
    """Replace the live database with ``backup_file`` and check it against ``expected``.

    The previous database is kept beside the live one as ``.before-restore``; if the restored
    database does not match the manifest, the previous one is put back. Returns the kept copy.
    """
    if problems := integrity_problems(backup_file):
        raise BackupError(
            _("The backup failed its integrity check: %(problems)s")
            % {"problems": "; ".join(problems)}
        )
    kept = None
    if live.is_file():
        kept = live.with_name(live.name + ".before-restore")
        write_atomically(kept, lambda partial: _copy(live, partial))
    _replace(live, backup_file)
    found = integrity_problems(live) or differences(expected, summarise_file(live))
    if found:
        if kept is not None:
            _replace(live, kept)
        else:
            live.unlink()
        raise BackupError(
            _(
                "The restored database does not match the manifest (%(problems)s); "
                "the database is as it was before."
            )
            % {"problems": "; ".join(found)}
        )
    return kept
