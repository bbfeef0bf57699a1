"""The exercise words in Spanish: loaded with the library, shown in the reader's language."""

from __future__ import annotations

import html
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import translation

from backcare.accounts.models import User
from backcare.core.library import CATEGORIES, EQUIPMENT, POSITIONS, STAGES, LibraryError
from backcare.library.labels import LABELS
from backcare.library.models import Exercise
from backcare.library.services import exercises_dir, refresh_library
from backcare.library.views import alphabetical_key
from backcare.patients.models import Patient
from backcare.testing import logged_in

pytestmark = pytest.mark.django_db

SPANISH_BRACING = "Activación abdominal"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of the real library, with its translations, to change."""
    folder = tmp_path / "exercises"
    shutil.copytree(exercises_dir(), folder)
    return folder


def _spanish(folder: Path, slug: str) -> Path:
    return folder / "es" / f"{slug}.toml"


def test_it_stores_each_translation_on_its_exercise(content: Path) -> None:
    refresh_library(content)

    bracing = Exercise.objects.get(slug="abdominal-bracing")
    assert bracing.translations["es"]["name"] == SPANISH_BRACING


def test_it_changes_nothing_when_the_translations_are_loaded_again(content: Path) -> None:
    refresh_library(content)
    before = list(Exercise.objects.values_list("slug", "content_hash", "updated_at"))

    report = refresh_library(content)

    assert (report.created, report.updated, report.retired) == (0, 0, 0)
    assert list(Exercise.objects.values_list("slug", "content_hash", "updated_at")) == before


def test_it_updates_an_exercise_whose_translation_changed(content: Path) -> None:
    refresh_library(content)
    path = _spanish(content, "abdominal-bracing")
    path.write_text(path.read_text().replace(SPANISH_BRACING, "Faja abdominal"))

    report = refresh_library(content)

    assert report.updated == 1
    assert Exercise.objects.get(slug="abdominal-bracing").local.name == "Abdominal bracing"
    with translation.override("es"):
        assert Exercise.objects.get(slug="abdominal-bracing").local.name == "Faja abdominal"


def test_it_drops_a_translation_whose_file_is_removed(content: Path) -> None:
    refresh_library(content)
    _spanish(content, "abdominal-bracing").unlink()

    assert refresh_library(content).updated == 1
    assert Exercise.objects.get(slug="abdominal-bracing").translations == {}


def test_it_loads_nothing_when_one_translation_is_bad(content: Path) -> None:
    refresh_library(content)
    bridge = content / "bridge.toml"
    bridge.write_text(bridge.read_text().replace('name = "Bridge"', 'name = "Hip bridge"'))
    path = _spanish(content, "abdominal-bracing")
    text = path.read_text()
    path.write_text(text[: text.index("cautions")] + "cautions = []\n")

    with pytest.raises(LibraryError, match=r"^es/abdominal-bracing\.toml: cautions: "):
        refresh_library(content)
    assert Exercise.objects.get(slug="bridge").name == "Bridge"


def test_it_refuses_a_translation_of_an_exercise_that_does_not_exist(content: Path) -> None:
    shutil.copy(_spanish(content, "abdominal-bracing"), _spanish(content, "no-such-exercise"))

    with pytest.raises(LibraryError, match=r"^es/no-such-exercise\.toml: .*unknown exercise"):
        refresh_library(content)
    assert Exercise.objects.count() == 0


def test_it_loads_no_translations_for_a_language_that_is_not_offered(
    content: Path, settings: Any
) -> None:
    settings.LANGUAGES = [("en-gb", "English")]

    refresh_library(content)

    assert not Exercise.objects.exclude(translations={}).exists()


# --- Exercise.local and Exercise.text ---------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "name"),
    [("es", SPANISH_BRACING), ("es-es", SPANISH_BRACING), ("en-gb", "Abdominal bracing")],
)
def test_local_is_in_the_active_language(
    library: dict[str, Exercise], language: str, name: str
) -> None:
    with translation.override(language):
        assert library["abdominal-bracing"].local.name == name


def test_local_falls_back_to_english_without_a_translation(library: dict[str, Exercise]) -> None:
    Exercise.objects.filter(slug="bridge").update(translations={})
    bridge = Exercise.objects.get(slug="bridge")

    with translation.override("es"):
        assert bridge.local == bridge.text("en-gb")
        assert bridge.local.steps == bridge.core.steps


def test_text_gives_the_words_of_a_named_language(library: dict[str, Exercise]) -> None:
    bracing = library["abdominal-bracing"]

    spanish = bracing.text("es")

    assert spanish.steps[0].startswith("Túmbate boca arriba")
    assert len(spanish.cautions) == len(bracing.core.cautions)
    assert bracing.text("fr").name == bracing.text(None).name == "Abdominal bracing"


def test_every_exercise_of_the_shipped_library_is_loaded_with_its_spanish(
    library: dict[str, Exercise],
) -> None:
    assert sorted(slug for slug, row in library.items() if "es" not in row.translations) == []


# --- the library pages in Spanish ---------------------------------------------------------------


def _in_spanish(user: User) -> Client:
    client = logged_in(user)
    client.cookies["django_language"] = "es"
    return client


@pytest.fixture(params=["clinician", "patient"])
def reader(request: pytest.FixtureRequest, clinician: User, patient: Patient) -> User:
    return clinician if request.param == "clinician" else patient.user  # type: ignore[return-value]


def test_the_exercise_page_shows_the_spanish_words(
    reader: User, library: dict[str, Exercise]
) -> None:
    bracing = library["abdominal-bracing"]
    spanish = bracing.text("es")

    page = html.unescape(_in_spanish(reader).get("/exercises/abdominal-bracing/").content.decode())

    assert f"<h1>{spanish.name}</h1>" in page
    for words in (spanish.summary, *spanish.steps, *spanish.cues, *spanish.mistakes):
        assert words in page
    for words in spanish.cautions:
        assert words in page
    assert bracing.core.steps[0] not in page


def test_the_exercise_list_shows_the_spanish_names(
    reader: User, library: dict[str, Exercise]
) -> None:
    page = html.unescape(_in_spanish(reader).get("/exercises/").content.decode())

    assert SPANISH_BRACING in page
    assert ">Abdominal bracing<" not in page


def test_the_exercise_page_stays_english_for_an_english_reader(
    reader: User, library: dict[str, Exercise]
) -> None:
    page = html.unescape(logged_in(reader).get("/exercises/abdominal-bracing/").content.decode())

    assert "<h1>Abdominal bracing</h1>" in page
    assert SPANISH_BRACING not in page


# --- the library's codes as words ---------------------------------------------------------------


@pytest.mark.parametrize("code", [*STAGES, *CATEGORIES, *POSITIONS, *EQUIPMENT])
def test_every_library_code_has_a_translatable_label(code: str) -> None:
    assert code in LABELS


def test_the_spanish_list_is_in_alphabetical_order_of_the_spanish_names(
    reader: User, library: dict[str, Exercise]
) -> None:
    page = html.unescape(_in_spanish(reader).get("/exercises/?stage=initial").content.decode())

    with translation.override("es"):
        names = sorted(
            (e.local.name for e in library.values() if "initial" in e.stages), key=alphabetical_key
        )
    positions = [page.index(f">{name}</a>") for name in names]
    assert positions == sorted(positions)
    assert alphabetical_key("Ángulo") < alphabetical_key("Bisagra") < alphabetical_key("Émbolo")


def test_the_command_names_the_file_and_field_of_a_bad_translation(
    content: Path, settings: Any
) -> None:
    settings.CONTENT_DIR = content.parent
    path = _spanish(content, "abdominal-bracing")
    path.write_text(path.read_text() + 'tags = ["núcleo"]\n')

    with pytest.raises(CommandError, match=r"es/abdominal-bracing\.toml: tags: is not a field"):
        call_command("load_library")
    assert Exercise.objects.count() == 0


def test_the_today_page_shows_the_patients_exercises_in_spanish(
    patient: Patient, library: dict[str, Exercise]
) -> None:
    bridge = library["bridge"].text("es")

    page = html.unescape(_in_spanish(patient.user).get("/me/").content.decode())  # type: ignore[arg-type]

    assert SPANISH_BRACING in page and bridge.name in page
    assert bridge.steps[2] in page and bridge.cues[0] in page
    assert library["bridge"].core.steps[2] not in page
