"""Clinician pages for programme versions: propose, edit, assign, view any version."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backcare.accounts.requests import SignedInRequest
from backcare.patients.access import clinician_required, get_for_actor_or_404
from backcare.patients.models import Patient
from backcare.programmes import services
from backcare.programmes.forms import AddExerciseForm, item_forms
from backcare.programmes.models import Programme


@require_POST
@login_required
@clinician_required
def draft_programme(request: SignedInRequest, pk: int) -> HttpResponse:
    patient = get_for_actor_or_404(request.user, Patient, "patient.read", pk=pk)
    try:
        programme = services.draft_programme(request.user, patient)
    except services.ProgrammeBlocked as error:
        messages.error(request, str(error))
        return redirect("patient_detail", pk=patient.pk)
    return redirect("programme_detail", pk=programme.pk)


@login_required
@clinician_required
def programme_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    """Any version, read-only once assigned. A draft has one form for its doses, order and
    removals, whose buttons save, add an exercise or assign: each keeps what is on screen
    (saved first), and nothing is saved or assigned while an answer is wrong."""
    programme = get_for_actor_or_404(request.user, Programme, "programme.read", pk=pk)
    items = list(programme.items.select_related("exercise"))
    data = request.POST if request.method == "POST" else None
    rows = item_forms(items, data)
    add_form = AddExerciseForm(data if data is not None and "add" in data else None)
    if data is not None:
        if all(form.is_valid() for form in rows) and (not add_form.is_bound or add_form.is_valid()):
            return _save_draft(request, programme, rows, add_form)
        messages.error(request, _("Nothing was saved or assigned: see the messages below."))
    context = {
        "programme": programme,
        "patient": programme.patient,
        "rows": list(zip(items, rows, strict=True)),
        "add_form": add_form,
        "editable": programme.status == Programme.Status.DRAFT,
    }
    return render(request, "programmes/programme_detail.html", context)


def _save_draft(
    request: HttpRequest, programme: Programme, rows: list[Any], add_form: AddExerciseForm
) -> HttpResponse:
    """Save the edits, then add the chosen exercise or assign, as the button pressed asks."""
    user: Any = request.user
    cleaned = [form.cleaned_data | {"index": i} for i, form in enumerate(rows)]
    saved = False
    try:
        services.update_items(user, programme, cleaned)
        saved = True
        if add_form.is_bound:
            services.add_item(user, programme, add_form.cleaned_data["exercise"])
        elif "assign" in request.POST:
            services.assign(user, programme)
            assigned = _("Version %(version)s assigned to the patient.")
            messages.success(request, assigned % {"version": programme.version})
            return redirect("patient_detail", pk=programme.patient_id)
    except (services.NotEditable, services.ProgrammeBlocked) as error:
        if saved:
            messages.error(request, _("Changes saved, but: %(why)s") % {"why": error})
        else:
            messages.error(request, str(error))
        return redirect("programme_detail", pk=programme.pk)
    messages.success(request, _("Changes saved."))
    return redirect("programme_detail", pk=programme.pk)


@require_POST
@login_required
@clinician_required
def discard_programme(request: SignedInRequest, pk: int) -> HttpResponse:
    programme = get_for_actor_or_404(request.user, Programme, "programme.read", pk=pk)
    try:
        services.discard(request.user, programme)
    except services.NotEditable as error:
        messages.error(request, str(error))
    return redirect("patient_detail", pk=programme.patient_id)
