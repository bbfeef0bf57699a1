"""Error pages in the site's layout and the reader's language: 400, 403, 404, 500, CSRF.

Django's own pages are English, and its 500 page is rendered without the request (no layout, no
language switch). These handlers give every refusal and failure one page, ``error.html``, that
says what happened in plain words and offers a way on. Under ``/api/`` the ``ProblemMiddleware``
turns whatever these answer into a problem document.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

PAGES = {
    400: (
        _("Something in that request was wrong"),
        _("The page could not read what was sent. Go back, check what you typed and try again."),
    ),
    403: (
        _("You cannot open this page"),
        _(
            "This page is not for the account you are signed in with. If you think you should "
            "see it, ask your clinic."
        ),
    ),
    404: (
        _("Page not found"),
        _(
            "There is no page at this address, or it is not one you can open. The link may be "
            "mistyped or out of date."
        ),
    ),
    500: (
        _("Something went wrong on our side"),
        _(
            "The page could not be shown because of a fault in backcare. The fault has been "
            "recorded. Nothing you saved earlier is lost; please try again in a few minutes."
        ),
    ),
}
CSRF_PAGE = (
    _("This form has expired"),
    _(
        "For your safety, forms stop working after a while or after you sign in or out "
        "elsewhere. Go back, reload the page and send the form again."
    ),
)


def error_page(
    request: HttpRequest, status: int, words: tuple[Promise, Promise] | None = None
) -> HttpResponse:
    """The error page for ``status``; a bare page if the layout itself cannot be drawn."""
    title, text = words or PAGES[status]
    try:
        return render(request, "error.html", {"title": title, "text": text}, status=status)
    except Exception:  # e.g. the database is down: the layout's menus cannot be read
        logger.exception("the %s page could not be drawn in the site's layout", status)
        body = format_html(
            '<!doctype html><meta charset="utf-8"><title>{}</title><h1>{}</h1><p>{}</p>',
            title,
            title,
            text,
        )
        return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return error_page(request, 400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return error_page(request, 403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return error_page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return error_page(request, 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Django's ``CSRF_FAILURE_VIEW``: an expired or missing form token."""
    return error_page(request, 403, CSRF_PAGE)
