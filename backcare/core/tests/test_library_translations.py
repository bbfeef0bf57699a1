"""Translations of the exercise words: validated against the English file, field by field."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from backcare.core.library import (
    TEXT_FIELDS,
    Exercise,
    ExerciseText,
    LibraryError,
    load_library,
    load_translations,
    parse_exercise,
    parse_translation,
)

CONTENT = Path(__file__).resolve().parents[3] / "content" / "exercises"

ENGLISH = parse_exercise(
    {
        "slug": "demo-lift",
        "name": "Demo lift",
        "summary": "A made-up exercise for the tests.",
        "stages": ["initial"],
        "category": "strength",
        "position": "supine",
        "steps": ["Lie down.", "Lift."],
        "cues": ["Breathe."],
        "mistakes": ["Rushing.", "Holding your breath."],
        "cautions": ["Stop if it hurts."],
        "dose": {"type": "reps", "reps": 10},
        "key_poses": [{"name": "start", "trunk_deg": -90}],
    },
    "demo-lift.toml",
)

VALID: dict[str, Any] = {
    "name": "Elevación de prueba",
    "summary": "Un ejercicio inventado para las pruebas.",
    "steps": ["Túmbate.", "Levanta."],
    "cues": ["Respira."],
    "mistakes": ["Ir con prisa.", "Aguantar la respiración."],
    "cautions": ["Para si duele."],
}

DELETE = object()


def _changed(key: str, value: object) -> dict[str, Any]:
    raw = copy.deepcopy(VALID)
    if value is DELETE:
        del raw[key]
    else:
        raw[key] = value
    return raw


def _rejection(raw: dict[str, Any]) -> str:
    with pytest.raises(LibraryError) as caught:
        parse_translation(raw, "es/demo-lift.toml", ENGLISH)
    message = str(caught.value)
    assert message.startswith("es/demo-lift.toml: "), message
    return message


def test_it_parses_a_valid_translation_into_exercise_text() -> None:
    text = parse_translation(VALID, "es/demo-lift.toml", ENGLISH)

    assert text == ExerciseText(
        name="Elevación de prueba",
        summary="Un ejercicio inventado para las pruebas.",
        steps=("Túmbate.", "Levanta."),
        cues=("Respira.",),
        mistakes=("Ir con prisa.", "Aguantar la respiración."),
        cautions=("Para si duele.",),
    )


def test_the_english_text_is_the_exercise_files_own_words() -> None:
    text = ExerciseText.of(ENGLISH)

    assert (text.name, text.steps, text.cautions) == (
        "Demo lift",
        ("Lie down.", "Lift."),
        ("Stop if it hurts.",),
    )


@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_it_rejects_a_missing_field(field: str) -> None:
    assert f": {field}: is missing" in _rejection(_changed(field, DELETE))


@pytest.mark.parametrize("field", ["slug", "dose", "stages", "tags", "Name"])
def test_it_rejects_a_field_a_translation_does_not_have(field: str) -> None:
    assert f": {field}: is not a field of a translation" in _rejection(_changed(field, "x"))


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [
        ("name", "   ", "name"),
        ("summary", "", "summary"),
        ("steps", ["Túmbate.", ""], "steps[1]"),
        ("cautions", [" "], "cautions[0]"),
        ("cues", [3], "cues[0]"),
    ],
)
def test_it_rejects_empty_text(field: str, value: object, named: str) -> None:
    assert f": {named}: " in _rejection(_changed(field, value))


@pytest.mark.parametrize(
    ("field", "value"),
    [("name", ["Elevación"]), ("summary", 5), ("steps", "Túmbate y levanta."), ("cues", None)],
)
def test_it_rejects_a_field_of_the_wrong_type(field: str, value: object) -> None:
    assert f": {field}: must be " in _rejection(_changed(field, value))


@pytest.mark.parametrize(
    ("field", "value", "counts"),
    [
        ("steps", ["Túmbate y levanta."], "has 1 entries but the English file has 2"),
        ("steps", ["Túmbate.", "Levanta.", "Baja."], "has 3 entries but the English file has 2"),
        ("mistakes", ["Ir con prisa."], "has 1 entries but the English file has 2"),
        ("cautions", [], "needs at least 1 entry"),
    ],
)
def test_it_rejects_a_list_whose_length_differs_from_the_english(
    field: str, value: object, counts: str
) -> None:
    assert f": {field}: {counts}" in _rejection(_changed(field, value))


# --- load_translations ------------------------------------------------------------------------


def _write(folder: Path, slug: str, text: str) -> None:
    folder.mkdir(exist_ok=True)
    (folder / f"{slug}.toml").write_text(text, encoding="utf-8")


TRANSLATION = """\
name = "Elevación de prueba"
summary = "Un ejercicio inventado."
steps = ["Túmbate.", "Levanta."]
cues = ["Respira."]
mistakes = ["Ir con prisa.", "Aguantar la respiración."]
cautions = ["Para si duele."]
"""


def test_load_translations_reads_a_language_folder_keyed_by_slug(tmp_path: Path) -> None:
    _write(tmp_path / "es", "demo-lift", TRANSLATION)

    found = load_translations(tmp_path / "es", {"demo-lift": ENGLISH})

    raw, text = found["demo-lift"]
    assert raw["name"] == text.name == "Elevación de prueba"
    assert list(found) == ["demo-lift"]


def test_load_translations_of_a_missing_folder_is_empty(tmp_path: Path) -> None:
    assert load_translations(tmp_path / "fr", {"demo-lift": ENGLISH}) == {}


def test_load_translations_rejects_a_translation_of_an_unknown_exercise(tmp_path: Path) -> None:
    _write(tmp_path / "es", "no-such-lift", TRANSLATION)

    with pytest.raises(LibraryError, match=r"^es/no-such-lift\.toml: \(file\): translates unknown"):
        load_translations(tmp_path / "es", {"demo-lift": ENGLISH})


def test_load_translations_rejects_a_file_that_is_not_valid_toml(tmp_path: Path) -> None:
    _write(tmp_path / "es", "demo-lift", 'name = "Elevación')

    with pytest.raises(LibraryError, match=r"^es/demo-lift\.toml: \(file\): is not valid TOML"):
        load_translations(tmp_path / "es", {"demo-lift": ENGLISH})


def test_load_translations_names_the_file_of_a_bad_field(tmp_path: Path) -> None:
    _write(tmp_path / "es", "demo-lift", TRANSLATION.replace('cues = ["Respira."]', "cues = []"))

    with pytest.raises(LibraryError, match=r"^es/demo-lift\.toml: cues: "):
        load_translations(tmp_path / "es", {"demo-lift": ENGLISH})


# --- the shipped Spanish --------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_library() -> dict[str, Exercise]:
    return load_library(CONTENT)


def test_every_shipped_exercise_has_a_valid_spanish_translation(
    real_library: dict[str, Exercise],
) -> None:
    spanish = load_translations(CONTENT / "es", real_library)

    assert sorted(set(real_library) - set(spanish)) == []


def test_the_shipped_spanish_is_not_a_copy_of_the_english(
    real_library: dict[str, Exercise],
) -> None:
    spanish = load_translations(CONTENT / "es", real_library)

    copied = [
        (slug, field)
        for slug, (_, text) in spanish.items()
        for field in TEXT_FIELDS
        if getattr(text, field) == getattr(real_library[slug], field)
    ]
    assert copied == []
