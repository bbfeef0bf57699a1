"""The erasure form: the clinician types the patient's name and says why."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from backcare.patients.models import Patient


def _normalised(name: str) -> str:
    return " ".join(name.split()).casefold()


class ErasureForm(forms.Form):
    """Erasure cannot be undone, so it asks for the name typed out and a reason for the trail."""

    confirm_name = forms.CharField(
        label=_("Type the patient's full name to confirm"), max_length=201, strip=True
    )
    reason = forms.CharField(
        label=_("Reason for erasure"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Kept in the audit trail. Say why (for example: the patient asked in writing on "
            "a given date); the patient's name is replaced if you write it."
        ),
    )

    def __init__(self, patient: Patient, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.patient = patient

    def clean_confirm_name(self) -> str:
        typed: str = self.cleaned_data["confirm_name"]
        if _normalised(typed) != _normalised(self.patient.full_name):
            raise forms.ValidationError(
                _("This does not match the patient's name shown above."),
                code="mismatch",
            )
        return typed
