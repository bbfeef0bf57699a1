"""The printed page: fonts, styles, SVG drawings and the numbered footer, shared by every document.

Text is set in Bitstream Vera, the TrueType font that ships inside reportlab, embedded in the
PDF: it covers Spanish and the typography we write (á ñ ¿ – ’ × ≥), and the text stays real,
extractable text. A character the font lacks is swapped for a plain equivalent (``printable``)
rather than printed as a box.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import reportlab
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, ListFlowable, ListItem, Paragraph, SimpleDocTemplate
from svglib.fonts import register_font
from svglib.svglib import svg2rlg

FONT_DIR = Path(reportlab.__file__).parent / "fonts"
FONTS = {"Vera": "Vera.ttf", "Vera-Bold": "VeraBd.ttf", "Vera-Italic": "VeraIt.ttf"}
MARGIN = 1.8 * cm
FRAME_WIDTH = A4[0] - 2 * MARGIN
BOTTOM_MARGIN = MARGIN + 0.4 * cm  # room for the footer
FRAME_HEIGHT = A4[1] - MARGIN - BOTTOM_MARGIN - 12  # less the frame's own padding
INK = colors.HexColor("#1d2a33")
MUTED = colors.HexColor("#50606b")
ALERT = colors.HexColor("#9b1c1c")
SUBSTITUTES = {"\u2192": "->", "\u2190": "<-", "\u2713": "+", "\u2717": "x"}
"""Characters our words use that Vera lacks (an arrow in "6 → 3"), and what prints instead."""

# svglib logs every SVG attribute it does not draw (role, aria-*, paint-order): not our concern
logging.getLogger("svglib.svglib").setLevel(logging.ERROR)


@cache
def register_fonts() -> None:
    """Make Vera known to reportlab (for our paragraphs) and to svglib (for chart text)."""
    for name, file in FONTS.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
    pdfmetrics.registerFontFamily(
        "Vera", normal="Vera", bold="Vera-Bold", italic="Vera-Italic", boldItalic="Vera-Bold"
    )
    # the charts ask for "system-ui, …, sans-serif"; give every family they name our font
    for family in ("system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"):
        register_font(family, str(FONT_DIR / FONTS["Vera"]), rlgFontName="Vera")
        register_font(family, str(FONT_DIR / FONTS["Vera-Bold"]), "bold", rlgFontName="Vera-Bold")


@cache
def _covered() -> frozenset[int]:
    register_fonts()
    font = pdfmetrics.getFont("Vera")
    return frozenset(font.face.charToGlyph)


def printable(text: str) -> str:
    """``text`` with each character the font cannot draw replaced by a plain equivalent."""
    covered = _covered()
    return "".join(
        ch if ord(ch) in covered or ch in "\n\t" else SUBSTITUTES.get(ch, "?") for ch in text
    )


def markup(text: str) -> str:
    """Our own or a person's text made safe inside a Paragraph's mini-markup."""
    return escape(printable(str(text)))


@dataclass(frozen=True)
class Styles:
    """The paragraph styles of every document."""

    title: ParagraphStyle
    h2: ParagraphStyle
    h2_tight: ParagraphStyle
    h3: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    dose: ParagraphStyle
    alert: ParagraphStyle
    item: ParagraphStyle
    cell: ParagraphStyle


@cache
def styles() -> Styles:
    """Large enough to read without glasses: 11 pt body text, generous leading."""
    register_fonts()
    body = ParagraphStyle(
        "body",
        fontName="Vera",
        fontSize=11,
        leading=15,
        textColor=INK,
        alignment=TA_LEFT,
        spaceAfter=4,
    )
    return Styles(
        title=ParagraphStyle(
            "title", parent=body, fontName="Vera-Bold", fontSize=20, leading=25, spaceAfter=6
        ),
        h2=ParagraphStyle(
            "h2",
            parent=body,
            fontName="Vera-Bold",
            fontSize=15,
            leading=19,
            spaceBefore=10,
            spaceAfter=6,
            keepWithNext=True,
        ),
        h2_tight=ParagraphStyle(
            "h2_tight",
            parent=body,
            fontName="Vera-Bold",
            fontSize=14,
            leading=18,
            spaceAfter=3,
            keepWithNext=True,
        ),
        h3=ParagraphStyle(
            "h3",
            parent=body,
            fontName="Vera-Bold",
            fontSize=10.5,
            leading=13,
            spaceBefore=3,
            spaceAfter=1,
            keepWithNext=True,
        ),
        body=body,
        small=ParagraphStyle("small", parent=body, fontSize=9, leading=12, textColor=MUTED),
        dose=ParagraphStyle("dose", parent=body, fontName="Vera-Bold", fontSize=12, leading=16),
        alert=ParagraphStyle("alert", parent=body, fontName="Vera-Bold", textColor=ALERT),
        item=ParagraphStyle("item", parent=body, fontSize=10, leading=13, spaceAfter=1.5),
        cell=ParagraphStyle("cell", parent=body, fontSize=9.5, leading=12, spaceAfter=0),
    )


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (escaped; never read as markup)."""
    return Paragraph(markup(text), style)


def bullets(items: Sequence[str], *, numbered: bool = False) -> ListFlowable:
    """A bulleted (or numbered) list of plain texts."""
    style = styles().item
    return ListFlowable(
        [ListItem(para(item, style), leftIndent=14) for item in items],
        bulletType="1" if numbered else "bullet",
        start=None if numbered else "•",
        bulletFontName="Vera",
        bulletFontSize=9.5,
        leftIndent=14,
        spaceAfter=2,
    )


def drawing(svg: str, *, max_width: float, max_height: float) -> Drawing:
    """One of our SVGs as a reportlab drawing, shrunk (never enlarged) to fit the box."""
    register_fonts()
    found = svg2rlg(io.StringIO(svg))
    if found is None:
        raise ValueError("svglib could not read the SVG")
    factor = min(1.0, max_width / found.width, max_height / found.height)
    found.width, found.height = found.width * factor, found.height * factor
    found.scale(factor, factor)
    return found


class _NumberedCanvas(Canvas):  # type: ignore[misc]
    """Draws the footer on every page once the page count is known ("Page 2 of 5")."""

    def __init__(self, *args: Any, footer: str, page_label: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._footer, self._page_label = footer, page_label
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._draw_footer(total)
            super().showPage()
        super().save()

    def _draw_footer(self, total: int) -> None:
        self.saveState()
        self.setFont("Vera", 8.5)
        self.setFillColor(MUTED)
        self.setStrokeColor(colors.HexColor("#c9d1d6"))
        self.line(MARGIN, 1.35 * cm, A4[0] - MARGIN, 1.35 * cm)
        self.drawString(MARGIN, 0.95 * cm, printable(self._footer))
        label = self._page_label % {"page": self._pageNumber, "pages": total}
        self.drawRightString(A4[0] - MARGIN, 0.95 * cm, printable(label))
        self.restoreState()


def build(story: list[Flowable], *, title: str, author: str, footer: str, page_label: str) -> bytes:
    """The finished PDF: A4, the story flowed over numbered pages, each with ``footer``.

    ``page_label`` is a %-format with ``page`` and ``pages`` ("Page %(page)d of %(pages)d").
    """
    register_fonts()
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=BOTTOM_MARGIN,
        title=printable(title),
        author=printable(author),
        creator="backcare",
        invariant=True,
    )
    canvas = partial(_NumberedCanvas, footer=footer, page_label=page_label)
    document.build(story, canvasmaker=canvas)
    return out.getvalue()
