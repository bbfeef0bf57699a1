"""Downloading the printed documents: the patient's own under /me/documents/, the clinician's
under /clinic/patients/<pk>/."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.text import slugify

from backcare.documents.services import (
    HANDOUT_ACTION,
    REPORT_ACTION,
    NotPrintable,
    programme_handout,
    progress_report,
)
from backcare.patients.access import clinician_required, get_for_actor_or_404, own_patient_or_404
from backcare.patients.clock import today_for
from backcare.patients.models import Patient


@login_required
def my_programme_pdf(request: HttpRequest) -> HttpResponse:
    """The patient's own programme handout."""
    patient = own_patient_or_404(request.user)
    today = today_for(patient)
    try:
        content = programme_handout(request.user, patient, today)
    except NotPrintable as refused:
        messages.error(request, str(refused))
        return redirect("today")
    return pdf_response(content, "programme", patient, today)


@login_required
def my_progress_pdf(request: HttpRequest) -> HttpResponse:
    """The patient's own progress report, in plain words."""
    patient = own_patient_or_404(request.user)
    today = today_for(patient)
    content = progress_report(request.user, patient, today, "patient")
    return pdf_response(content, "progress", patient, today)


@login_required
@clinician_required
def programme_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """A patient's programme handout, printed by their clinician."""
    patient = get_for_actor_or_404(request.user, Patient, HANDOUT_ACTION, pk=pk)
    today = today_for(patient)
    try:
        content = programme_handout(request.user, patient, today)
    except NotPrintable as refused:
        messages.error(request, str(refused))
        return redirect("patient_detail", pk=patient.pk)
    return pdf_response(content, "programme", patient, today)


@login_required
@clinician_required
def progress_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """A patient's progress report with the numbers and rules, for their clinician."""
    patient = get_for_actor_or_404(request.user, Patient, REPORT_ACTION, pk=pk)
    today = today_for(patient)
    content = progress_report(request.user, patient, today, "clinician")
    return pdf_response(content, "progress", patient, today)


def file_name(kind: str, patient: Patient, today: date) -> str:
    """A name safe on every file system and in a header: ASCII letters, digits and dashes."""
    name = slugify(patient.full_name) or "patient"
    return f"{kind}-{name}-{today.isoformat()}.pdf"


def pdf_response(content: bytes, kind: str, patient: Patient, today: date) -> HttpResponse:
    """A download that no shared cache or browser history keeps (it holds health data)."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{file_name(kind, patient, today)}"'
    return response
