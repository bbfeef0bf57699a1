"""Downloading a patient's data (the patient, or their clinician) and erasing it (clinician)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from backcare.accounts.requests import SignedInRequest
from backcare.audit import trail
from backcare.audit.models import AuditEvent
from backcare.patients.access import (
    clinician_required,
    get_for_actor_or_404,
    own_patient_or_404,
)
from backcare.patients.clock import today_for
from backcare.patients.models import Patient
from backcare.rights import services
from backcare.rights.forms import ErasureForm


@login_required
@require_GET
def my_export(request: SignedInRequest) -> HttpResponse:
    """The patient downloads everything backcare holds about them."""
    patient = own_patient_or_404(request.user)
    return _download(services.export_patient(request.user, patient), patient)


@login_required
@clinician_required
@require_GET
def patient_export(request: SignedInRequest, pk: int) -> HttpResponse:
    """The clinician downloads everything held about one of their patients."""
    patient = get_for_actor_or_404(request.user, Patient, services.EXPORT_ACTION, pk=pk)
    return _download(services.export_patient(request.user, patient), patient)


@login_required
@clinician_required
@require_http_methods(["GET", "POST"])
def erase_patient(request: SignedInRequest, pk: int) -> HttpResponse:
    """Confirm and carry out the erasure of a patient's data."""
    patient = get_for_actor_or_404(request.user, Patient, "patient.erase.view", pk=pk)
    erased = services.erased_at(patient)
    form = ErasureForm(patient, request.POST if request.method == "POST" else None)
    if request.method == "POST" and (erased is not None or form.is_valid()):
        reason = "" if erased is not None else form.cleaned_data["reason"]
        try:
            services.erase_patient(request.user, patient, reason)
        except services.AlreadyErased:  # erased before, or by a second request that won the race
            messages.info(request, _("This patient's data has already been erased."))
        else:
            messages.success(request, _("The patient's data has been erased."))
        return redirect("patient_detail", pk=patient.pk)
    if request.method == "POST":
        trail.note(
            request.user,
            services.ERASE_ACTION,
            patient_id=patient.pk,
            outcome=AuditEvent.Outcome.INVALID,
            fields=sorted(form.errors),
        )
    status = 400 if form.errors else 200
    context = {"patient": patient, "form": form, "erased_at": erased}
    return render(request, "rights/erase.html", context, status=status)


def _download(data: dict[str, Any], patient: Patient) -> HttpResponse:
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    name = f"backcare-patient-{patient.pk}-{today_for(patient):%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
