"""Timeline and weekly bar charts as self-contained SVG, for the web pages and printed reports.

Pure Python, no Django, so a PDF renderer can call it as the pages do. The output is
deterministic (same data, same bytes: numbers written to one decimal, no clock, no random ids),
holds no script, no style sheet and no external reference, and scales to its container's width
(``viewBox``; ``width`` and ``height`` only give a standalone file its natural size). Every piece
of text is XML-escaped, so a series named ``<script>`` is drawn as those characters.

Accessibility (WCAG 2.1):

- ``role="img"`` with ``aria-labelledby`` naming the ``<title>`` and a ``<desc>`` that says in
  words what the chart shows: each series' first and last values and its latest change label.
- 1.4.11 non-text contrast: every colour that carries meaning (series, change markers, reference
  lines, the band's edges, bars) reaches 3:1 against the background and the shaded band.
- 1.4.1 use of colour: series differ by marker shape, change markers by shape (a ring for an
  important improvement, a square for an important worsening) and carry a text label; the legend
  names every one.
"""

from backcare.outcomes.charts._bars import render_weekly_bars
from backcare.outcomes.charts._model import (
    MARK_WORDS,
    Band,
    Bar,
    Mark,
    Point,
    Reference,
    Series,
    long_date,
    short_date,
)
from backcare.outcomes.charts._svg import BACKGROUND, BAND, MARK_COLOURS, SERIES_COLOURS
from backcare.outcomes.charts._timeline import render_timeline
from backcare.outcomes.charts._words import use_translations

__all__ = [
    "BACKGROUND",
    "BAND",
    "MARK_COLOURS",
    "MARK_WORDS",
    "SERIES_COLOURS",
    "Band",
    "Bar",
    "Mark",
    "Point",
    "Reference",
    "Series",
    "long_date",
    "render_timeline",
    "render_weekly_bars",
    "short_date",
    "use_translations",
]
