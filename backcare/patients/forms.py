"""Intake and red-flag screen forms for clinicians."""

from __future__ import annotations

from typing import Any

from django import forms

from backcare.core.library import CATEGORIES, CONTRAINDICATIONS, EQUIPMENT, POSITIONS
from backcare.core.screening import RED_FLAGS
from backcare.patients.models import Patient


def _label(value: str) -> str:
    return value.replace("_", " ").capitalize()


EQUIPMENT_CHOICES = [(e, _label(e)) for e in EQUIPMENT]
POSITION_CHOICES = [(p, _label(p)) for p in POSITIONS]
CATEGORY_CHOICES = [(c, _label(c)) for c in CATEGORIES]
CONDITION_CHOICES = list(CONTRAINDICATIONS.items())
AEROBIC_CHOICES = [("", "No preference"), ("walking", "Walking"), ("cycling", "Cycling"),
                   ("swimming", "Swimming")]  # fmt: skip


class IntakeForm(forms.ModelForm):  # type: ignore[type-arg]
    """Who the patient is and what the prescribing core needs to know."""

    equipment = forms.MultipleChoiceField(
        choices=EQUIPMENT_CHOICES, required=False, widget=forms.CheckboxSelectMultiple,
        label="Equipment the patient has", initial=["wall", "chair"],  # in nearly every home
    )  # fmt: skip
    excluded_positions = forms.MultipleChoiceField(
        choices=POSITION_CHOICES, required=False, widget=forms.CheckboxSelectMultiple,
        label="Positions the patient cannot take",
    )  # fmt: skip
    conditions = forms.MultipleChoiceField(
        choices=CONDITION_CHOICES, required=False, widget=forms.CheckboxSelectMultiple,
        label="Cautions (exercises unsuitable for these are left out)",
    )  # fmt: skip
    preferred_categories = forms.MultipleChoiceField(
        choices=CATEGORY_CHOICES, required=False, widget=forms.CheckboxSelectMultiple,
        label="Preferred kinds of exercise",
    )  # fmt: skip
    preferred_aerobic = forms.ChoiceField(
        choices=AEROBIC_CHOICES, required=False, label="Preferred aerobic activity"
    )

    class Meta:
        model = Patient
        fields = [
            "first_name", "last_name", "email", "date_of_birth", "baseline_pain_0_10", "stage",
            "risk_group", "goals", "equipment", "excluded_positions", "conditions",
            "preferred_categories", "preferred_aerobic",
        ]  # fmt: skip
        labels = {"baseline_pain_0_10": "Pain now (0 = none, 10 = worst imaginable)"}
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}),
            "baseline_pain_0_10": forms.NumberInput(attrs={"min": 0, "max": 10}),
            "goals": forms.Textarea(attrs={"rows": 3}),
        }


YES_NO = [("no", "No"), ("yes", "Yes")]


class RedFlagScreenForm(forms.Form):
    """Every red-flag question must be answered yes or no; any yes stops the programme."""

    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}),
        label="Note (e.g. who assessed the patient and what they found)",
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for flag in RED_FLAGS:
            self.fields[f"flag_{flag.key}"] = forms.ChoiceField(
                choices=YES_NO, widget=forms.RadioSelect, label=flag.question,
                error_messages={"required": "Answer yes or no."},
            )  # fmt: skip
        self.order_fields([f"flag_{flag.key}" for flag in RED_FLAGS] + ["note"])

    def flag_fields(self) -> list[forms.BoundField]:
        return [self[f"flag_{flag.key}"] for flag in RED_FLAGS]

    def positive_keys(self) -> list[str]:
        return [f.key for f in RED_FLAGS if self.cleaned_data[f"flag_{f.key}"] == "yes"]


class SymptomReportForm(forms.Form):
    """The patient's own red-flag check: tick what applies now; ticking nothing is an answer."""

    flags = forms.MultipleChoiceField(
        choices=[(flag.key, flag.recheck) for flag in RED_FLAGS if flag.recheck],
        required=False, widget=forms.CheckboxSelectMultiple,
        label="Tick every one that is new for you since your physiotherapist last checked",
    )  # fmt: skip
    note = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        label="Anything else about the new symptom (optional)",
    )  # fmt: skip
