"""Loading content/exercises into the database: validated, idempotent, all-or-nothing."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from backcare.library.models import Exercise
from backcare.library.services import exercises_dir, refresh_library

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of the real library to change."""
    folder = tmp_path / "exercises"
    shutil.copytree(exercises_dir(), folder)
    return folder


def test_it_loads_every_exercise_file(content: Path) -> None:
    report = refresh_library(content)
    assert report.created == len(list(content.glob("*.toml"))) == Exercise.objects.count()


def test_it_changes_nothing_when_loaded_again(content: Path) -> None:
    refresh_library(content)
    before = list(Exercise.objects.values_list("slug", "content_hash", "updated_at"))
    report = refresh_library(content)
    assert (report.created, report.updated, report.retired) == (0, 0, 0)
    assert list(Exercise.objects.values_list("slug", "content_hash", "updated_at")) == before


def test_it_updates_a_changed_file(content: Path) -> None:
    refresh_library(content)
    path = content / "bridge.toml"
    path.write_text(path.read_text().replace('name = "Bridge"', 'name = "Hip bridge"'))
    report = refresh_library(content)
    assert report.updated == 1
    assert Exercise.objects.get(slug="bridge").name == "Hip bridge"


def test_it_retires_an_exercise_whose_file_is_gone(content: Path) -> None:
    refresh_library(content)
    (content / "hip-hinge.toml").unlink()  # no other exercise links to it
    for translation in content.glob("*/hip-hinge.toml"):
        translation.unlink()  # a translation of a removed exercise is refused
    assert refresh_library(content).retired == 1
    assert not Exercise.objects.get(slug="hip-hinge").is_active


def test_it_loads_nothing_when_one_file_is_bad(content: Path) -> None:
    refresh_library(content)
    (content / "bridge.toml").write_text(
        (content / "bridge.toml").read_text().replace('name = "Bridge"', 'name = "Hip bridge"')
    )
    (content / "dead-bug.toml").write_text(
        (content / "dead-bug.toml")
        .read_text()
        .replace('category = "motor_control"', "category = 3")
    )
    with pytest.raises(ValueError, match=r"dead-bug\.toml: category"):
        refresh_library(content)
    assert Exercise.objects.get(slug="bridge").name == "Bridge"


def test_the_command_names_the_file_and_field_of_a_bad_file(content: Path, settings: Any) -> None:
    settings.CONTENT_DIR = content.parent
    (content / "bridge.toml").write_text(
        (content / "bridge.toml").read_text().replace("reps = 10", "reps = 0")
    )
    with pytest.raises(CommandError, match=r"bridge\.toml: dose\.reps: must be at least 1, got 0"):
        call_command("load_library")
