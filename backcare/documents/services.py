"""Reading what a document prints, through the scoped managers and with one audit row each.

``programme_handout`` and ``progress_report`` are what the views call; both return PDF bytes in
the active language, or raise ``NotPrintable`` with the reason to show the person asking.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.dateformat import time_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backcare.audit import trail
from backcare.documents.handout import Handout, render_handout
from backcare.documents.report import Report, StageStep, render_report
from backcare.logbook.services import active_programme
from backcare.outcomes.services import IN_EFFECT, Audience, timeline_for
from backcare.patients.clock import local_date
from backcare.patients.models import Patient
from backcare.programmes.models import Programme, ProgrammeItem
from backcare.reminders.models import ReminderSchedule
from backcare.reminders.services import schedule_of

__all__ = ["NotPrintable", "programme_handout", "progress_report", "schedule_lines"]

HANDOUT_ACTION = "document.programme.read"
REPORT_ACTION = "document.progress.read"


class NotPrintable(Exception):
    """The document cannot be made for this patient now; the message says why, in words."""


def programme_handout(actor: Any, patient: Patient, today: date) -> bytes:
    """The patient's active programme as a handout. Refused while a red flag has stopped the
    programme: a printed sheet must not outlive the stop."""
    with transaction.atomic():
        stopped = patient.red_flag_open
        programme = None if stopped else active_programme(actor, patient)
        items = tuple(programme.items.all()) if programme else ()
        planned = schedule_of(actor, patient) if programme else None
        if programme is not None:
            trail.note(
                actor,
                HANDOUT_ACTION,
                patient_id=patient.pk,
                obj=programme,
                version=programme.version,
            )
        else:  # the refusal is a read of the patient's state too
            refused = "red flag open" if stopped else "no active programme"
            trail.note(actor, HANDOUT_ACTION, patient_id=patient.pk, refused=refused)
    if stopped:
        raise NotPrintable(
            _("The programme is stopped because of a warning sign, so there is no handout.")
        )
    if programme is None:
        raise NotPrintable(_("There is no active programme to print yet."))
    handout = Handout(
        clinic=patient.clinic,
        patient=patient,
        programme=programme,
        items=items,
        schedule=schedule_lines(programme, items, planned),
        on=today,
    )
    return render_handout(handout)


def schedule_lines(
    programme: Programme,
    items: tuple[ProgrammeItem, ...],
    planned: ReminderSchedule | None = None,
) -> tuple[str, ...]:
    """When to do the programme, in sentences: the days and time the patient planned (their
    reminder schedule, when they have set one), how many days a week each exercise is prescribed
    (the programme's own dose), and the aerobic activity's days."""
    lines = []
    if planned is not None and planned.weekdays:
        lines.append(
            _("Your planned days: %(days)s, at %(time)s.")
            % {
                "days": ", ".join(planned.weekday_names),
                "time": time_format(planned.time_of_day, "H:i"),
            }
        )
    by_days: dict[int, list[str]] = defaultdict(list)
    for item in items:
        by_days[item.days_per_week].append(item.exercise.local.name)
    if len(by_days) == 1:
        (days,) = by_days
        lines.append(
            ngettext(
                "Do all your exercises on %(days)d day a week.",
                "Do all your exercises on %(days)d days a week.",
                days,
            )
            % {"days": days}
        )
    else:
        for days, names in sorted(by_days.items(), reverse=True):
            lines.append(
                ngettext(
                    "%(days)d day a week: %(names)s.", "%(days)d days a week: %(names)s.", days
                )
                % {"days": days, "names": ", ".join(names)}
            )
    if programme.aerobic_exercise is not None and programme.aerobic_days_per_week:
        days = programme.aerobic_days_per_week
        lines.append(
            ngettext(
                "%(name)s: %(minutes)s minutes on %(days)d day a week.",
                "%(name)s: %(minutes)s minutes on %(days)d days a week.",
                days,
            )
            % {
                "name": programme.aerobic_exercise.local.name,
                "minutes": programme.aerobic_minutes,
                "days": days,
            }
        )
    return tuple(lines)


def progress_report(actor: Any, patient: Patient, today: date, audience: Audience) -> bytes:
    """The patient's outcomes since intake (the timeline's measures, charts and words) with the
    programme's stage history; one audit row for the whole report."""
    with transaction.atomic():
        timeline = timeline_for(actor, patient, today, audience, action=REPORT_ACTION)
        versions = (
            Programme.objects.for_actor(actor)
            .filter(patient=patient, status__in=IN_EFFECT)
            .order_by("version")
        )
        stages = tuple(
            StageStep(
                p.version, p.stage, local_date(patient, p.assigned_at or p.created_at), p.status
            )
            for p in versions
        )
    report = Report(clinic=patient.clinic, patient=patient, timeline=timeline, stages=stages)
    return render_report(report)
