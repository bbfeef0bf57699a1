"""``{% instrument_summary patient %}``: on the patient's record, the last STarT Back result that
set the risk group, and the link to the patient's questionnaires (read as the page's user; the
record page's read is audited once, as ``patient.read``)."""

from typing import Any

from django import template

from backcare.instruments.services import latest_start_back
from backcare.patients.models import Patient

register = template.Library()


@register.inclusion_tag("instruments/_summary.html", takes_context=True)
def instrument_summary(context: dict[str, Any], patient: Patient) -> dict[str, Any]:
    """The risk-group line (when STarT Back set it) and the link to the results page."""
    return {"patient": patient, "start_back": latest_start_back(context["request"].user, patient)}
