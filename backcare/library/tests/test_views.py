from __future__ import annotations

import html
from typing import Any

import pytest
from django.test import Client

from backcare.accounts.models import User
from backcare.audit.models import AuditEvent
from backcare.core.library import CONTRAINDICATIONS
from backcare.library.models import Exercise
from backcare.patients.models import Patient
from backcare.testing import logged_in


def page_of(response: Any) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture(params=["clinician", "patient"])
def any_user(request: Any, library: dict[str, Exercise], clinician: User, patient: Patient) -> User:
    """Each test runs for a clinician and for a patient: the library is for every login."""
    return clinician if request.param == "clinician" else patient.user  # type: ignore[return-value]


def test_it_lists_the_exercises_by_stage_with_figures(
    any_user: User, library: dict[str, Exercise]
) -> None:
    response = logged_in(any_user).get("/exercises/")

    assert response.status_code == 200
    page = page_of(response)
    for heading in (
        "Initial: calm symptoms, activate",
        "Intermediate: stabilise and load",
        "Advanced: strengthen and return to activity",
    ):
        assert heading in page
    for exercise in library.values():
        assert exercise.name in page
    assert page.count("<svg") >= len(library)


def test_it_lists_an_exercise_under_each_of_its_stages(
    any_user: User, library: dict[str, Exercise]
) -> None:
    several = next(e for e in library.values() if len(e.stages) > 1)

    page = page_of(logged_in(any_user).get("/exercises/"))

    assert page.count(f'href="/exercises/{several.slug}/"') == len(several.stages)


@pytest.mark.parametrize("name", ["category", "position"])
def test_it_filters_the_list(any_user: User, library: dict[str, Exercise], name: str) -> None:
    value = getattr(library["bridge"], name)

    page = page_of(logged_in(any_user).get(f"/exercises/?{name}={value}"))

    for exercise in library.values():
        link = f'href="/exercises/{exercise.slug}/"'
        assert (link in page) == (getattr(exercise, name) == value), exercise.slug


def test_it_filters_the_list_by_stage(any_user: User, library: dict[str, Exercise]) -> None:
    page = page_of(logged_in(any_user).get("/exercises/?stage=advanced"))

    assert "Advanced: strengthen" in page
    assert "Initial: calm symptoms" not in page
    for exercise in library.values():
        assert (f'href="/exercises/{exercise.slug}/"' in page) == ("advanced" in exercise.stages)


@pytest.mark.parametrize("query", ["stage=expert", "category=yoga&position=upside_down", "stage="])
def test_it_ignores_unknown_filter_values(
    any_user: User, library: dict[str, Exercise], query: str
) -> None:
    response = logged_in(any_user).get(f"/exercises/?{query}")

    assert response.status_code == 200
    page = page_of(response)
    assert all(exercise.name in page for exercise in library.values())
    if query != "stage=":
        assert "so that filter is ignored" in page


def test_it_shows_one_exercise_in_full(any_user: User, library: dict[str, Exercise]) -> None:
    exercise = next(e for e in library.values() if e.core.contraindications and e.core.easier)
    core = exercise.core

    response = logged_in(any_user).get(f"/exercises/{exercise.slug}/")

    assert response.status_code == 200
    page = page_of(response)
    assert exercise.name in page and core.summary in page
    assert page.count("<svg") == len(core.key_poses)
    for text in (*core.steps, *core.cues, *core.mistakes, *core.cautions):
        assert text in page
    for key in core.contraindications:
        assert CONTRAINDICATIONS[key] in page
    assert f'href="/exercises/{core.easier}/"' in page
    dose = core.dose
    assert dose.dose_type == "reps"
    assert (
        f"{dose.sets} × {dose.reps} reps, rest {dose.rest_s} s, {dose.days_per_week} days a week"
        in page
    )


def test_it_links_the_harder_variant(any_user: User, library: dict[str, Exercise]) -> None:
    page = page_of(logged_in(any_user).get("/exercises/bridge/"))

    assert f'href="/exercises/{library["bridge"].core.harder}/"' in page


def test_it_answers_404_for_a_retired_exercise(
    any_user: User, library: dict[str, Exercise]
) -> None:
    Exercise.objects.filter(slug="bridge").update(is_active=False)

    assert logged_in(any_user).get("/exercises/bridge/").status_code == 404
    assert 'href="/exercises/bridge/"' not in page_of(logged_in(any_user).get("/exercises/"))


def test_it_does_not_link_a_retired_variant(any_user: User, library: dict[str, Exercise]) -> None:
    harder = library["bridge"].core.harder
    Exercise.objects.filter(slug=harder).update(is_active=False)

    page = page_of(logged_in(any_user).get("/exercises/bridge/"))

    assert f'href="/exercises/{harder}/"' not in page


def test_it_answers_404_for_an_unknown_exercise(any_user: User) -> None:
    assert logged_in(any_user).get("/exercises/no-such-thing/").status_code == 404


@pytest.mark.parametrize("path", ["/exercises/", "/exercises/bridge/"])
def test_it_sends_anonymous_visitors_to_log_in(library: dict[str, Exercise], path: str) -> None:
    response = Client().get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_it_lets_a_clinician_of_another_clinic_read_the_library(
    outsider: User, library: dict[str, Exercise]
) -> None:
    assert logged_in(outsider).get("/exercises/bridge/").status_code == 200


def test_it_does_not_audit_library_reads(any_user: User) -> None:
    client = logged_in(any_user)
    client.get("/exercises/")
    client.get("/exercises/bridge/")

    assert AuditEvent.objects.count() == 0
