"""The clinic's time zone, on its settings page: the zone its patients' days follow unless a
patient sets their own (``backcare.patients.clock``)."""

from __future__ import annotations

from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from backcare.accounts.models import Clinic, User, validate_time_zone
from backcare.audit import trail

ACTION = "clinic.time_zone.update"


class ClinicTimeZoneForm(forms.Form):
    """The one field, refused unless it is an IANA time zone this machine knows."""

    time_zone = forms.CharField(
        label=_("Time zone"),
        max_length=64,
        validators=[validate_time_zone],
        help_text=_(
            "Where the clinic is, e.g. Europe/London. Its patients' days follow it (the day a "
            "session is logged on, the week of a check-in, the nightly review) unless a patient "
            "sets their own time zone on their Reminders page."
        ),
    )


@transaction.atomic
def save_time_zone(actor: User, clinic: Clinic, zone: str) -> bool:
    """Make ``zone`` the clinic's; audited with the old and new zone. False when unchanged."""
    locked = Clinic.objects.select_for_update().get(pk=clinic.pk)
    if locked.time_zone == zone:
        return False
    changed = {"time_zone": {"from": locked.time_zone, "to": zone}}
    locked.time_zone = clinic.time_zone = zone
    locked.save(update_fields=["time_zone"])
    # clinic configuration, not patient data: no patient_id
    trail.note(actor, ACTION, obj=locked, changed=changed)
    return True
