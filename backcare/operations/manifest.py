"""The manifest written beside every backup: what the database held, table by table.

A restore compares the restored database with it, so a backup that comes back incomplete or
altered is caught at once rather than weeks later. Each table is summarised by its row count and
a SHA-256 over its rows in primary-key order, each row as one line of JSON.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

MANIFEST_SUFFIX = ".manifest.json"
FORMAT = 1
CHUNK_ROWS = 2000


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


@dataclass(frozen=True)
class TableSummary:
    rows: int
    sha256: str


def manifest_path(backup: Path) -> Path:
    """Where the manifest of ``backup`` lives: next to it, with a suffix added."""
    return backup.with_name(backup.name + MANIFEST_SUFFIX)


def app_version() -> str:
    try:
        return version("backcare")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "unknown"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _cell(value: Any) -> Any:
    if isinstance(value, bytes | bytearray | memoryview):
        return "x" + bytes(value).hex()
    if value is None or isinstance(value, int | float | str):
        return value
    return str(value)  # dates, decimals, UUIDs, JSON documents: their text form


def summarise(
    cursor: Any, tables: Iterable[tuple[str, list[str]]], quote: Callable[[str], str]
) -> dict[str, TableSummary]:
    """Row count and content hash of each ``(table, ordering columns)`` through ``cursor``."""
    summaries = {}
    for table, order in tables:
        order_by = ", ".join(quote(column) for column in order)
        cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {order_by}")
        digest, rows = hashlib.sha256(), 0
        while chunk := cursor.fetchmany(CHUNK_ROWS):
            for row in chunk:
                line = json.dumps([_cell(v) for v in row], ensure_ascii=False, default=str)
                digest.update(line.encode() + b"\n")
            rows += len(chunk)
        summaries[table] = TableSummary(rows, digest.hexdigest())
    return summaries


def write_atomically(path: Path, write: Callable[[Path], object]) -> None:
    """Let ``write`` fill a temporary file beside ``path``, make it durable, then rename it into
    place, so ``path`` is either absent or complete, even after a crash or power loss."""
    partial = path.with_name(f".{path.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        write(partial)
        with partial.open("rb") as handle:
            os.fsync(handle.fileno())
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def write_manifest(backup: Path, engine: str, tables: dict[str, TableSummary]) -> Path:
    """Write the manifest of ``backup`` (already complete) and return its path."""
    manifest = {
        "format": FORMAT,
        "app": "backcare",
        "app_version": app_version(),
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "engine": engine,
        "backup_file": backup.name,
        "backup_bytes": backup.stat().st_size,
        "backup_sha256": file_sha256(backup),
        "tables": {name: {"rows": s.rows, "sha256": s.sha256} for name, s in tables.items()},
    }
    path = manifest_path(backup)
    text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    write_atomically(path, lambda partial: partial.write_text(text, encoding="utf-8"))
    return path


def read_manifest(backup: Path, engine: str) -> dict[str, TableSummary]:
    """The table summaries promised by ``backup``'s manifest, after checking that the backup is
    there, unchanged since it was made, and from this database engine."""
    if not backup.is_file():
        raise BackupError(_("No backup file at %(path)s.") % {"path": backup})
    path = manifest_path(backup)
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        tables = {
            name: TableSummary(int(s["rows"]), str(s["sha256"]))
            for name, s in manifest["tables"].items()
        }
        made_by, expected_sha = manifest["engine"], manifest["backup_sha256"]
    except FileNotFoundError as error:
        raise BackupError(
            _("No manifest at %(path)s: restore needs the manifest written with the backup.")
            % {"path": path}
        ) from error
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise BackupError(_("The manifest %(path)s is unreadable.") % {"path": path}) from error
    if made_by != engine:
        raise BackupError(
            _("This backup was made from %(made)s; this server uses %(engine)s.")
            % {"made": made_by, "engine": engine}
        )
    if file_sha256(backup) != expected_sha:
        raise BackupError(
            _(
                "%(path)s has changed since it was made (its SHA-256 differs from the manifest's): "
                "it is corrupt or not the file the manifest describes."
            )
            % {"path": backup}
        )
    return tables


def differences(expected: dict[str, TableSummary], actual: dict[str, TableSummary]) -> list[str]:
    """Each table whose restored rows differ from what the manifest promised."""
    problems = []
    for table, promised in sorted(expected.items()):
        found = actual.get(table)
        if found is None:
            problems.append(_("%(table)s is missing") % {"table": table})
        elif found.rows != promised.rows:
            problems.append(
                _("%(table)s has %(found)d rows, not %(rows)d")
                % {"table": table, "found": found.rows, "rows": promised.rows}
            )
        elif found.sha256 != promised.sha256:
            problems.append(_("%(table)s has different content") % {"table": table})
    return problems


def timestamped_name(suffix: str) -> str:
    """A backup file name that sorts by when it was made, in UTC."""
    return f"backcare-{datetime.now(UTC):%Y%m%dT%H%M%SZ}{suffix}"
