"""The patient's own pages: today's routine with its log form, the morning check, and history."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from backcare.audit import trail
from backcare.logbook.forms import ExerciseLogForm, MorningPainForm, SessionForm, attach_errors
from backcare.logbook.models import Session
from backcare.logbook.services import (
    InvalidSession,
    NoActiveProgramme,
    SessionConflict,
    SessionPayload,
    active_programme,
    exercises_done_on,
    log_session,
    morning_prompt_session,
    record_next_morning_pain,
    sessions_of,
)
from backcare.patients.access import get_for_actor_or_404, own_patient_or_404
from backcare.patients.clock import today_for
from backcare.patients.models import Patient
from backcare.programmes.models import Programme

HISTORY_PAGE_SIZE = 20


@login_required
def today(request: HttpRequest) -> HttpResponse:
    """Today's routine and the form that logs the whole session."""
    patient = own_patient_or_404(request.user)
    programme = active_programme(request.user, patient)
    if request.method != "POST" or programme is None:
        return _render_today(request, patient, programme)
    session_form = SessionForm(request.POST)
    item_forms = [ExerciseLogForm(item, request.POST) for item in programme.items.all()]
    if not (session_form.is_valid() and all([f.is_valid() for f in item_forms])):
        return _render_today(request, patient, programme, session_form, item_forms)
    payload = SessionPayload(
        client_id=session_form.cleaned_data["client_id"],
        performed_on=session_form.cleaned_data["performed_on"],
        notes=session_form.cleaned_data["notes"],
        exercises=tuple(form.entry() for form in item_forms),
    )
    try:
        _, created = log_session(request.user, patient, payload)
    except InvalidSession as error:
        attach_errors(session_form, item_forms, error.errors)
        return _render_today(request, patient, programme, session_form, item_forms)
    except SessionConflict:
        # this page already logged a session with other answers; offer to save these as a new one
        data = request.POST.copy()
        data["client_id"] = str(uuid.uuid4())
        session_form = SessionForm(data)
        session_form.is_valid()
        session_form.add_error(None, CONFLICT_MESSAGE)
        return _render_today(request, patient, programme, session_form, item_forms)
    except NoActiveProgramme:
        messages.error(
            request, gettext("Your programme changed while you were logging. Please try again.")
        )
        return redirect("today")
    messages.success(
        request, gettext("Session logged. Well done.") if created else gettext("Already saved.")
    )
    return redirect("today")


CONFLICT_MESSAGE = gettext_lazy(
    "This page already saved a session with different answers (see your history). "
    "Save again to keep these answers as another session."
)


def _render_today(
    request: HttpRequest,
    patient: Patient,
    programme: Programme | None,
    session_form: SessionForm | None = None,
    item_forms: list[ExerciseLogForm] | None = None,
    morning_form: MorningPainForm | None = None,
) -> HttpResponse:
    """Render the page, reading (and auditing) the red flag and recent sessions.

    The view has read the patient (with their clinic, whose zone dates the page) and the active
    programme once; the page's parts and its template tags are given them, not read again.
    """
    user, day = request.user, today_for(patient)
    context = _today_context(user, patient, programme, day, session_form, item_forms, morning_form)
    return render(request, "logbook/today.html", context)


