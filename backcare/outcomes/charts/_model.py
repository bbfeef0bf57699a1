"""What a chart draws (points, series, reference lines, bands, weekly bars), and numbers and
dates written the same way on every machine."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

Mark = Literal["important_improvement", "important_worsening", "no_important_change"]
MARK_WORDS: dict[str, str] = {
    "important_improvement": "important improvement",
    "important_worsening": "important worsening",
    "no_important_change": "no important change",
}
"""Change labels (``instruments.classify_change``) in words, for the legend and the ``<desc>``."""


@dataclass(frozen=True)
class Point:
    """One value on a day; ``mark`` is its change label, ``note`` extra words for its tooltip."""

    on: date
    value: float
    mark: Mark | None = None
    note: str = ""

    @property
    def mark_words(self) -> str:
        """The change label in words ("important improvement"), empty when unlabelled."""
        return MARK_WORDS[self.mark] if self.mark else ""


@dataclass(frozen=True)
class Series:
    """A named run of points, drawn as markers joined by a line (``line=False``: markers only)."""

    name: str
    points: Sequence[Point]
    line: bool = True


@dataclass(frozen=True)
class Reference:
    """A horizontal line across the plot, labelled at its right end (e.g. the baseline)."""

    value: float
    label: str


@dataclass(frozen=True)
class Band:
    """A shaded horizontal zone, e.g. no clinically important change from the baseline."""

    low: float
    high: float
    label: str


@dataclass(frozen=True)
class Bar:
    """One week's bar: ``percent`` of what was prescribed (None: nothing was), ``text`` above it."""

    week_of: date
    percent: float | None
    text: str = ""


def num(v: float) -> str:
    """A coordinate: one decimal, never "-0.0"."""
    text = f"{v:.1f}"
    return "0.0" if text == "-0.0" else text


def value_text(v: float) -> str:
    """A value for words: at most one decimal, no trailing zero."""
    return num(v).removesuffix(".0")


def short_date(d: date) -> str:
    """A day as "3 Mar", written without the locale so the output is the same everywhere."""
    return f"{d.day} {MONTHS[d.month - 1]}"


def long_date(d: date) -> str:
    """A day as "3 Mar 2025"."""
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"
