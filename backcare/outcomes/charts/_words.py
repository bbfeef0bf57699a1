"""The charts' own words (month names, "Line: …", the ``<desc>`` sentences) in the reader's
language, without importing Django, so a PDF renderer can reuse the charts.

The functions are named like gettext's so ``makemessages`` extracts their literals. They return
the English text until the Django app installs its translation functions with
:func:`use_translations` (``OutcomesConfig.ready``); any other user may install its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["gettext", "ngettext", "pgettext", "use_translations"]


@dataclass
class _Translations:
    gettext: Callable[[str], str] = lambda text: text
    ngettext: Callable[[str, str, int], str] = lambda one, many, n: one if n == 1 else many
    pgettext: Callable[[str, str], str] = lambda context, text: text


_installed = _Translations()


def use_translations(
    gettext: Callable[[str], str],
    ngettext: Callable[[str, str, int], str],
    pgettext: Callable[[str, str], str],
) -> None:
    """Translate the charts' words with these functions from now on."""
    _installed.gettext, _installed.ngettext, _installed.pgettext = gettext, ngettext, pgettext


def gettext(text: str) -> str:
    return _installed.gettext(text)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _installed.ngettext(singular, plural, count)


def pgettext(context: str, text: str) -> str:
    return _installed.pgettext(context, text)
