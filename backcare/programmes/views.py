"""Clinician pages for programme versions: propose, edit, assign, view any version."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from backcare.patients.access import get_for_actor_or_404
from backcare.patients.models import Patient
from backcare.patients.views import clinician_required
from backcare.programmes import services
from backcare.programmes.forms import AddExerciseForm, item_forms
from backcare.programmes.models import Programme


@require_POST
@login_required
@clinician_required
def draft_programme(request: HttpRequest, pk: int) -> HttpResponse:
    patient = get_for_actor_or_404(request.user, Patient, "patient.read", pk=pk)
    try:
        programme = services.draft_programme(request.user, patient)  # type: ignore[arg-type]
    except services.ProgrammeBlocked as error:
        messages.error(request, str(error))
        return redirect("patient_detail", pk=patient.pk)
    return redirect("programme_detail", pk=programme.pk)


@login_required
@clinician_required
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Any version, read-only once assigned; a draft's doses, order and items can be edited."""
    programme = get_for_actor_or_404(request.user, Programme, "programme.read", pk=pk)
    items = list(programme.items.select_related("exercise"))
    rows = item_forms(items, request.POST if request.method == "POST" else None)
    if request.method == "POST" and all(form.is_valid() for form in rows):
        cleaned = [form.cleaned_data | {"index": i} for i, form in enumerate(rows)]
        try:
            services.update_items(request.user, programme, cleaned)  # type: ignore[arg-type]
        except services.NotEditable as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Changes saved.")
        return redirect("programme_detail", pk=programme.pk)
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
    programme = get_for_actor_or_404(request.user, Programme, "programme.read", pk=pk)
    form = AddExerciseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose an exercise from the list to add.")
    else:
        try:
            services.add_item(request.user, programme, form.cleaned_data["exercise"])  # type: ignore[arg-type]
        except services.NotEditable as error:
            messages.error(request, str(error))
    return redirect("programme_detail", pk=programme.pk)


@require_POST
@login_required
@clinician_required
def assign_programme(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_for_actor_or_404(request.user, Programme, "programme.read", pk=pk)
    try:
        services.assign(request.user, programme)  # type: ignore[arg-type]
    except (services.NotEditable, services.ProgrammeBlocked) as error:
        messages.error(request, str(error))
        return redirect("programme_detail", pk=programme.pk)
    messages.success(request, f"Version {programme.version} assigned to the patient.")
    return redirect("patient_detail", pk=programme.patient_id)


@require_POST
@login_required
@clinician_required
def discard_programme(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_for_actor_or_404(request.user, Programme, "programme.read", pk=pk)
    try:
        services.discard(request.user, programme)  # type: ignore[arg-type]
    except services.NotEditable as error:
        messages.error(request, str(error))
    return redirect("patient_detail", pk=programme.patient_id)
