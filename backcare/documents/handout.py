"""The programme handout: what a patient pins to the fridge.

Clinic and patient, then the schedule, then each exercise as one block that never splits across
pages (its pictures, name, dose, steps, what to remember and when to take care), the aerobic
prescription, and "When to stop and get help" with the clinic's phone number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.lib import colors
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from backcare.accounts.models import Clinic
from backcare.core.figure import render_exercise_svg
from backcare.core.screening import PRINTED_ADVICE, RED_FLAGS, Action
from backcare.documents import pdf
from backcare.library.models import Exercise
from backcare.patients.models import Patient
from backcare.programmes.models import Programme, ProgrammeItem

FIGURE_COLUMN = 4.6 * cm
FIGURE_HEIGHT = 3.4 * cm
RULE = colors.HexColor("#c9d1d6")
URGENCY: tuple[Action, ...] = ("emergency_now", "same_day", "doctor_this_week")
"""The stopping actions, most urgent first, as the handout lists them."""


@dataclass(frozen=True)
class Handout:
    """Everything the handout prints, read (and audited) by ``services.programme_handout``."""

    clinic: Clinic
    patient: Patient
    programme: Programme
    items: tuple[ProgrammeItem, ...]
    schedule: tuple[str, ...]
    on: date


def render_handout(handout: Handout) -> bytes:
    """The handout as PDF bytes, in the active language."""
    s = pdf.styles()
    patient, programme = handout.patient, handout.programme
    story: list[Flowable] = [
        *clinic_header(handout.clinic),
        pdf.para(_("Your exercise programme"), s.title),
        pdf.para(patient.full_name, s.h3),
        pdf.para(
            _("Stage: %(stage)s · Programme version %(version)s · %(date)s")
            % {
                "stage": stage_name(programme.stage),
                "version": programme.version,
                "date": date_format(handout.on, "DATE_FORMAT"),
            },
            s.body,
        ),
        pdf.para(_("When to do them"), s.h2),
        *(pdf.para(line, s.body) for line in handout.schedule),
        pdf.para(_("Your exercises"), s.h2),
    ]
    for number, item in enumerate(handout.items, start=1):
        story.append(exercise_block(number, item))
    if programme.aerobic_exercise is not None:
        story.append(KeepTogether(aerobic_block(programme)))
    story.append(KeepTogether(stop_and_get_help(handout.clinic)))
    footer = _("%(clinic)s · programme for %(patient)s · %(date)s") % {
        "clinic": handout.clinic.name,
        "patient": patient.full_name,
        "date": date_format(handout.on, "SHORT_DATE_FORMAT"),
    }
    return pdf.build(
        story,
        title=_("Exercise programme: %(patient)s") % {"patient": patient.full_name},
        author=handout.clinic.name,
        footer=footer,
        page_label=page_label(),
    )


def page_label() -> str:
    """The footer's page number, e.g. "Page 2 of 5" (a %-format read by ``pdf.build``)."""
    return _("Page %(page)d of %(pages)d")


def stage_name(stage: str) -> str:
    """The stage in words ("Initial: calm symptoms, activate"), or its code if unknown."""
    return str(dict(Patient.Stage.choices).get(stage, stage))


def clinic_header(clinic: Clinic) -> list[Flowable]:
    """The clinic's name and every way to reach it that it has given."""
    s = pdf.styles()
    contact = [
        _("Phone: %(phone)s") % {"phone": clinic.phone} if clinic.phone else "",
        _("E-mail: %(email)s") % {"email": clinic.email} if clinic.email else "",
    ]
    out: list[Flowable] = [pdf.para(clinic.name, s.h3)]
    if any(contact):
        out.append(pdf.para("   ".join(c for c in contact if c), s.small))
    address = [line.strip() for line in clinic.address.splitlines() if line.strip()]
    if address:
        out.append(pdf.para(", ".join(address), s.small))
    out.append(Spacer(1, 0.3 * cm))
    return out


def figures(exercise: Exercise, width: float) -> list[Flowable]:
    """The exercise's key poses, one under the other, as drawn on its library page."""
    core = exercise.core
    return [
        pdf.drawing(
            render_exercise_svg(core, i, width_px=320), max_width=width, max_height=FIGURE_HEIGHT
        )
        for i in range(len(core.key_poses))
    ]


