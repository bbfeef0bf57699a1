"""No copy of an answer anywhere but on the screen: ``Cache-Control: no-store, private``.

Pages, API answers, PDFs, exports and the calendar feed can all carry patient data, and a shared
computer's browser cache or a proxy in between must keep none of it. So every answer backcare's
views give says so, whoever asked: one rule, not a header per view. Static files (served by
WhiteNoise, which answers before this middleware is reached) keep their long cache.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control


class NoStoreMiddleware:
    """Adds ``no-store, private`` (and Django's never-cache set) to every dynamic answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        add_never_cache_headers(response)  # max-age=0, no-cache, no-store, must-revalidate
        patch_cache_control(response, private=True)
        return response
