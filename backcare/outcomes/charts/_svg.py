"""SVG pieces every chart shares: the palette, the layout, text, lines and markers, the axes,
reference lines and bands, the legend, the document and the "no data yet" chart."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from backcare.core.svg import num
from backcare.outcomes.charts._model import Band, Reference, value_text

INK, MUTED, GRID, EDGE = "#1d2a33", "#50606b", "#e3e7ea", "#5f6b73"
BACKGROUND, BAND = "#ffffff", "#e4ecf1"
SERIES_COLOURS = ("#0b6e69", "#6a3d9a", "#a04a00", "#1f4e99", "#4d4d4d")
MARK_COLOURS = {"important_improvement": "#2f6b2f", "important_worsening": "#a4161a"}
SHAPES = ("circle", "square", "triangle", "diamond", "triangle-down")

WIDTH = 360.0
"""Drawing units across: in a phone's ~330 px wide card, 12-unit text is about 11 px tall."""
PLOT_HEIGHT = 140.0
LEFT, RIGHT = 32.0, 12.0
FONT = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"
CHAR_W = 6.4
"""Average width of a 12-unit character, to lay out the legend without measuring text."""
MAX_LEGEND_CHARS = 42


def shorten(text: str) -> str:
    """A legend label cut to ``MAX_LEGEND_CHARS`` (the ``<desc>`` keeps the whole name)."""
    text = str(text)  # a lazily translated label becomes text in the active language
    return text if len(text) <= MAX_LEGEND_CHARS else text[: MAX_LEGEND_CHARS - 1].rstrip() + "…"


def svg_text(
    x: float,
    y: float,
    content: str,
    *,
    size: float = 12,
    anchor: str = "start",
    fill: str = INK,
    bold: bool = False,
    halo: bool = False,
) -> str:
    extra = ' font-weight="700"' if bold else ""
    if halo:  # a white outline under the letters keeps them legible over lines and points
        extra += f' stroke="{BACKGROUND}" stroke-width="3" paint-order="stroke"'
    return (
        f'<text x="{num(x)}" y="{num(y)}" font-size="{num(size)}" text-anchor="{anchor}" '
        f'fill="{fill}"{extra}>{escape(str(content))}</text>'
    )


def svg_line(x1: float, y1: float, x2: float, y2: float, colour: str, extra: str = "") -> str:
    """A ``<line>``; ``extra`` holds further attributes (dashes, a class)."""
    """A ``<text>``, its content escaped; ``halo`` outlines it in the background colour."""
    ends = f'x1="{num(x1)}" y1="{num(y1)}" x2="{num(x2)}" y2="{num(y2)}"'
    return f'<line {ends} stroke="{colour}"{extra}/>'


def marker(kind: str, x: float, y: float, r: float, colour: str) -> str:
    """A filled marker outlined in the background colour, so overlapping points stay apart."""
    style = f'fill="{colour}" stroke="{BACKGROUND}" stroke-width="1.2"'
    if kind == "circle":
        return f'<circle cx="{num(x)}" cy="{num(y)}" r="{num(r)}" {style}/>'
    if kind == "square":
        s, side = r * 0.9, num(r * 1.8)
        return f'<rect x="{num(x - s)}" y="{num(y - s)}" width="{side}" height="{side}" {style}/>'
    corners = {
        "triangle": [(0, -1.2), (1.1, 0.8), (-1.1, 0.8)],
        "triangle-down": [(0, 1.2), (1.1, -0.8), (-1.1, -0.8)],
        "diamond": [(0, -1.25), (1.25, 0), (0, 1.25), (-1.25, 0)],
    }[kind]
    points = " ".join(f"{num(x + dx * r)},{num(y + dy * r)}" for dx, dy in corners)
    return f'<polygon points="{points}" {style}/>'


def mark_marker(mark: str, x: float, y: float) -> str:
    """A ring (important improvement) or a square (important worsening) around a point."""
    colour = MARK_COLOURS[mark]
    style = f'fill="none" stroke="{colour}" stroke-width="2"'
    if mark == "important_improvement":
        return f'<circle cx="{num(x)}" cy="{num(y)}" r="7.5" {style}/>'
    return f'<rect x="{num(x - 7)}" y="{num(y - 7)}" width="14" height="14" {style}/>'


def style_of(index: int) -> tuple[str, str]:
    """The colour and marker shape of the ``index``-th series."""
    return SERIES_COLOURS[index % len(SERIES_COLOURS)], SHAPES[index % len(SHAPES)]


@dataclass(frozen=True)
class Frame:
    """The plot area in drawing units and the value range it shows."""

    top: float
    low: float
    high: float

    @property
    def bottom(self) -> float:
        """The plot's lower edge."""
        return self.top + PLOT_HEIGHT

    def y(self, value: float) -> float:
        """The drawing y of ``value``, kept within the plot."""
        share = (min(max(value, self.low), self.high) - self.low) / (self.high - self.low)
        return self.bottom - share * PLOT_HEIGHT


