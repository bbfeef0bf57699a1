"""The patient's reminder form: days, time, time zone and whether to e-mail."""

from __future__ import annotations

from django import forms
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from backcare.core.schedule import is_time_zone
from backcare.reminders.services import ScheduleChoice


class ScheduleForm(forms.Form):
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days"),
        choices=[(day, WEEKDAYS[day]) for day in range(7)],
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one day.")},
    )
    time_of_day = forms.TimeField(
        label=_("Time"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": _("Enter a time such as 18:00.")},
    )
    time_zone = forms.CharField(
        label=_("Time zone"),
        max_length=64,
        help_text=_("Where you live, e.g. Europe/London or America/New_York."),
    )
    email_enabled = forms.BooleanField(
        label=_("E-mail me a reminder at this time on these days"), required=False
    )

    def clean_time_zone(self) -> str:
        zone: str = self.cleaned_data["time_zone"].strip()
        if not is_time_zone(zone):
            raise forms.ValidationError(
                _("“%(zone)s” is not a time zone we know. Enter one such as Europe/London."),
                params={"zone": zone[:64]},
            )
        return zone

    def choice(self) -> ScheduleChoice:
        data = self.cleaned_data
        return ScheduleChoice(
            weekdays=frozenset(data["weekdays"]),
            time_of_day=data["time_of_day"].replace(second=0, microsecond=0),
            time_zone=data["time_zone"],
            email_enabled=data["email_enabled"],
        )

    @classmethod
    def initial_from(cls, choice: ScheduleChoice) -> ScheduleForm:
        return cls(
            initial={
                "weekdays": sorted(choice.weekdays),
                "time_of_day": choice.time_of_day,
                "time_zone": choice.time_zone,
                "email_enabled": choice.email_enabled,
            }
        )
