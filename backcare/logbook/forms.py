"""The patient's session form: one small form per programme item plus the session's own fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from backcare.logbook.services import (
    ACHIEVED_FIELD,
    LIMITS,
    MAX_NOTES,
    SETS_APPLY_TO,
    ExerciseEntry,
)
from backcare.problems import FieldError
from backcare.programmes.models import ProgrammeItem

MEASURE_LABELS = {
    "sets_done": _("Sets done"),
    "reps_done": _("Reps per set"),
    "hold_s_done": _("Seconds held (each)"),
    "minutes_done": _("Minutes"),
    "pain_during_0_10": _("Pain during (0–10)"),
    "effort_0_10": _("Effort (0–10)"),
}
PRESCRIBED = {
    "sets_done": "sets",
    "reps_done": "reps",
    "hold_s_done": "hold_s",
    "minutes_done": "duration_min",
}
"""Achieved fields start at the prescribed dose, so a patient who did what was asked just saves."""


def _measure(name: str) -> forms.IntegerField:
    """The range goes to the browser; ``check_payload`` enforces it, as for the API."""
    low, high = LIMITS[name]
    return forms.IntegerField(
        label=MEASURE_LABELS[name],
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": low, "max": high}),
    )


class SessionForm(forms.Form):
    """The session as a whole: its client-generated id, the day it was done, and notes."""

    client_id = forms.UUIDField(widget=forms.HiddenInput)
    performed_on = forms.DateField(
        label=_("Day done"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    notes = forms.CharField(
        label=_("Notes (optional)"),
        required=False,
        max_length=MAX_NOTES,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ExerciseLogForm(forms.Form):
    """One programme item: done or skipped, how much, pain and effort. Fields fit its dose type."""

    status = forms.ChoiceField(
        label=_("Did you do it?"),
        choices=[("done", _("Done")), ("skipped", _("Skipped"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose done or skipped.")},
    )

    def __init__(self, item: ProgrammeItem, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"item-{item.pk}")
        super().__init__(*args, **kwargs)
        self.item = item
        names = ["sets_done"] if item.dose_type in SETS_APPLY_TO else []
        names += [ACHIEVED_FIELD[item.dose_type], "pain_during_0_10", "effort_0_10"]  # type: ignore[index]
        for name in names:
            self.fields[name] = _measure(name)
            if name in PRESCRIBED:
                self.fields[name].initial = getattr(item, PRESCRIBED[name])

    def measure_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name != "status"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("status") == "skipped":
            # the numbers were our prefilled prescription, not something the patient did
            for name in self.fields:
                if name != "status":
                    cleaned[name] = None
                    self.errors.pop(name, None)
        return cleaned

    def entry(self) -> ExerciseEntry:
        data = self.cleaned_data
        measures = {name: data.get(name) for name in self.fields if name != "status"}
        return ExerciseEntry(item_id=self.item.pk, done=data["status"] == "done", **measures)


class MorningPainForm(forms.Form):
    """How the back feels the morning after a session."""

    pain_0_10 = forms.TypedChoiceField(
        label=_("How is your back this morning? (0 = no pain, 10 = worst imaginable)"),
        choices=[(str(n), str(n)) for n in range(11)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a number from 0 to 10.")},
    )


def attach_errors(
    session_form: SessionForm, item_forms: list[ExerciseLogForm], errors: list[FieldError]
) -> None:
    """Put the service's field errors (``exercises.1.reps_done``) on the matching form fields."""
    for error in errors:
        parts = error.field.split(".")
        index = int(parts[1]) if len(parts) == 3 and parts[1].isdigit() else len(item_forms)
        if parts[0] == "exercises" and index < len(item_forms):
            form = item_forms[index]
            form.add_error(parts[2] if parts[2] in form.fields else None, error.message)
        elif parts[0] in session_form.fields:
            session_form.add_error(parts[0], error.message)
        else:
            session_form.add_error(None, error.message)
