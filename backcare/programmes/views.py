"""Clinician pages for programme versions: propose, edit, assign, view any version."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backcare.audit.models import AuditEvent
from backcare.audit.services import record
from backcare.patients.access import get_for_actor_or_404, record_found
from backcare.patients.models import Patient
from backcare.patients.views import clinician_required
from backcare.programmes import services
from backcare.programmes.forms import AddExerciseForm, item_forms
from backcare.programmes.models import Programme


@require_POST
@login_required
@clinician_required
def draft_programme(request: HttpRequest, pk: int) -> HttpResponse:
    # one audit row per request: the draft's own row, or the refusal's below
    patient = get_for_actor_or_404(request.user, Patient, "patient.read", audit_found=False, pk=pk)
    try:
        programme = services.draft_programme(request.user, patient)  # type: ignore[arg-type]
    except services.ProgrammeBlocked as error:
        record(request.user, "programme.draft", patient_id=patient.pk, obj=patient,
               outcome=AuditEvent.Outcome.INVALID, reason="red flag open")  # fmt: skip
        messages.error(request, str(error))
        return redirect("patient_detail", pk=patient.pk)
    return redirect("programme_detail", pk=programme.pk)


@login_required
@clinician_required
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Any version, read-only once assigned; a draft's doses, order and items can be edited."""
    # one audit row per request: the edit's own row, else the read's
    programme = get_for_actor_or_404(
        request.user, Programme, "programme.read", audit_found=False, pk=pk
    )
    items = list(programme.items.select_related("exercise"))
    rows = item_forms(items, request.POST if request.method == "POST" else None)
    if request.method == "POST" and all(form.is_valid() for form in rows):
        cleaned = [form.cleaned_data | {"index": i} for i, form in enumerate(rows)]
        try:
            services.update_items(request.user, programme, cleaned)  # type: ignore[arg-type]
        except services.NotEditable as error:
            record_found(request.user, "programme.read", programme)
            messages.error(request, str(error))
        else:
            messages.success(request, _("Changes saved."))
        return redirect("programme_detail", pk=programme.pk)
    record_found(request.user, "programme.read", programme)
    context = {
        "programme": programme,
        "patient": programme.patient,
        "rows": list(zip(items, rows, strict=True)),
        "add_form": AddExerciseForm(),
        "editable": programme.status == Programme.Status.DRAFT,
    }
    return render(request, "programmes/programme_detail.html", context)


@require_POST
@login_required
@clinician_required
def add_item(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_for_actor_or_404(
        request.user, Programme, "programme.read", audit_found=False, pk=pk
    )
    form = AddExerciseForm(request.POST)
    if not form.is_valid():
        record_found(request.user, "programme.read", programme)
        messages.error(request, _("Choose an exercise from the list to add."))
    else:
        try:
            services.add_item(request.user, programme, form.cleaned_data["exercise"])  # type: ignore[arg-type]
        except services.NotEditable as error:
            record_found(request.user, "programme.read", programme)
            messages.error(request, str(error))
    return redirect("programme_detail", pk=programme.pk)


@require_POST
@login_required
@clinician_required
def assign_programme(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_for_actor_or_404(
        request.user, Programme, "programme.read", audit_found=False, pk=pk
    )
    try:
        services.assign(request.user, programme)  # type: ignore[arg-type]
    except (services.NotEditable, services.ProgrammeBlocked) as error:
        record_found(request.user, "programme.read", programme)
        messages.error(request, str(error))
        return redirect("programme_detail", pk=programme.pk)
    messages.success(
        request, _("Version %(version)s assigned to the patient.") % {"version": programme.version}
    )
    return redirect("patient_detail", pk=programme.patient_id)


@require_POST
@login_required
@clinician_required
def discard_programme(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_for_actor_or_404(
        request.user, Programme, "programme.read", audit_found=False, pk=pk
    )
    try:
        services.discard(request.user, programme)  # type: ignore[arg-type]
    except services.NotEditable as error:
        record_found(request.user, "programme.read", programme)
        messages.error(request, str(error))
    return redirect("patient_detail", pk=programme.patient_id)
