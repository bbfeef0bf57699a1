"""Clinician pages: the patient list, intake, a patient's record and red-flag screens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backcare.accounts.requests import SignedInRequest
from backcare.accounts.services import invite_patient
from backcare.alerts.services import patient_alerts
from backcare.checkins.forms import intake_goal_forms, new_goal_drafts
from backcare.patients import services
from backcare.patients.access import (
    clinician_required,
    get_for_actor_or_404,
    own_patient_or_404,
)
from backcare.patients.forms import IntakeForm, RedFlagScreenForm, SymptomReportForm
from backcare.patients.models import Patient


@login_required
@clinician_required
def patient_list(request: SignedInRequest) -> HttpResponse:
    patients = services.list_patients(request.user)
    return render(request, "patients/patient_list.html", {"patients": patients})


@login_required
@clinician_required
def new_patient(request: SignedInRequest) -> HttpResponse:
    """Intake: details, what the programme must respect, and the red-flag screen."""
    intake = IntakeForm(request.POST or None, prefix="intake", clinic=request.user.clinic)
    screen = RedFlagScreenForm(request.POST or None, prefix="screen")
    goals = intake_goal_forms(request.POST or None)
    valid = [form.is_valid() for form in [intake, screen, *goals]]
    if request.method == "POST" and all(valid):
        fields = {k: v for k, v in intake.cleaned_data.items()}
        patient, result = services.create_patient(
            request.user,
            fields,
            screen.positive_keys(),
            screen.cleaned_data["note"],
            goals=new_goal_drafts(goals)[0],
        )
        if result.blocks_programme:
            messages.error(request, _("Red flag: no programme can be created for now."))
        else:
            messages.success(request, _("%(name)s added.") % {"name": patient.full_name})
        return redirect("patient_detail", pk=patient.pk)
    context = {
        "intake": intake,
        "screen": screen,
        "goal_forms": goals,
        "goal_errors": any(form.errors for form in goals),
    }
    return render(request, "patients/new_patient.html", context)


@login_required
@clinician_required
def patient_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    patient = get_for_actor_or_404(request.user, Patient, "patient.read", pk=pk)
    context = {
        "patient": patient,
        "screen": patient.latest_screen(),
        "alerts": patient_alerts(request.user, patient),
        "programmes": patient.programme_set.all(),
        "sessions": patient.session_set.prefetch_related("exercises__item__exercise")[:20],
        "invitation_link": request.session.pop(f"invitation-{patient.pk}", None),
    }
    return render(request, "patients/patient_detail.html", context)


@login_required
@clinician_required
def screen_patient(request: SignedInRequest, pk: int) -> HttpResponse:
    """Re-screen for red flags; an all-clear screen lifts an earlier block."""
    patient = get_for_actor_or_404(request.user, Patient, "patient.read", pk=pk)
    form = RedFlagScreenForm(request.POST or None, prefix="screen")
    if request.method == "POST" and form.is_valid():
        result = services.screen_patient(
            request.user,
            patient,
            form.positive_keys(),
            form.cleaned_data["note"],
        )
        if result.blocks_programme:
            messages.error(request, _("Red flag: the programme stays stopped."))
        else:
            messages.success(request, _("No red flags: a programme can be created."))
        return redirect("patient_detail", pk=patient.pk)
    context = {"patient": patient, "screen": form, "open_screen": patient.latest_screen()}
    return render(request, "patients/screen.html", context)


@require_POST
@login_required
@clinician_required
def invite(request: SignedInRequest, pk: int) -> HttpResponse:
    """E-mail the patient a fresh invitation link, and show it once to copy."""
    patient = get_for_actor_or_404(request.user, Patient, "patient.read", pk=pk)
    if patient.user_id is not None:
        messages.info(request, _("This patient already has a login."))
        return redirect("patient_detail", pk=patient.pk)
    link = invite_patient(patient, request.user)
    request.session[f"invitation-{patient.pk}"] = link
    messages.success(request, _("Invitation e-mailed to %(email)s.") % {"email": patient.email})
    return redirect("patient_detail", pk=patient.pk)


@login_required
def report_symptom(request: SignedInRequest) -> HttpResponse:
    """ "I have a new symptom": the patient's own red-flag check, on every patient page."""
    patient = own_patient_or_404(request.user)
    form = SymptomReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = services.report_symptom(
            request.user,
            patient,
            form.cleaned_data["flags"],
            form.cleaned_data["note"],
        )
        context = {
            "result": result,
            "clinic": patient.clinic,
            "paused": patient.red_flag_open,
            "noted": bool(form.cleaned_data["note"].strip()),
        }
        return render(request, "patients/symptom_result.html", context)
    return render(request, "patients/report_symptom.html", {"form": form})
