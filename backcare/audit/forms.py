"""The audit viewer's filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from backcare.audit.models import AuditEvent

SYSTEM = "system"
PATIENTS = "patients"


class AuditFilterForm(forms.Form):
    """Date range, actor, patient, action prefix and outcome; every field may be left empty."""

    date_from = forms.DateField(label=_("From (date)"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    date_to = forms.DateField(label=_("To (date)"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    actor = forms.ChoiceField(label=_("Who"), required=False)
    patient = forms.IntegerField(label=_("Patient number"), required=False, min_value=1,
                                 max_value=2**63 - 1)  # fmt: skip
    action = forms.CharField(
        label=_("Action starts with"), required=False, max_length=80,
        help_text=_("For example “patient.” or “reminders.email”."),
    )  # fmt: skip
    outcome = forms.ChoiceField(
        label=_("Outcome"), required=False,
        choices=[("", _("Any")), *AuditEvent.Outcome.choices],
    )  # fmt: skip

    def __init__(self, *args: Any, staff: dict[int, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        actor: Any = self.fields["actor"]
        actor.choices = [
            ("", _("Anyone")),
            (PATIENTS, _("Any patient")),
            (SYSTEM, _("backcare itself (scheduled jobs)")),
        ] + [(str(pk), name) for pk, name in staff.items()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data
