"""The patient's weekly check-in page, and the clinician's check-in table and goals page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backcare.accounts.requests import SignedInRequest
from backcare.audit import trail
from backcare.audit.models import AuditEvent
from backcare.checkins import services
from backcare.checkins.forms import (
    CheckInForm,
    GoalEditForm,
    GoalForm,
    attach_goal_errors,
    initial_answers,
    new_goal_drafts,
)
from backcare.checkins.models import CheckIn, Goal
from backcare.patients.access import (
    clinician_required,
    get_for_actor_or_404,
    own_patient_or_404,
)
from backcare.patients.clock import today_for
from backcare.patients.forms import SymptomReportForm
from backcare.patients.models import Patient, RedFlagScreen
from backcare.patients.services import report_symptom

NOT_SAVED_BESIDE_RED_FLAG = gettext_lazy(
    "Your other check-in answers were not saved because some of them needed checking. That can "
    "wait: first, follow the advice below."
)


@login_required
def weekly_checkin(request: SignedInRequest) -> HttpResponse:
    """This week's questions, a rating per goal, and the red-flag re-screen, in one form.

    A ticked warning sign is acted on first, even if other answers need correcting: the patient
    is told where to seek care and the clinic is alerted, whatever else happens on the page.
    """
    patient = own_patient_or_404(request.user)
    goals = services.active_goals(request.user, patient)
    data = request.POST if request.method == "POST" else None  # an empty post gets errors too
    form = CheckInForm(goals, data)
    screen = SymptomReportForm(data, prefix="redflag")
    if request.method != "POST":
        return _render_checkin(request, patient, form, screen)
    ticked = screen.cleaned_data["flags"] if screen.is_valid() else []
    if ticked:  # first, so nothing else on the page can delay the stop and the alert
        # what the patient wrote, even if the rest of the form is wrong (NUL cannot be stored)
        words = request.POST.get("notes", "").replace("\x00", "").strip()[: services.MAX_NOTES]
        result = report_symptom(
            request.user,
            patient,
            ticked,
            words,
            RedFlagScreen.Source.WEEKLY_CHECKIN,
        )
    saved = form.is_valid() and screen.is_valid() and _submit(request, patient, form, ticked)
    if ticked:
        if not saved:
            messages.warning(request, NOT_SAVED_BESIDE_RED_FLAG)
        context = {"result": result, "clinic": patient.clinic}
        return render(request, "patients/symptom_result.html", context)
    if saved:
        messages.success(request, _("Thank you: your check-in for this week is saved."))
        return redirect("today")
    return _render_checkin(request, patient, form, screen)


def _submit(request: HttpRequest, patient: Patient, form: CheckInForm, ticked: list[str]) -> bool:
    """Store the answers; on a rule broken, put its message on the form and return False."""
    try:
        services.submit_checkin(request.user, patient, form.answers(ticked))
    except services.InvalidCheckIn as error:
        form.attach(error.errors)
        return False
    return True


def _render_checkin(
    request: HttpRequest, patient: Patient, form: CheckInForm, screen: SymptomReportForm
) -> HttpResponse:
    """The page, with this week's earlier answers (read and audited) as the starting values."""
    today = today_for(patient)
    existing = services.view_checkin(request.user, patient, today)
    if not form.is_bound:
        form.initial = initial_answers(existing)
    context = {
        "form": form,
        "screen": screen,
        "existing": existing,
        "week_of": services.week_of(today),
        "patient": patient,
    }
    return render(request, "checkins/weekly_checkin.html", context)


@login_required
@clinician_required
def patient_checkins(request: SignedInRequest, pk: int) -> HttpResponse:
    """The patient's check-ins, newest week first: every score and each goal's rating."""
    patient = get_for_actor_or_404(request.user, Patient, "checkins.list", pk=pk)
    checkins = services.checkins_for(request.user, patient)[::-1]
    goals = services.goals_of(request.user, patient)
    context = {"patient": patient, "goals": goals, "rows": _rows(checkins, goals)}
    return render(request, "checkins/patient_checkins.html", context)


def _rows(checkins: list[CheckIn], goals: list[Goal]) -> list[tuple[CheckIn, list[int | None]]]:
    """Each check-in with its rating for every goal column (None where not rated)."""
    rows = []
    for checkin in checkins:
        ratings = {rating.goal_id: rating.rating_0_10 for rating in checkin.ratings.all()}
        rows.append((checkin, [ratings.get(goal.pk) for goal in goals]))
    return rows


@login_required
@clinician_required
def patient_goals(request: SignedInRequest, pk: int) -> HttpResponse:
    """The patient's activity goals: edit, retire (untick) or add; at most five active."""
    patient = get_for_actor_or_404(request.user, Patient, "checkins.goals.view", pk=pk)
    data = request.POST if request.method == "POST" else None
    goals = services.view_goals(request.user, patient)
    edit_forms = [GoalEditForm(goal, data) for goal in goals]
    spare_rows = max(1, services.MAX_ACTIVE_GOALS - sum(goal.active for goal in goals))
    new_forms = [GoalForm(data, prefix=f"new-{n}") for n in range(1, spare_rows + 1)]
    general: list[str] = []
    if request.method == "POST" and all([f.is_valid() for f in [*edit_forms, *new_forms]]):
        drafts, filled = new_goal_drafts(new_forms)
        edits = [form.edit() for form in edit_forms]
        try:
            services.save_goals(request.user, patient, edits, drafts)
        except services.InvalidGoals as error:
            general = attach_goal_errors(edit_forms, filled, error.errors)
        else:
            messages.success(request, _("Goals saved."))
            return redirect("patient_goals", pk=patient.pk)
    elif request.method == "POST":
        invalid = sorted({name for f in [*edit_forms, *new_forms] for name in f.errors})
        trail.note(
            request.user,
            "checkins.goals.update",
            patient_id=patient.pk,
            outcome=AuditEvent.Outcome.INVALID,
            fields=invalid,
        )
    context: dict[str, Any] = {
        "patient": patient,
        "edit_forms": edit_forms,
        "new_forms": new_forms,
        "general_errors": general,
        "max_active": services.MAX_ACTIVE_GOALS,
        "has_errors": bool(general) or any(f.errors for f in [*edit_forms, *new_forms]),
    }
    return render(request, "checkins/patient_goals.html", context)
