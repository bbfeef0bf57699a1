"""The timeline: values over time, dates across, one line each Monday."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta
from xml.sax.saxutils import escape

from backcare.core.svg import num
from backcare.outcomes.charts._model import (
    MARK_WORDS,
    Band,
    Point,
    Reference,
    Series,
    long_date,
    short_date,
    value_text,
)
from backcare.outcomes.charts._svg import (
    BAND,
    EDGE,
    GRID,
    LEFT,
    MARK_COLOURS,
    MUTED,
    RIGHT,
    WIDTH,
    Frame,
    document,
    draw_head,
    draw_legend,
    draw_references,
    draw_y_axis,
    mark_marker,
    marker,
    no_data,
    shorten,
    style_of,
    svg_line,
    svg_text,
)
from backcare.outcomes.charts._words import gettext, ngettext


def _x_scale(points: Sequence[Point], start: date | None, end: date | None) -> tuple[int, int]:
    """First and last day shown (as ordinals): the data and ``start``/``end``, a day either side,
    at least a week wide."""
    days = [p.on.toordinal() for p in points]
    days += [d.toordinal() for d in (start, end) if d is not None]
    lo, hi = min(days) - 1, max(days) + 1
    if hi - lo < 7:
        lo -= (7 - (hi - lo)) // 2
        hi = lo + 7
    return lo, hi


def _x_axis(frame: Frame, lo: int, hi: int) -> list[str]:
    """A faint line at every Monday, labelled as often as the width allows."""
    first = date.fromordinal(lo) + timedelta(days=-date.fromordinal(lo).weekday() % 7)
    mondays = [first + timedelta(weeks=w) for w in range((hi - first.toordinal()) // 7 + 1)]
    every = max(1, math.ceil(len(mondays) / int((WIDTH - LEFT - RIGHT) // 46)))
    out, year = [], None
    for i, monday in enumerate(mondays):
        x = _x(monday.toordinal(), lo, hi)
        out.append(svg_line(x, frame.top, x, frame.bottom, GRID))
        if i % every == 0:
            label = short_date(monday) if year in (None, monday.year) else long_date(monday)
            year = monday.year
            out.append(svg_text(x, frame.bottom + 14, label, size=11, anchor="middle", fill=MUTED))
    return out


def _x(day: int, lo: int, hi: int) -> float:
    """The drawing x of a day (an ordinal)."""
    return LEFT + (day - lo) / (hi - lo) * (WIDTH - LEFT - RIGHT)


def _series(index: int, series: Series, frame: Frame, lo: int, hi: int) -> list[str]:
    """One series: its line, a marker per point (with its tooltip), then the change marks."""
    colour, shape = style_of(index)
    ordered = sorted(series.points, key=lambda p: p.on)
    xy = [(_x(p.on.toordinal(), lo, hi), frame.y(p.value)) for p in ordered]
    out = [f'<g class="series" data-index="{index}">']
    if series.line and len(xy) > 1:
        path = " ".join(f"{num(x)},{num(y)}" for x, y in xy)
        out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
    for point, (x, y) in zip(ordered, xy, strict=True):
        words = f"{long_date(point.on)}: {value_text(point.value)}"
        words += f", {point.note}" if point.note else ""
        words += f" — {MARK_WORDS[point.mark]}" if point.mark else ""
        out.append(
            f'<g class="point"><title>{escape(words)}</title>{marker(shape, x, y, 4, colour)}</g>'
        )
    for point, (x, y) in zip(ordered, xy, strict=True):
        if point.mark in MARK_COLOURS:
            out.append(f'<g class="mark {point.mark}">{mark_marker(point.mark, x, y)}</g>')
    out.append(_last_mark_label(ordered, xy, frame))
    return [*out, "</g>"]


def _last_mark_label(ordered: list[Point], xy: list[tuple[float, float]], frame: Frame) -> str:
    """The latest important change, named in words beside its point: on the side away from the
    point before it (off the line), unless the plot's edge is too near."""
    marked = [i for i, p in enumerate(ordered) if p.mark in MARK_COLOURS]
    if not marked:
        return ""
    i = marked[-1]
    mark, (x, y) = ordered[i].mark or "", xy[i]
    before = xy[i - 1][1] if i else y
    below = before <= y if frame.top + 22 < y < frame.bottom - 22 else y <= frame.top + 22
    anchor = "end" if x > WIDTH - RIGHT - 70 else "start" if x < LEFT + 70 else "middle"
    return svg_text(
        x,
        y + 21 if below else y - 12,
        MARK_WORDS[mark],
        size=11,
        anchor=anchor,
        fill=MARK_COLOURS[mark],
        bold=True,
        halo=True,
    )


