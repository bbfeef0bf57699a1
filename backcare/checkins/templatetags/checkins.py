"""``{% checkin_is_due patient as due %}``: whether this week's check-in is still to answer."""

from typing import Any

from django import template

from backcare.checkins.services import checkin_is_due as is_due
from backcare.patients.clock import today_for
from backcare.patients.models import Patient

register = template.Library()


@register.simple_tag(takes_context=True)
def checkin_is_due(context: dict[str, Any], patient: Patient) -> bool:
    """True when ``patient`` has no check-in for their current week (read as the page's user)."""
    return is_due(context["request"].user, patient, today_for(patient))
