"""Weekly bars on a 0-100 % scale, e.g. sessions done against those prescribed."""

from __future__ import annotations

import math
from collections.abc import Sequence
from xml.sax.saxutils import escape

from backcare.core.svg import num
from backcare.outcomes.charts._model import Bar, Reference, long_date, short_date, value_text
from backcare.outcomes.charts._svg import (
    BACKGROUND,
    INK,
    LEFT,
    MUTED,
    RIGHT,
    SERIES_COLOURS,
    WIDTH,
    Frame,
    document,
    draw_head,
    draw_legend,
    draw_references,
    draw_y_axis,
    no_data,
    shorten,
    svg_line,
    svg_text,
)
from backcare.outcomes.charts._words import gettext


def render_weekly_bars(
    bars: Sequence[Bar],
    *,
    title: str,
    y_label: str,
    references: Sequence[Reference] = (),
    summary: str = "",
    show_title: bool = True,
    chart_id: str | None = None,
    empty_text: str = "No data yet",
) -> str:
    """One bar a week on a 0-100 % scale (taller bars are capped at 100), its ``text`` above it
    when there is room, and optional reference lines (e.g. the adherence gate)."""
    if not bars:
        return no_data(chart_id, title, y_label, show_title, empty_text)
    head, top = draw_head(title, y_label, show_title)
    frame = Frame(top, 0, 100)
    body = [*head, *draw_y_axis(frame)]
    slot = (WIDTH - LEFT - RIGHT) / len(bars)
    every = max(1, math.ceil(len(bars) / int((WIDTH - LEFT - RIGHT) // 46)))
    for i, bar in enumerate(bars):
        centre = LEFT + slot * (i + 0.5)
        body.append(f'<g class="bar"><title>{escape(_bar_words(bar))}</title>')
        if bar.percent is not None:
            y, width = frame.y(bar.percent), slot * 0.6
            body.append(
                f'<rect x="{num(centre - width / 2)}" y="{num(y)}" width="{num(width)}" '
                f'height="{num(frame.bottom - y)}" fill="{SERIES_COLOURS[0]}"/>'
            )
        if slot >= 24:  # the text above the bar, or inside a bar too tall for room above it
            shown = bar.text if bar.percent is not None else "—"
            y = frame.y(bar.percent or 0)
            inside = (bar.percent or 0) >= 88
            label = svg_text(
                centre,
                y + 14 if inside else y - 4,
                shown,
                size=11,
                anchor="middle",
                fill=BACKGROUND if inside else INK,
                halo=not inside,
            )
            body.append(label)
        body.append("</g>")
        if i % every == 0:
            date_label = short_date(bar.week_of)
            body.append(
                svg_text(
                    centre, frame.bottom + 14, date_label, size=11, anchor="middle", fill=MUTED
                )
            )
    body += draw_references(frame, (), references, labelled=False)
    icon = svg_line(0, 0, 18, 0, MUTED, ' stroke-dasharray="5 3"')
    legend, bottom = draw_legend([(icon, shorten(r.label)) for r in references], frame.bottom + 32)
    weeks = "; ".join(_bar_words(bar) for bar in bars)
    refs = " ".join(gettext("Line: %(label)s.") % {"label": r.label} for r in references)
    by_week = gettext("By week: %(weeks)s.") % {"weeks": weeks}
    desc = " ".join(filter(None, [summary, by_week, refs]))
    return document(chart_id, title, desc, bottom + 8, [*body, *legend])


def _bar_words(bar: Bar) -> str:
    """One week in words, for its tooltip and the ``<desc>``."""
    day = long_date(bar.week_of)
    if bar.percent is None:
        return gettext("week of %(day)s: nothing prescribed") % {"day": day}
    text = f" ({bar.text})" if bar.text else ""
    words = gettext("week of %(day)s: %(percent)s %%") % {
        "day": day,
        "percent": value_text(bar.percent),
    }
    return words + text
