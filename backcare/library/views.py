"""Browsing the exercise library: the list by stage, and one exercise in full.

The library is shared content, not patient data, so any logged-in person may read it and reads
are not audited.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from backcare.core.library import CATEGORIES, POSITIONS, STAGES, Dose
from backcare.library.labels import LABELS, caution_label, label
from backcare.library.models import Exercise
from backcare.patients.models import Patient

STAGE_LABELS = dict(Patient.Stage.choices)


def dose_text(dose: Dose) -> str:
    """A default dose in words: "3 × 10 reps, rest 45 s, 5 days a week" (as on programmes)."""
    numbers = {"sets": dose.sets, "reps": dose.reps, "hold_s": dose.hold_s}
    if dose.dose_type == "reps":
        body = gettext("%(sets)s × %(reps)s reps") % numbers
    elif dose.dose_type == "hold":
        body = gettext("%(sets)s × %(hold_s)s s hold") % numbers
    else:
        body = gettext("%(minutes)s min") % {"minutes": dose.duration_min}
    days = ngettext("%(days)d day a week", "%(days)d days a week", dose.days_per_week) % {
        "days": dose.days_per_week
    }
    return gettext("%(dose)s, rest %(rest_s)s s, %(days_per_week)s") % {
        "dose": body,
        "rest_s": dose.rest_s,
        "days_per_week": days,
    }


def _choices(values: tuple[str, ...], anything: str | Promise) -> list[tuple[str, str | Promise]]:
    return [("", anything), *((v, LABELS.get(v, v)) for v in values)]


class ExerciseFilterForm(forms.Form):
    """The list's filters; a value that is not a choice is ignored (with a message)."""

    stage = forms.ChoiceField(
        label=_("Stage"), choices=_choices(STAGES, _("Any stage")), required=False
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=_choices(CATEGORIES, _("Any category")), required=False
    )
    position = forms.ChoiceField(
        label=_("Position"), choices=_choices(POSITIONS, _("Any position")), required=False
    )


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


def alphabetical_key(name: str) -> str:
    """Alphabetical in any of our languages: accents do not move a name ("Á" sorts with "A")."""
    letters = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in letters if not unicodedata.combining(c))


@login_required
def exercise_list(request: HttpRequest) -> HttpResponse:
    """Every active exercise, grouped by stage, narrowed by the stage/category/position filters."""
    form = ExerciseFilterForm(request.GET)
    form.is_valid()
    for name in form.errors:
        message = gettext("There is no %(filter)s called “%(value)s”, so that filter is ignored.")
        filter_name = str(form.fields[name].label).lower()
        messages.warning(request, message % {"filter": filter_name, "value": request.GET[name]})
    chosen = {k: v for k, v in form.cleaned_data.items() if v}
    rows = Exercise.objects.filter(
        is_active=True, **{k: v for k, v in chosen.items() if k != "stage"}
    )
    cards = sorted(
        (Card(e, label(e.category), label(e.position)) for e in rows),
        key=lambda card: alphabetical_key(card.exercise.local.name),
    )
    stages = [chosen["stage"]] if "stage" in chosen else list(STAGES)
    groups = [
        StageGroup(
            stage, str(STAGE_LABELS[stage]), [c for c in cards if stage in c.exercise.stages]
        )
        for stage in stages
    ]
    context = {"form": form, "groups": groups, "filtered": bool(chosen)}
    return render(request, "library/exercise_list.html", context)


@login_required
def exercise_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """One exercise in full: pictures, how to do it, dose, cautions, easier and harder variants."""
    exercise = Exercise.objects.filter(slug=slug, is_active=True).first()
    if exercise is None:
        raise Http404(gettext("No such exercise."))
    core = exercise.core
    links = {
        e.slug: e
        for e in Exercise.objects.filter(slug__in=[core.easier, core.harder], is_active=True)
    }
    context = {
        "exercise": exercise,
        "core": core,
        "text": exercise.local,
        "dose": dose_text(core.dose),
        "stages": [str(STAGE_LABELS[stage]) for stage in core.stages],
        "category": label(core.category),
        "position": label(core.position),
        "equipment": [label(e) for e in core.equipment],
        "contraindications": [caution_label(c) for c in core.contraindications],
        "easier": links.get(core.easier or ""),
        "harder": links.get(core.harder or ""),
    }
    return render(request, "library/exercise_detail.html", context)
