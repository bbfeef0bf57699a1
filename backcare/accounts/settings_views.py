"""The clinic's settings pages, for its clinicians: the clinical rules (progression thresholds
and the clinically important change) and the clinic's time zone."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from backcare.accounts import settings_forms
from backcare.accounts.models import Clinic, User
from backcare.accounts.settings_forms import ClinicRulesForm
from backcare.accounts.zone_forms import ClinicTimeZoneForm, save_time_zone
from backcare.patients.access import clinician_required


@login_required
@clinician_required
def clinic_rules(request: HttpRequest) -> HttpResponse:
    """Show and change the clinic's thresholds (or reset them to the defaults) and time zone."""
    user = cast(User, request.user)
    clinic = user.clinic
    assert clinic is not None  # a clinician always has one (clinician_required)
    if request.method == "POST" and "time_zone" in request.POST:
        return _save_time_zone(request, user, clinic)
    if request.method == "POST" and "reset" in request.POST:
        changed = settings_forms.reset(user, clinic)
        messages.success(
            request, _("Reset to the defaults.") if changed else _("Already the defaults.")
        )
        return redirect("clinic_rules")
    form = ClinicRulesForm(clinic, request.POST or None)
    if request.method == "POST" and form.is_valid():
        changed = form.save(user)
        messages.success(request, _("Clinic rules saved.") if changed else _("Nothing changed."))
        return redirect("clinic_rules")
    return _render(
        request, clinic, form, ClinicTimeZoneForm(initial={"time_zone": clinic.time_zone})
    )


def _save_time_zone(request: HttpRequest, user: User, clinic: Clinic) -> HttpResponse:
    zone_form = ClinicTimeZoneForm(request.POST)
    if not zone_form.is_valid():
        return _render(request, clinic, ClinicRulesForm(clinic), zone_form)
    changed = save_time_zone(user, clinic, zone_form.cleaned_data["time_zone"])
    messages.success(request, _("Time zone saved.") if changed else _("Nothing changed."))
    return redirect("clinic_rules")


def _render(
    request: HttpRequest, clinic: Clinic, form: ClinicRulesForm, zone_form: ClinicTimeZoneForm
) -> HttpResponse:
    context = {"form": form, "zone_form": zone_form, "history": settings_forms.history(clinic)}
    return render(request, "accounts/clinic_rules.html", context)