def _today_context(
    user: Any,
    patient: Patient,
    programme: Programme | None,
    day: date,
    session_form: SessionForm | None,
    item_forms: list[ExerciseLogForm] | None,
    morning_form: MorningPainForm | None,
) -> dict[str, Any]:
    prefetch_related_objects([patient], "redflagscreen_set")  # one read for both questions below
    screen = patient.open_red_flag()
    if screen is not None:
        trail.read(user, "logbook.today.view", patient_id=patient.pk, red_flag=screen.action)
        return {"patient": patient, "screen": screen}
    context: dict[str, Any] = {"patient": patient, "programme": programme}
    if programme is not None:
        if item_forms is None:
            item_forms = [ExerciseLogForm(item) for item in programme.items.all()]
        initial = {"client_id": uuid.uuid4(), "performed_on": day}
        context["session_form"] = session_form or SessionForm(initial=initial)
        context["item_forms"] = item_forms
        context["has_errors"] = any(form.errors for form in [context["session_form"], *item_forms])
        context["logged_today"] = sessions_of(user, patient).filter(performed_on=day).count()
        context["done_today"] = exercises_done_on(user, patient, day)
        context["morning_session"] = morning_prompt_session(user, patient, day)
        context["morning_form"] = morning_form or MorningPainForm()
    trail.read(
        user,
        "logbook.today.view",
        patient_id=patient.pk,
        obj=programme,
        red_flag="none" if patient.latest_screen() else "not screened",
    )
    return context


@login_required
@require_POST
def log_morning_pain(request: HttpRequest, session_id: int) -> HttpResponse:
    """Record next-morning pain for one of the patient's own sessions."""
    patient = own_patient_or_404(request.user)
    # the answer's row is the save's, or the page's (a form error) drawn below
    session = get_for_actor_or_404(
        request.user, Session, "logbook.session.morning_pain", pk=session_id
    )
    form = MorningPainForm(request.POST)
    if form.is_valid():
        try:
            record_next_morning_pain(request.user, session, form.cleaned_data["pain_0_10"])
        except InvalidSession as error:
            form.add_error(None, error.errors[0].message)
        else:
            messages.success(request, gettext("Thank you. Your morning pain is saved."))
            return redirect("today")
    programme = active_programme(request.user, patient)
    return _render_today(request, patient, programme, morning_form=form)


@login_required
def my_history(request: HttpRequest) -> HttpResponse:
    """The patient's own sessions with what they did in each."""
    patient = own_patient_or_404(request.user)
    page = Paginator(sessions_of(request.user, patient), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    trail.read(
        request.user,
        "logbook.history.view",
        patient_id=patient.pk,
        page=page.number,
        sessions=len(page.object_list),
    )
    return render(request, "logbook/history.html", {"patient": patient, "page": page})


@login_required
def guided_session(request: HttpRequest) -> HttpResponse:
    """The guided player: one exercise at a time, logged through the sessions API when done.

    A red flag or a missing programme shows the same message as today's page and no player.
    """
    patient = own_patient_or_404(request.user)
    prefetch_related_objects([patient], "redflagscreen_set")  # one read for both questions below
    screen = patient.open_red_flag()
    context: dict[str, Any] = {"patient": patient}
    if screen is not None:
        trail.read(
            request.user, "logbook.guided.view", patient_id=patient.pk, red_flag=screen.action
        )
        return render(request, "logbook/guided.html", context | {"screen": screen})
    programme = active_programme(request.user, patient)
    if programme is not None:
        player = _player_data(request, patient, programme)
        context |= {"programme": programme, "player": player, "scale": range(11)}
    trail.read(
        request.user,
        "logbook.guided.view",
        patient_id=patient.pk,
        obj=programme,
        red_flag="none" if patient.latest_screen() else "not screened",
    )
    return render(request, "logbook/guided.html", context)


def _player_data(request: HttpRequest, patient: Patient, programme: Programme) -> dict[str, Any]:
    """What ``player.js`` needs: the items and their doses, the patient's day, where to send."""
    items = [
        {
            "id": item.pk,
            "name": item.exercise.local.name,
            "dose_type": item.dose_type,
            "sets": item.sets,
            "reps": item.reps,
            "hold_s": item.hold_s,
            "duration_min": item.duration_min,
            "rest_s": item.rest_s,
        }
        for item in programme.items.all()
    ]
    return {
        "owner": request.user.pk,
        "programme": programme.pk,
        "version": programme.version,
        "today": today_for(patient).isoformat(),
        "sessions_url": reverse("api-1:log_my_session"),
        "items": items,
    }
