"""The clinician's page of a patient's motion analyses."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from backcare.audit import trail
from backcare.motion.services import analyses_of_patient, summarise
from backcare.patients.access import clinician_required, get_for_actor_or_404
from backcare.patients.models import Patient

PAGE_SIZE = 25


@login_required
@clinician_required
def patient_motion(request: HttpRequest, pk: int) -> HttpResponse:
    """Per analysed exercise, newest session first: reps, holds, faults, quality, confidence."""
    patient = get_for_actor_or_404(request.user, Patient, "motion.patient.view", pk=pk)
    page = Paginator(analyses_of_patient(request.user, patient), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    summaries = [summarise(analysis) for analysis in page.object_list]
    trail.read(
        request.user,
        "motion.patient.view",
        patient_id=patient.pk,
        page=page.number,
        analyses=len(summaries),
    )
    context = {"patient": patient, "page": page, "summaries": summaries}
    return render(request, "motion/patient_motion.html", context)