def exercise_block(number: int, item: ProgrammeItem) -> Flowable:
    """One exercise, pictures on the left and words on the right, as one block that never
    splits across pages (one taller than a page, which no library exercise is, flows on)."""
    words = exercise_words(number, item)
    pictures = figures(item.exercise, FIGURE_COLUMN - 0.4 * cm)
    if not pictures:
        return KeepTogether([Spacer(1, 0.3 * cm), *words])
    grid = Table(
        [[pictures, words]],
        colWidths=[FIGURE_COLUMN, pdf.FRAME_WIDTH - FIGURE_COLUMN],
        hAlign="LEFT",
    )
    grid.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (0, 0), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                ("LINEABOVE", (0, 0), (-1, 0), 0.5, RULE),
            ]
        )
    )
    _width, height = grid.wrap(pdf.FRAME_WIDTH, pdf.FRAME_HEIGHT)
    if height > pdf.FRAME_HEIGHT:
        return KeepTogether([*pictures, *words])
    return grid


def exercise_words(number: int, item: ProgrammeItem) -> list[Flowable]:
    """Name, dose, summary, steps, what to remember and when to take care, in the patient's
    language."""
    s = pdf.styles()
    text = item.exercise.local
    block: list[Flowable] = [
        pdf.para(f"{number}. {text.name}", s.h2_tight),
        pdf.para(item.dose_text(), s.dose),
    ]
    if text.summary:
        block.append(pdf.para(text.summary, s.item))
    block += [pdf.para(_("Steps"), s.h3), pdf.bullets(text.steps, numbered=True)]
    if text.cues:
        block += [pdf.para(_("Remember"), s.h3), pdf.bullets(text.cues)]
    if text.cautions:
        block += [pdf.para(_("Take care"), s.h3), pdf.bullets(text.cautions)]
    return block


def aerobic_block(programme: Programme) -> list[Flowable]:
    """The aerobic prescription: which activity, how many minutes, how many days a week."""
    s = pdf.styles()
    exercise = programme.aerobic_exercise
    assert exercise is not None
    text, days = exercise.local, programme.aerobic_days_per_week or 0
    block: list[Flowable] = [
        pdf.para(_("Aerobic activity: %(name)s") % {"name": text.name}, s.h2),
        pdf.para(
            ngettext(
                "%(minutes)s min, %(days)d day a week",
                "%(minutes)s min, %(days)d days a week",
                days,
            )
            % {"minutes": programme.aerobic_minutes, "days": days},
            s.dose,
        ),
    ]
    if programme.aerobic_reason:
        block.append(pdf.para(programme.aerobic_reason_for_patient, s.body))
    if text.cautions:
        block += [pdf.para(_("Take care"), s.h3), pdf.bullets(text.cautions)]
    return block


def stop_and_get_help(clinic: Clinic) -> list[Flowable]:
    """When to stop: sharp or spreading pain (tell the physio), and every red flag a patient can
    notice at home, grouped by how urgently to seek care.

    The warning signs and the advice are the screening's own (``core.screening``: IFOMPT 2020,
    NICE NG59/CKS, GIRFT 2023), in their re-check wording, the one written for a patient noticing
    something new; intake-only questions (a new episode of pain over 50) are left out.
    """
    s = pdf.styles()
    block: list[Flowable] = [
        pdf.para(_("When to stop and get help"), s.h2),
        pdf.para(
            _(
                "Stop an exercise if it causes sharp or spreading pain, and tell your "
                "physiotherapist."
            ),
            s.alert,
        ),
        pdf.para(
            _("Stop all your exercises and get medical help if you notice any of these signs:"),
            s.body,
        ),
    ]
    headings = {
        "emergency_now": _("Go to an emergency department now"),
        "same_day": _("See a doctor today"),
        "doctor_this_week": _("See your doctor this week"),
    }
    for action in URGENCY:
        signs = [_(flag.recheck) for flag in RED_FLAGS if flag.action == action and flag.recheck]
        block += [
            pdf.para(headings[action], s.h3),
            pdf.bullets(signs),
            pdf.para(_(PRINTED_ADVICE[action]), s.body),
        ]
    if clinic.phone:
        call = _("Your clinic: %(clinic)s, phone %(phone)s.")
        block.append(pdf.para(call % {"clinic": clinic.name, "phone": clinic.phone}, s.dose))
    return block
