"""Marking the core's words for translation without importing Django.

The core stays pure Python (a test enforces it), yet some of its text reaches people: red-flag
questions and advice, reasons for a proposal, dose wording. Wrapping such a literal in ``_()``
changes nothing here; it lets ``makemessages`` (xgettext's default keyword ``_``) copy it into
the catalogue, and the Django side translates it when it is shown (``{% translate text %}`` in a
template, ``gettext(text)`` in a view).
"""

from __future__ import annotations

__all__ = ["_"]


def _(text: str) -> str:
    """Mark ``text`` for the catalogue; it is returned unchanged (translated at display time)."""
    return text
