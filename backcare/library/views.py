"""Browsing the exercise library: the list by stage, and one exercise in full.

The library is shared content, not patient data, so any logged-in person may read it and reads
are not audited.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from backcare.core.library import CATEGORIES, CONTRAINDICATIONS, POSITIONS, STAGES
from backcare.library.models import Exercise
from backcare.patients.models import Patient

LABELS = {
    "motor_control": "Motor control",
    "mind_body": "Mind–body",
    "side_lying": "Side-lying",
    "swiss_ball": "Swiss ball",
}
"""Display names where turning ``snake_case`` into words is not enough."""

STAGE_LABELS = dict(Patient.Stage.choices)


def label(value: str) -> str:
    """A library code as words, e.g. ``motor_control`` → "Motor control"."""
    return LABELS.get(value, value.replace("_", " ").capitalize())


def _choices(values: tuple[str, ...], anything: str) -> list[tuple[str, str]]:
    return [("", anything), *((v, label(v)) for v in values)]


class ExerciseFilterForm(forms.Form):
    """The list's filters; a value that is not a choice is ignored (with a message)."""

    stage = forms.ChoiceField(choices=_choices(STAGES, "Any stage"), required=False)
    category = forms.ChoiceField(choices=_choices(CATEGORIES, "Any category"), required=False)
    position = forms.ChoiceField(choices=_choices(POSITIONS, "Any position"), required=False)


@dataclass(frozen=True)
class Card:
    """One exercise in the list, with its codes as words."""

    exercise: Exercise
    category: str
    position: str


@dataclass(frozen=True)
class StageGroup:
    stage: str
    title: str
    cards: list[Card]


@login_required
def exercise_list(request: HttpRequest) -> HttpResponse:
    """Every active exercise, grouped by stage, narrowed by the stage/category/position filters."""
    form = ExerciseFilterForm(request.GET)
    form.is_valid()
    for name in form.errors:
        value = request.GET.get(name, "")
        messages.warning(
            request, f"There is no {name} called “{value}”, so that filter is ignored."
        )
    chosen = {k: v for k, v in form.cleaned_data.items() if v}
    rows = Exercise.objects.filter(
        is_active=True, **{k: v for k, v in chosen.items() if k != "stage"}
    )
    cards = [Card(e, label(e.category), label(e.position)) for e in rows.order_by("name")]
    stages = [chosen["stage"]] if "stage" in chosen else list(STAGES)
    groups = [
        StageGroup(stage, STAGE_LABELS[stage], [c for c in cards if stage in c.exercise.stages])
        for stage in stages
    ]
    context = {"form": form, "groups": groups, "filtered": bool(chosen)}
    return render(request, "library/exercise_list.html", context)


@login_required
def exercise_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """One exercise in full: pictures, how to do it, dose, cautions, easier and harder variants."""
    exercise = Exercise.objects.filter(slug=slug, is_active=True).first()
    if exercise is None:
        raise Http404("No such exercise.")
    core = exercise.core
    links = {
        e.slug: e
        for e in Exercise.objects.filter(slug__in=[core.easier, core.harder], is_active=True)
    }
    context = {
        "exercise": exercise,
        "core": core,
        "stages": [STAGE_LABELS[stage] for stage in core.stages],
        "category": label(core.category),
        "position": label(core.position),
        "equipment": [label(e) for e in core.equipment],
        "contraindications": [CONTRAINDICATIONS.get(c, label(c)) for c in core.contraindications],
        "easier": links.get(core.easier or ""),
        "harder": links.get(core.harder or ""),
    }
    return render(request, "library/exercise_detail.html", context)
