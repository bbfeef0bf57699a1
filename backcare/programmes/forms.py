"""Editing a draft programme: dose, order and removal per item, and adding an exercise."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from backcare.library.models import Exercise
from backcare.programmes.models import ProgrammeItem


class ItemForm(forms.Form):
    """One row of the edit table; the dose fields that apply depend on the dose type."""

    id = forms.IntegerField(widget=forms.HiddenInput)
    order = forms.IntegerField(min_value=1, max_value=99)
    sets = forms.IntegerField(min_value=1, max_value=10)
    reps = forms.IntegerField(min_value=1, max_value=100, required=False)
    hold_s = forms.IntegerField(min_value=1, max_value=600, required=False, label=_("Hold (s)"))
    duration_min = forms.IntegerField(
        min_value=1, max_value=120, required=False, label=_("Minutes")
    )
    rest_s = forms.IntegerField(min_value=0, max_value=600, label=_("Rest (s)"))
    days_per_week = forms.IntegerField(min_value=1, max_value=7, label=_("Days/week"))
    remove = forms.BooleanField(required=False)

    def __init__(self, *args: Any, item: ProgrammeItem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.item = item

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        needed = {"reps": "reps", "hold": "hold_s", "duration": "duration_min"}[self.item.dose_type]
        if not data.get("remove") and not self.errors and data.get(needed) is None:
            self.add_error(needed, _("Required for this exercise's dose."))
        return data


def item_forms(items: list[ProgrammeItem], data: Any = None) -> list[ItemForm]:
    """One prefixed form per item, filled from the item unless ``data`` was posted."""
    forms_ = []
    for index, item in enumerate(items):
        initial = {
            "id": item.pk,
            "order": index + 1,
            "sets": item.sets,
            "reps": item.reps,
            "hold_s": item.hold_s,
            "duration_min": item.duration_min,
            "rest_s": item.rest_s,
            "days_per_week": item.days_per_week,
        }
        forms_.append(ItemForm(data, item=item, prefix=f"item-{item.pk}", initial=initial))
    return forms_


class LocalNameChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """Exercises listed by their name in the reader's language."""

    def label_from_instance(self, obj: Exercise) -> str:
        return obj.local.name


class AddExerciseForm(forms.Form):
    exercise = LocalNameChoiceField(
        queryset=Exercise.objects.filter(is_active=True),
        to_field_name="slug",
        empty_label=_("Choose an exercise…"),
    )
