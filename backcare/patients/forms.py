"""Intake and red-flag screen forms for clinicians."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from backcare.accounts.models import Clinic
from backcare.core.library import CATEGORIES, CONTRAINDICATIONS, EQUIPMENT, POSITIONS
from backcare.core.screening import RED_FLAGS
from backcare.library.labels import LABELS
from backcare.patients.clock import clinic_today
from backcare.patients.models import Patient

# the library's one table of words for its codes, as on every other page
EQUIPMENT_CHOICES = [(e, LABELS[e]) for e in EQUIPMENT]
POSITION_CHOICES = [(p, LABELS[p]) for p in POSITIONS]
CATEGORY_CHOICES = [(c, LABELS[c]) for c in CATEGORIES]
CONDITION_CHOICES = [(key, _(text)) for key, text in CONTRAINDICATIONS.items()]
AEROBIC_CHOICES = [
    ("", _("No preference")),
    ("walking", _("Walking")),
    ("cycling", _("Cycling")),
    ("swimming", _("Swimming")),
]


class IntakeForm(forms.ModelForm):  # type: ignore[type-arg]
    """Who the patient is and what the prescribing core needs to know."""

    equipment = forms.MultipleChoiceField(
        choices=EQUIPMENT_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Equipment the patient has"),
        initial=["wall", "chair"],  # in nearly every home
    )
    excluded_positions = forms.MultipleChoiceField(
        choices=POSITION_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Positions the patient cannot take"),
    )
    conditions = forms.MultipleChoiceField(
        choices=CONDITION_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Cautions (exercises unsuitable for these are left out)"),
    )
    preferred_categories = forms.MultipleChoiceField(
        choices=CATEGORY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Preferred kinds of exercise"),
    )
    preferred_aerobic = forms.ChoiceField(
        choices=AEROBIC_CHOICES, required=False, label=_("Preferred aerobic activity")
    )

    class Meta:
        model = Patient
        fields = [
            "first_name",
            "last_name",
            "email",
            "date_of_birth",
            "baseline_pain_0_10",
            "stage",
            "risk_group",
            "goals",
            "equipment",
            "excluded_positions",
            "conditions",
            "preferred_categories",
            "preferred_aerobic",
        ]
        labels = {
            "first_name": _("First name"),
            "last_name": _("Last name"),
            "email": _("E-mail"),
            "date_of_birth": _("Date of birth"),
            "baseline_pain_0_10": _("Pain now (0 = none, 10 = worst imaginable)"),
            "stage": pgettext_lazy("programme stage", "Stage"),
            "risk_group": _("Risk group"),
            "goals": _("Goals"),
        }
        help_texts = {"goals": _("What the patient wants to get back to.")}
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}),
            "baseline_pain_0_10": forms.NumberInput(attrs={"min": 0, "max": 10}),
            "goals": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, clinic: Clinic | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert clinic is not None, "an intake is made by a clinician of a clinic"
        # the clinic's day: the patient is not stored yet, and a baby born today where the clinic
        # is has a birth date that is already tomorrow in UTC east of it
        self.today = today = clinic_today(clinic)
        self.fields["date_of_birth"].widget.attrs |= {
            "min": _years_before(today, MAX_AGE_YEARS).isoformat(),
            "max": today.isoformat(),
        }

    def clean_date_of_birth(self) -> date | None:
        born: date | None = self.cleaned_data.get("date_of_birth")
        if born is None:
            return None
        today = self.today
        if born > today:
            raise forms.ValidationError(_("A date of birth cannot be in the future."))
        if born < _years_before(today, MAX_AGE_YEARS):
            raise forms.ValidationError(
                _("That would make the patient older than %(years)s: check the year.")
                % {"years": MAX_AGE_YEARS}
            )
        return born


MAX_AGE_YEARS = 120
"""The oldest age a birth date may give. No person is documented to have lived past 122 (Jeanne
Calment, 1875-1997), so an older date is a slip of the keyboard (0001-01-01, 1025 for 1925)."""


def _years_before(day: date, years: int) -> date:
    """The same day ``years`` earlier (28 February for 29 February in a common year)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


YES_NO = [("no", _("No")), ("yes", _("Yes"))]


class RedFlagScreenForm(forms.Form):
    """Every red-flag question must be answered yes or no; any yes stops the programme."""

    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("Note (e.g. who assessed the patient and what they found)"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for flag in RED_FLAGS:
            self.fields[f"flag_{flag.key}"] = forms.ChoiceField(
                choices=YES_NO,
                widget=forms.RadioSelect,
                label=_(flag.question),
                error_messages={"required": _("Answer yes or no.")},
            )
        self.order_fields([f"flag_{flag.key}" for flag in RED_FLAGS] + ["note"])

    def flag_fields(self) -> list[forms.BoundField]:
        return [self[f"flag_{flag.key}"] for flag in RED_FLAGS]

    def positive_keys(self) -> list[str]:
        return [f.key for f in RED_FLAGS if self.cleaned_data[f"flag_{f.key}"] == "yes"]


class SymptomReportForm(forms.Form):
    """The patient's own red-flag check: tick what applies now; ticking nothing is an answer."""

    flags = forms.MultipleChoiceField(
        choices=[(flag.key, _(flag.recheck)) for flag in RED_FLAGS if flag.recheck],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Tick every one that is new for you since your physiotherapist last checked"),
    )
    note = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Anything else about the new symptom (optional)"),
    )
