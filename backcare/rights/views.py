"""Downloading a patient's data (the patient, or their clinician) and erasing it (clinician)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from backcare.audit.models import AuditEvent
from backcare.audit.services import record
from backcare.patients.access import get_for_actor_or_404, own_patient_or_404
from backcare.patients.models import Patient
from backcare.patients.views import clinician_required
from backcare.rights import services
from backcare.rights.forms import ErasureForm


@login_required
@require_GET
def my_export(request: HttpRequest) -> HttpResponse:
    """The patient downloads everything backcare holds about them."""
    patient = own_patient_or_404(request.user)
    return _download(services.export_patient(request.user, patient), patient)


@login_required
@clinician_required
@require_GET
def patient_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The clinician downloads everything held about one of their patients."""
    patient = get_for_actor_or_404(
        request.user, Patient, services.EXPORT_ACTION, audit_found=False, pk=pk
    )
    return _download(services.export_patient(request.user, patient), patient)


@login_required
@clinician_required
@require_http_methods(["GET", "POST"])
def erase_patient(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm and carry out the erasure of a patient's data."""
    patient = get_for_actor_or_404(
        request.user, Patient, services.ERASE_ACTION, audit_found=False, pk=pk
    )
    erased = services.erased_at(patient)
    form = ErasureForm(patient, request.POST if request.method == "POST" else None)
    if request.method == "POST" and erased is not None:
        record(
            request.user,
            services.ERASE_ACTION,
            patient_id=patient.pk,
            outcome=AuditEvent.Outcome.INVALID,
            refused="already erased",
        )
        messages.info(request, _("This patient's data has already been erased."))
        return redirect("patient_detail", pk=patient.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.erase_patient(request.user, patient, form.cleaned_data["reason"])  # type: ignore[arg-type]
        except services.AlreadyErased:  # a second request won the race
            messages.info(request, _("This patient's data has already been erased."))
        else:
            messages.success(request, _("The patient's data has been erased."))
        return redirect("patient_detail", pk=patient.pk)
    if request.method == "POST":
        record(
            request.user,
            services.ERASE_ACTION,
            patient_id=patient.pk,
            outcome=AuditEvent.Outcome.INVALID,
            fields=sorted(form.errors),
        )
    else:
        record(request.user, "patient.erase.view", patient_id=patient.pk, obj=patient)
    status = 400 if form.errors else 200
    context = {"patient": patient, "form": form, "erased_at": erased}
    return render(request, "rights/erase.html", context, status=status)


def _download(data: dict[str, Any], patient: Patient) -> HttpResponse:
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    name = f"backcare-patient-{patient.pk}-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
