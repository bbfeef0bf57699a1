"""Each user's language: saved from the switch, followed on every page and in their e-mails.

A blank preference follows the browser (Django's ``LocaleMiddleware``: the language cookie, then
``Accept-Language``). A saved one wins over both, so e-mails and PDFs made for that user later, and
pages on another device, come in the language they chose.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.i18n import set_language as django_set_language

from backcare.audit import trail

__all__ = [
    "UserLanguageMiddleware",
    "chosen_language",
    "language_of",
    "set_language",
    "supported",
]


def supported(code: str | None) -> bool:
    """Whether ``code`` is one of the languages backcare ships (``settings.LANGUAGES``)."""
    return bool(code) and code in dict(settings.LANGUAGES)


def language_of(user: Any) -> translation.override:
    """``with language_of(user):`` renders text (an e-mail, a PDF) in the user's language.

    A user with no saved preference (or none at all) gets the site's default language, not
    whatever language the request that triggered the e-mail happened to be in.
    """
    code = getattr(user, "language", "") if user is not None else ""
    return translation.override(code if supported(code) else settings.LANGUAGE_CODE)


def chosen_language(request: HttpRequest) -> str:
    """The language a visitor picked with the switch (its cookie), or "" if they never did."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return code if supported(code) else ""


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's ``set_language`` (cookie, redirect) that also saves a logged-in user's choice."""
    response = django_set_language(request)
    code = request.POST.get("language", "")
    user: Any = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    if request.method == "POST" and signed_in and supported(code) and user.language != code:
        with transaction.atomic():  # an account setting, not patient data, but kept on record
            user.language = code
            user.save(update_fields=["language"])
            trail.note(user, "account.language", obj=user, language=code)
    return response


class UserLanguageMiddleware:
    """Activate the logged-in user's saved language (after AuthenticationMiddleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        code = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        if not supported(code):
            return self.get_response(request)
        with translation.override(code):  # not activate(): the thread must not keep it
            request.LANGUAGE_CODE = code
            response = self.get_response(request)
        response.headers["Content-Language"] = code
        return response