def tick_step(span: float) -> float:
    """A round tick step giving at most six intervals."""
    return next((s for s in (1, 2, 4, 5, 10, 20, 25, 50, 100) if span / s <= 6), span / 5)


def draw_head(title: str, y_label: str, show_title: bool) -> tuple[list[str], float]:
    """The visible title and the y-axis label above the plot; returns them and the plot's top."""
    out, y = [], 0.0
    if show_title:
        out.append(svg_text(LEFT - 26, 17, title, size=15, bold=True))
        y = 24
    out.append(svg_text(LEFT - 26, y + 13, y_label, fill=MUTED))
    return out, y + 24


def draw_y_axis(frame: Frame) -> list[str]:
    """A faint line and a label at every round value, and the base line."""
    out, step = [], tick_step(frame.high - frame.low)
    for i in range(math.floor((frame.high - frame.low) / step + 1e-9) + 1):
        value = frame.low + i * step
        y = frame.y(value)
        out.append(svg_line(LEFT, y, WIDTH - RIGHT, y, GRID))
        out.append(
            svg_text(LEFT - 4, y + 3.5, value_text(value), size=11, anchor="end", fill=MUTED)
        )
    out.append(svg_line(LEFT, frame.bottom, WIDTH - RIGHT, frame.bottom, EDGE))
    return out


def draw_references(
    frame: Frame, bands: Sequence[Band], refs: Sequence[Reference], *, labelled: bool = True
) -> list[str]:
    """Shaded bands with dotted edges, and dashed reference lines labelled at their right end."""
    out = []
    for band in bands:
        top, bottom = frame.y(max(band.low, band.high)), frame.y(min(band.low, band.high))
        out.append(
            f'<rect class="band" x="{num(LEFT)}" y="{num(top)}" '
            f'width="{num(WIDTH - LEFT - RIGHT)}" height="{num(bottom - top)}" fill="{BAND}"/>'
        )
        dotted = ' stroke-dasharray="1 3"'
        out += [svg_line(LEFT, y, WIDTH - RIGHT, y, EDGE, dotted) for y in (top, bottom)]
    for ref in refs:
        y = frame.y(ref.value)
        dashed = ' stroke-dasharray="5 3" class="reference"'
        out.append(svg_line(LEFT, y, WIDTH - RIGHT, y, MUTED, dashed))
        if labelled:
            at = (WIDTH - RIGHT - 2, y - 4)
            out.append(svg_text(*at, ref.label, size=11, anchor="end", fill=MUTED, halo=True))
    return out


def draw_legend(entries: Sequence[tuple[str, str]], top: float) -> tuple[list[str], float]:
    """Legend entries (icon SVG drawn at 0,0, label) flowed into rows; returns them and the end."""
    out, x, y = [], LEFT - 26, top
    for icon, label in entries:
        width = 26 + len(label) * CHAR_W
        if x > LEFT - 26 and x + width > WIDTH - RIGHT:
            x, y = LEFT - 26, y + 16
        out.append(f'<g transform="translate({num(x)},{num(y)})">{icon}</g>')
        out.append(svg_text(x + 22, y + 4, label))
        x += width + 12
    return out, (y + 12 if entries else top)


def document(chart_id: str | None, title: str, desc: str, height: float, body: list[str]) -> str:
    """The ``<svg>`` root with its title and description, ids from ``chart_id`` or the title."""
    key = chart_id or "chart-" + hashlib.sha1(title.encode()).hexdigest()[:10]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {num(WIDTH)} '
        f'{num(height)}" width="{num(WIDTH)}" height="{num(height)}" role="img" '
        f"aria-labelledby={quoteattr(f'{key}-title {key}-desc')} font-family={quoteattr(FONT)}>"
        f"<title id={quoteattr(key + '-title')}>{escape(title)}</title>"
        f"<desc id={quoteattr(key + '-desc')}>{escape(desc)}</desc>"
        f'<rect width="{num(WIDTH)}" height="{num(height)}" fill="{BACKGROUND}"/>'
        + "".join(body)
        + "</svg>"
    )


def no_data(chart_id: str | None, title: str, y_label: str, show_title: bool, text: str) -> str:
    """A chart with no values: the empty plot saying ``text``, which is also its description."""
    head, top = draw_head(title, y_label, show_title)
    box = (
        f'<rect class="no-data" x="{num(LEFT)}" y="{num(top)}" width="{num(WIDTH - LEFT - RIGHT)}" '
        f'height="{num(PLOT_HEIGHT)}" fill="{BAND}"/>'
    )
    message = svg_text(WIDTH / 2, top + PLOT_HEIGHT / 2 + 4, text, size=13, anchor="middle")
    return document(chart_id, title, text, top + PLOT_HEIGHT + 12, [*head, box, message])
