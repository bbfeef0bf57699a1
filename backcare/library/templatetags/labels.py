"""``{{ code|label }}`` and ``{{ codes|labels }}``: library codes as words (``library.labels``)."""

from collections.abc import Iterable

from django import template

from backcare.library import labels as words

register = template.Library()


@register.filter
def label(code: str) -> str:
    """One code (``swiss_ball``, ``extension_intolerant``) in the reader's language."""
    return words.caution_label(code)


@register.filter
def labels(codes: Iterable[str]) -> str:
    """Several codes in the reader's language, joined with commas."""
    return words.labels(codes)
