"""What a chart draws (points, series, reference lines, bands, weekly bars), and numbers and
dates written the same way on every machine."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from backcare.core.svg import num
from backcare.outcomes.charts._words import gettext, pgettext

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
"""Month abbreviations, translated at use (``pgettext("month", …)``), not taken from the machine's
locale, so the output depends only on the language chosen."""
MONTH_MSGIDS = (
    pgettext("month", "Jan"),
    pgettext("month", "Feb"),
    pgettext("month", "Mar"),
    pgettext("month", "Apr"),
    pgettext("month", "May"),
    pgettext("month", "Jun"),
    pgettext("month", "Jul"),
    pgettext("month", "Aug"),
    pgettext("month", "Sep"),
    pgettext("month", "Oct"),
    pgettext("month", "Nov"),
    pgettext("month", "Dec"),
)
"""The abbreviations as ``makemessages`` should find them (evaluated once, untranslated)."""

Mark = Literal["important_improvement", "important_worsening", "no_important_change"]


class _MarkWords(dict[str, str]):
    """Looks each label's words up in the active language when they are read."""

    def __getitem__(self, key: str) -> str:
        return gettext(super().__getitem__(key))


MARK_WORDS: dict[str, str] = _MarkWords(
    important_improvement=gettext("important improvement"),
    important_worsening=gettext("important worsening"),
    no_important_change=gettext("no important change"),
)
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


def value_text(v: float) -> str:
    """A value for words: at most one decimal, no trailing zero."""
    return num(v).removesuffix(".0")


def short_date(d: date) -> str:
    """A day as "3 Mar", written without the locale so the output is the same everywhere."""
    return f"{d.day} {pgettext('month', MONTHS[d.month - 1])}"


def long_date(d: date) -> str:
    """A day as "3 Mar 2025"."""
    return f"{d.day} {pgettext('month', MONTHS[d.month - 1])} {d.year}"
