"""The clinician's timeline of one patient, and the patient's own progress page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from backcare.outcomes.services import timeline_for
from backcare.patients.access import clinician_required, get_for_actor_or_404, own_patient_or_404
from backcare.patients.clock import today_for
from backcare.patients.models import Patient


@login_required
@clinician_required
def patient_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    """Pain, adherence, questionnaire scores and goals over time, with the numbers."""
    patient = get_for_actor_or_404(request.user, Patient, "outcomes.timeline.view", pk=pk)
    timeline = timeline_for(request.user, patient, today_for(patient), "clinician")
    context = {"patient": patient, "timeline": timeline}
    return render(request, "outcomes/patient_timeline.html", context)


@login_required
def my_progress(request: HttpRequest) -> HttpResponse:
    """The patient's own progress, in plain words; anyone else gets a 404."""
    patient = own_patient_or_404(request.user)
    timeline = timeline_for(request.user, patient, today_for(patient), "patient")
    return render(request, "outcomes/my_progress.html", {"patient": patient, "timeline": timeline})
