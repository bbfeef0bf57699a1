"""The startup guard refuses, in production only, database settings that can lose commits."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection

from backcare.operations.durability import check_durability, postgres_problems, sqlite_problems

BACKCARE = str(Path(sys.executable).with_name("backcare"))
SAFE_POSTGRES = {"fsync": "on", "full_page_writes": "on", "synchronous_commit": "on"}
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="runs on the SQLite suite")
on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="runs when DATABASE_URL is set"
)


@pytest.mark.parametrize(
    ("journal_mode", "synchronous", "problems"),
    [
        ("wal", 2, []),
        ("WAL", 3, []),  # EXTRA is stricter than FULL
        ("wal", 1, ["SQLite synchronous is 1, below FULL (2)"]),
        ("delete", 2, ["SQLite journal_mode is delete, not WAL"]),
        (
            "memory",
            0,
            ["SQLite journal_mode is memory, not WAL", "SQLite synchronous is 0, below FULL (2)"],
        ),
    ],
)
def test_it_judges_sqlite_settings(
    journal_mode: str, synchronous: int, problems: list[str]
) -> None:
    assert sqlite_problems(journal_mode, synchronous) == problems


@pytest.mark.parametrize(
    ("changed", "problems"),
    [
        ({}, []),
        ({"synchronous_commit": "local"}, []),  # durable on this server; no replica involved
        ({"synchronous_commit": "remote_apply"}, []),
        ({"fsync": "off"}, ["PostgreSQL fsync is off"]),
        ({"full_page_writes": "off"}, ["PostgreSQL full_page_writes is off"]),
        ({"synchronous_commit": "off"}, ["PostgreSQL synchronous_commit is off"]),
        (
            {"fsync": "off", "synchronous_commit": "off"},
            ["PostgreSQL fsync is off", "PostgreSQL synchronous_commit is off"],
        ),
    ],
)
def test_it_judges_postgres_settings(changed: dict[str, str], problems: list[str]) -> None:
    assert postgres_problems(SAFE_POSTGRES | changed) == problems


@on_sqlite
def test_it_passes_backcares_own_sqlite_settings_in_production(db: Any, settings: Any) -> None:
    settings.PRODUCTION = True

    assert check_durability() == []


@on_sqlite
def test_it_refuses_sqlite_synchronous_normal_in_production(
    transactional_db: Any, settings: Any
) -> None:
    settings.PRODUCTION = True
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous=NORMAL")
    try:
        errors = check_durability()
        with pytest.raises(SystemCheckError, match="synchronous is 1"):
            call_command("check")  # what every command, `serve` included, runs first
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=FULL")

    assert [e.id for e in errors] == ["operations.E001"]
    assert "synchronous is 1, below FULL" in errors[0].msg


@on_sqlite
def test_it_refuses_sqlite_outside_wal_in_production(transactional_db: Any, settings: Any) -> None:
    settings.PRODUCTION = True
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode=DELETE")
    try:
        errors = check_durability()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")

    assert [e.msg.split(";")[0] for e in errors] == [
        "Refusing to start in production: SQLite journal_mode is delete, not WAL"
    ]


@on_sqlite
def test_it_says_nothing_outside_production(transactional_db: Any, settings: Any) -> None:
    settings.PRODUCTION = False
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous=OFF")
    try:
        assert check_durability() == []
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=FULL")


@on_postgres
def test_it_refuses_postgres_synchronous_commit_off_in_production(db: Any, settings: Any) -> None:
    settings.PRODUCTION = True
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")

    errors = check_durability()

    assert "PostgreSQL synchronous_commit is off" in [
        e.msg.split(": ")[1].split(";")[0] for e in errors
    ]


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return (
        env
        | {
            "BACKCARE_ENV": "production",
            "BACKCARE_SECRET_KEY": "0123456789" * 5,
            "BACKCARE_DEBUG": "0",
            "BACKCARE_BASE_URL": "https://backcare.example.org",
            "BACKCARE_DATA_DIR": str(tmp_path / "data"),
        }
        | extra
    )


def serve(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [BACKCARE, "serve", "--no-serve"]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


@on_sqlite
def test_serve_refuses_an_sqlite_override_in_production(tmp_path: Path) -> None:
    (tmp_path / "unsafe_settings.py").write_text(
        "from backcare.settings import *  # noqa\n"
        "DATABASES['default']['OPTIONS']['init_command'] = "
        "'PRAGMA journal_mode=DELETE; PRAGMA synchronous=NORMAL;'\n"
    )
    env = production_env(
        tmp_path, DJANGO_SETTINGS_MODULE="unsafe_settings", PYTHONPATH=str(tmp_path)
    )

    refused = serve(env)

    assert refused.returncode != 0
    assert "operations.E001" in refused.stderr
    assert "journal_mode is delete, not WAL" in refused.stderr
    assert "synchronous is 1, below FULL" in refused.stderr
    assert not (tmp_path / "data" / "backcare.sqlite3-wal").exists()  # nothing was migrated


@on_postgres
def test_serve_refuses_postgres_without_synchronous_commit_in_production(
    tmp_path: Path,
) -> None:
    import psycopg

    suite_url = os.environ["DATABASE_URL"]
    name = f"backcare_guard_{os.getpid()}"
    url = urlparse(suite_url)._replace(path=f"/{name}").geturl()
    with psycopg.connect(suite_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
        admin.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    try:
        refused = serve(production_env(tmp_path, DATABASE_URL=url))
    finally:
        with psycopg.connect(suite_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    assert refused.returncode != 0
    assert "operations.E001" in refused.stderr
    assert "PostgreSQL synchronous_commit is off" in refused.stderr
