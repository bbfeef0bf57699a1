"""Reminder pages: the patient's schedule and calendar link, the feed, the clinician's view."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from backcare.audit import trail
from backcare.audit.models import AuditEvent
from backcare.audit.probes import too_many_wrong_links, wrong_link
from backcare.links import absolute_url
from backcare.logbook.services import active_programme
from backcare.patients.access import clinician_required, get_for_actor_or_404, own_patient_or_404
from backcare.patients.models import Patient
from backcare.reminders import services
from backcare.reminders.forms import ScheduleForm
from backcare.reminders.models import ReminderSchedule
from backcare.reminders.services import ScheduleChoice


@login_required
def my_reminders(request: HttpRequest) -> HttpResponse:
    """The patient's days, time, time zone and e-mail choice; the calendar link; their figures."""
    patient = own_patient_or_404(request.user)
    if request.method != "POST":
        schedule = services.schedule_of(request.user, patient)
        if schedule is None:
            choice = services.suggested_choice(patient, active_programme(request.user, patient))
        else:
            choice = _choice_of(schedule)
        feed_url = _fresh_feed_url(request, patient)
        return _render(request, patient, ScheduleForm.initial_from(choice), feed_url)
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        trail.note(
            request.user,
            "reminders.schedule.save",
            patient_id=patient.pk,
            outcome=AuditEvent.Outcome.INVALID,
            fields=sorted(form.errors),
        )
        return _render(request, patient, form)
    services.save_schedule(request.user, patient, form.choice())
    messages.success(request, _("Your reminder days are saved."))
    return redirect("my_reminders")


FRESH_TOKEN_KEY = "reminders.fresh_calendar_token"
"""Where a new calendar token waits, in the server-side session, for the one page that shows it."""


@login_required
@require_POST
def new_calendar_link(request: HttpRequest) -> HttpResponse:
    """A new secret calendar link; any earlier link stops working. Post-redirect-get: the token
    waits in the session for the next page view only, so reloading that page cannot issue
    another token (and silently revoke the one just copied), and the link is shown once."""
    patient = own_patient_or_404(request.user)
    if services.schedule_of(request.user, patient) is None:
        messages.error(request, _("Save your days and time first; the calendar shows them."))
        return redirect("my_reminders")
    request.session[FRESH_TOKEN_KEY] = services.issue_calendar_link(request.user, patient)
    return redirect("my_reminders")


def _fresh_feed_url(request: HttpRequest, patient: Patient) -> str:
    """The link just made, taken out of the session (so shown once), if it still works."""
    token = request.session.pop(FRESH_TOKEN_KEY, "")
    feed = services.view_calendar_link(request.user, patient)
    if not token or feed is None or feed.token_hash != services.hash_token(token):
        return ""
    return absolute_url(reverse("calendar_feed", args=[token]))


@login_required
@require_POST
def turn_off_calendar_link(request: HttpRequest) -> HttpResponse:
    patient = own_patient_or_404(request.user)
    services.revoke_calendar_links(request.user, patient)
    messages.success(request, _("Your calendar link is turned off. It no longer works."))
    return redirect("my_reminders")


def _render(
    request: HttpRequest, patient: Patient, form: ScheduleForm, feed_url: str = ""
) -> HttpResponse:
    schedule = services.schedule_of(request.user, patient)
    programme = active_programme(request.user, patient)
    trail.read(request.user, "reminders.view", patient_id=patient.pk)
    context = {
        "patient": patient,
        "form": form,
        "schedule": schedule,
        "programme": programme,
        "feed": services.view_calendar_link(request.user, patient),
        "feed_url": feed_url,
        "webcal_url": feed_url.replace("https://", "webcal://").replace("http://", "webcal://"),
        "sessions_per_week": services.sessions_per_week(programme),
    }
    return render(request, "reminders/my_reminders.html", context)


def _choice_of(schedule: ReminderSchedule) -> ScheduleChoice:
    return ScheduleChoice(
        weekdays=frozenset(schedule.weekdays),
        time_of_day=schedule.time_of_day,
        time_zone=schedule.time_zone,
        email_enabled=schedule.email_enabled,
    )


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The secret iCalendar feed; an unknown, revoked or malformed link is a plain 404, or a
    429 once its address has sent too many wrong links (``backcare.audit.probes``)."""
    body = services.calendar_for_token(token)
    if body is None:
        # no actor, like a served feed: it is a calendar program asking
        retry_after_s = wrong_link(request, None, "reminders.calendar.fetch", via="calendar feed")
        if retry_after_s is not None:
            return too_many_wrong_links(request, retry_after_s)
        raise Http404()
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="exercise.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@clinician_required
def patient_reminders(request: HttpRequest, pk: int) -> HttpResponse:
    """The patient's reminder schedule, calendar link state, e-mails and regularity (read only)."""
    patient = get_for_actor_or_404(request.user, Patient, "reminders.clinic.view", pk=pk)
    context = {
        "patient": patient,
        "schedule": services.schedule_of(request.user, patient),
        "feed": services.view_calendar_link(request.user, patient),
        "deliveries": services.recent_deliveries(request.user, patient),
    }
    return render(request, "reminders/patient_reminders.html", context)
