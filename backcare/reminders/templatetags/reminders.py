"""``{% regularity_for patient programme as regularity %}``: adherence and streak, read as the
page's user; ``programme`` is the active one the page already read (leave it out to read it)."""

from typing import Any

from django import template

from backcare.core.adherence import percent_done
from backcare.patients.models import Patient
from backcare.programmes.models import Programme
from backcare.reminders.services import patient_regularity

register = template.Library()


@register.simple_tag(takes_context=True)
def regularity_for(
    context: dict[str, Any], patient: Patient, programme: Programme | None = None
) -> dict[str, Any]:
    """The patient's adherence over 7 and 28 days and streak (the page audits its own read)."""
    programme = programme or None  # a template without one passes "" (string_if_invalid)
    figures = patient_regularity(context["request"].user, patient, programme=programme)
    windows = [
        {
            "days": f.days,
            "done": f.sessions_done,
            "prescribed": f.sessions_prescribed,
            "percent": percent_done(f),
        }
        for f in figures.windows
    ]
    return {"windows": windows, "streak": figures.streak_days, "scheduled": figures.scheduled}