def _series_icon(index: int, line: bool) -> str:
    """The legend's sample of a series: a stroke of its line and its marker."""
    colour, shape = style_of(index)
    stroke = svg_line(0, 0, 18, 0, colour, ' stroke-width="2"') if line else ""
    return stroke + marker(shape, 9, 0, 4, colour)


def _legend_entries(series: Sequence[Series], bands: Sequence[Band]) -> list[tuple[str, str]]:
    """Each series, each band and each kind of change marker drawn (reference lines are
    labelled where they are drawn)."""
    entries = [(_series_icon(i, s.line), shorten(s.name)) for i, s in enumerate(series) if s.points]
    entries += [
        (
            f'<rect x="1" y="-5" width="16" height="10" fill="{BAND}" stroke="{EDGE}" '
            f'stroke-dasharray="1 2"/>',
            shorten(b.label),
        )
        for b in bands
    ]
    marks = {p.mark for s in series for p in s.points if p.mark in MARK_COLOURS}
    entries += [(mark_marker(m, 9, 0), MARK_WORDS[m]) for m in MARK_COLOURS if m in marks]
    return entries


def _describe(series: Sequence[Series], bands: Sequence[Band], refs: Sequence[Reference]) -> str:
    """The data in words for ``<desc>``: each series' first and last values, latest change."""
    parts = []
    for s in series:
        if not s.points:
            continue
        ordered = sorted(s.points, key=lambda p: p.on)
        first, last = ordered[0], ordered[-1]
        text = ngettext(
            "%(name)s: %(count)d value from %(first_day)s to %(last_day)s, first %(first)s, "
            "last %(last)s",
            "%(name)s: %(count)d values from %(first_day)s to %(last_day)s, first %(first)s, "
            "last %(last)s",
            len(ordered),
        ) % {
            "name": s.name,
            "count": len(ordered),
            "first_day": long_date(first.on),
            "last_day": long_date(last.on),
            "first": value_text(first.value),
            "last": value_text(last.value),
        }
        labelled = [p for p in ordered if p.mark]
        if labelled:
            latest = labelled[-1]
            text += gettext("; latest change (%(day)s): %(change)s") % {
                "day": long_date(latest.on),
                "change": MARK_WORDS[latest.mark or ""],
            }
        parts.append(text + ".")
    parts += [
        gettext("Shaded: %(label)s, %(low)s to %(high)s.")
        % {"label": b.label, "low": value_text(b.low), "high": value_text(b.high)}
        for b in bands
    ]
    parts += [gettext("Line: %(label)s.") % {"label": r.label} for r in refs]
    return " ".join(parts)


def render_timeline(
    series: Sequence[Series],
    *,
    title: str,
    y_range: tuple[float, float],
    y_label: str,
    references: Sequence[Reference] = (),
    bands: Sequence[Band] = (),
    start: date | None = None,
    end: date | None = None,
    summary: str = "",
    show_title: bool = True,
    chart_id: str | None = None,
    empty_text: str = "No data yet",
) -> str:
    """Values over time: dates across (a line each Monday), one or more series (the first drawn
    on top), optional reference lines and bands, and a ring or square around points marked as an
    important change.

    ``summary`` opens the ``<desc>``; ``start``/``end`` widen the dates shown (e.g. from intake).
    With no point at all the chart says ``empty_text`` instead.
    """
    low, high = y_range
    if not high > low:
        raise ValueError(f"y_range must rise, got {y_range!r}")
    points = [p for s in series for p in s.points]
    if not points:
        return no_data(chart_id, title, y_label, show_title, empty_text)
    head, top = draw_head(title, y_label, show_title)
    frame = Frame(top, low, high)
    lo, hi = _x_scale(points, start, end)
    body = [*head, *draw_references(frame, bands, ()), *draw_y_axis(frame), *_x_axis(frame, lo, hi)]
    body += draw_references(frame, (), references)
    for index, one in reversed(list(enumerate(series))):  # the first series on top
        if one.points:
            body += _series(index, one, frame, lo, hi)
    legend, bottom = draw_legend(_legend_entries(series, bands), frame.bottom + 32)
    desc = " ".join(filter(None, [summary, _describe(series, bands, references)]))
    return document(chart_id, title, desc, bottom + 8, [*body, *legend])
