"""The progress report: the timeline page on paper, for the patient's file or a GP letter.

Each outcome of the timeline (pain, sessions done, questionnaire scores, activity goals) keeps its
chart (the same SVG, converted by svglib), its sentences, and its numbers as tables, so the report
still says everything when read aloud or printed in black and white. The stage history comes
first: which programme versions the patient was given, at which stage, from when.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from backcare.accounts.models import Clinic
from backcare.core.instruments import Change
from backcare.documents import pdf
from backcare.documents.handout import clinic_header, page_label, stage_name
from backcare.outcomes.charts import Bar, Point, Series
from backcare.outcomes.services import Section, Timeline
from backcare.outcomes.words import num
from backcare.patients.models import Patient

CHART_HEIGHT = 7.5 * cm
GRID = colors.HexColor("#c9d1d6")
HEAD = colors.HexColor("#eef2f4")


@dataclass(frozen=True)
class StageStep:
    """One programme version the patient was given."""

    version: int
    stage: str
    since: date
    status: str


@dataclass(frozen=True)
class Report:
    """Everything the report prints, read (and audited) by ``services.progress_report``; the
    timeline is already worded for its reader (clinician or patient)."""

    clinic: Clinic
    patient: Patient
    timeline: Timeline
    stages: tuple[StageStep, ...]


def mark_words(mark: str | None) -> str:
    """A change label in the reader's language; empty for an unlabelled value."""
    words = {
        "important_improvement": _("important improvement"),
        "important_worsening": _("important worsening"),
        "no_important_change": _("no important change"),
    }
    return words.get(mark or "", "")


def day(on: date) -> str:
    """A date in the active language's short form (e.g. "12 Mar 2025")."""
    return date_format(on, "j M Y")


def render_report(report: Report) -> bytes:
    """The progress report as PDF bytes, in the active language."""
    s = pdf.styles()
    timeline, patient = report.timeline, report.patient
    period = _("From %(since)s to %(today)s") % {
        "since": day(timeline.since),
        "today": day(timeline.today),
    }
    story: list[Flowable] = [
        *clinic_header(report.clinic),
        pdf.para(_("Progress report"), s.title),
        pdf.para(patient.full_name, s.h3),
        pdf.para(period, s.body),
        pdf.para(
            _(
                "Changes are judged against the start by the clinic's thresholds for a "
                "clinically important change."
            ),
            s.small,
        ),
        *stage_history(report.stages),
    ]
    for section in timeline.sections:
        story += section_flowables(section)
    footer = _("%(clinic)s · progress report for %(patient)s · %(period)s") % {
        "clinic": report.clinic.name,
        "patient": patient.full_name,
        "period": period,
    }
    return pdf.build(
        story,
        title=_("Progress report: %(patient)s") % {"patient": patient.full_name},
        author=report.clinic.name,
        footer=footer,
        page_label=page_label(),
    )


def table(header: list[str], rows: list[list[str]], widths: list[float]) -> Table:
    """A plain grid with a shaded header row that repeats on every page it spans."""
    s = pdf.styles()
    cells = [[pdf.para(text, s.cell) for text in row] for row in [header, *rows]]
    grid = Table(
        cells, colWidths=[w * pdf.FRAME_WIDTH for w in widths], repeatRows=1, hAlign="LEFT"
    )
    grid.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, GRID),
                ("BACKGROUND", (0, 0), (-1, 0), HEAD),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return grid


def stage_history(stages: tuple[StageStep, ...]) -> list[Flowable]:
    """Each programme version given: its stage and from when."""
    s = pdf.styles()
    out: list[Flowable] = [pdf.para(_("Stage history"), s.h2)]
    if not stages:
        return [*out, pdf.para(_("No programme has been given yet."), s.body)]
    status = {"active": _("current"), "superseded": _("replaced")}
    rows = [
        [
            str(step.version),
            stage_name(step.stage),
            day(step.since),
            status.get(step.status, step.status),
        ]
        for step in stages
    ]
    header = [_("Version"), _("Stage"), _("From"), _("Status")]
    return [*out, table(header, rows, [0.12, 0.5, 0.2, 0.18])]


def section_flowables(section: Section) -> list[Flowable]:
    """One outcome: heading, chart, sentences, then its numbers."""
    s = pdf.styles()
    chart = pdf.drawing(section.svg, max_width=pdf.FRAME_WIDTH, max_height=CHART_HEIGHT)
    head: list[Flowable] = [pdf.para(section.heading, s.h2), chart]
    out: list[Flowable] = [KeepTogether(head), Spacer(1, 0.2 * cm)]
    out += [pdf.para(line, s.body) for line in section.lines]
    if section.change is not None:
        out.append(pdf.para(change_text(section.change), s.body))
    if section.bars:
        out.append(bars_table(section.bars))
    if section.series:
        out.append(summary_table(section.series))
        for series in section.series:
            if series.line and len(series.points) > 1:
                out += values_table(series)
    out += [pdf.para(text, s.small) for text in section.attributions]
    return out


def change_text(change: Change) -> str:
    """The latest change from the start, in words (the section's sentences give the numbers)."""
    return _("Latest change from the start: %(label)s.") % {"label": mark_words(change.label)}


def summary_table(series: tuple[Series, ...]) -> Table:
    """Per series: how many values, the first and the latest, and the latest's change label."""
    rows = []
    for one in series:
        points = list(one.points)
        if not points:
            rows.append([one.name, "0", "—", "—", ""])
            continue
        first, latest = points[0], points[-1]
        rows.append(
            [
                one.name,
                str(len(points)),
                f"{num(first.value)} ({day(first.on)})",
                f"{num(latest.value)} ({day(latest.on)})",
                mark_words(latest.mark),
            ]
        )
    header = [_("Values"), _("Count"), _("First"), _("Latest"), _("Change")]
    return table(header, rows, [0.27, 0.13, 0.19, 0.19, 0.22])


def values_table(series: Series) -> list[Flowable]:
    """Every value of a series with its date and change label (the heading keeps with it)."""
    s = pdf.styles()
    rows = [[day(p.on), num(p.value), point_words(p)] for p in series.points]
    header = [_("Date"), _("Value"), _("Change from the start")]
    return [
        Spacer(1, 0.2 * cm),
        pdf.para(series.name, s.h3),
        table(header, rows, [0.25, 0.15, 0.6]),
    ]


def point_words(point: Point) -> str:
    """A value's change label and its note (e.g. "week of 10 Feb, mean of 7 readings")."""
    return "; ".join(part for part in (mark_words(point.mark), point.note) if part)


def bars_table(bars: tuple[Bar, ...]) -> Table:
    """Sessions done each week against those prescribed."""
    rows = [
        [day(bar.week_of), bar.text or "—", "—" if bar.percent is None else f"{num(bar.percent)} %"]
        for bar in bars
    ]
    header = [_("Week of"), _("Sessions done / prescribed"), _("Share done")]
    return table(header, rows, [0.3, 0.4, 0.3])
