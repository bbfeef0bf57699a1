"""The audit viewer's filters."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from backcare.audit.models import AuditEvent
from backcare.audit.viewer import PATIENTS, SYSTEM, clinic_events, is_clinic_patient, with_action

ACTION_PREFIX = re.compile(r"[a-z0-9_.]+")
"""What action names are made of: a filter of anything else (a name, a sentence) is refused, so
no typed text reaches the viewer's own audit row."""


class AuditFilterForm(forms.Form):
    """Date range, actor, patient, action prefix and outcome; every field may be left empty."""

    date_from = forms.DateField(
        label=_("From (date)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To (date)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    actor = forms.ChoiceField(label=_("Who"), required=False)
    patient = forms.IntegerField(
        label=_("Patient number"), required=False, min_value=1, max_value=2**63 - 1
    )
    action = forms.CharField(
        label=_("Action starts with"),
        required=False,
        max_length=80,
        help_text=_("For example “patient.” or “reminders.email”."),
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=[("", _("Any")), *AuditEvent.Outcome.choices],
    )

    def __init__(self, *args: Any, staff: dict[int, str], clinic_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.clinic_id = clinic_id
        actor: Any = self.fields["actor"]
        actor.choices = [
            ("", _("Anyone")),
            (PATIENTS, _("Any patient")),
            (SYSTEM, _("backcare itself (scheduled jobs)")),
        ] + [(str(pk), name) for pk, name in staff.items()]

    def clean_patient(self) -> int | None:
        """Only the clinic's own patients: the viewing is audited against the patient filtered
        for, and no row may go on the trail of a patient of another clinic."""
        number: int | None = self.cleaned_data.get("patient")
        if number is not None and not is_clinic_patient(self.clinic_id, number):
            raise forms.ValidationError(_("No patient of this clinic has that number."))
        return number

    def clean_action(self) -> str:
        """An action name's start that some event of the clinic has; nothing else is kept."""
        text: str = self.cleaned_data.get("action", "")
        if not text:
            return text
        if not ACTION_PREFIX.fullmatch(text):
            raise forms.ValidationError(
                _("Action names use only small letters, digits, dots and underscores.")
            )
        if not with_action(clinic_events(self.clinic_id), text).exists():
            raise forms.ValidationError(
                _("No event of this clinic has an action starting with that.")
            )
        return text

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data
