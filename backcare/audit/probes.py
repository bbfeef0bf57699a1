"""Wrong secret links: audited, and limited per client address so they cannot flood the trail.

The calendar feed and the invitation page answer anyone holding their link. Each wrong link
writes an audit row (a refused probe), and audit rows can never be deleted, so a script sending
wrong links by the million would fill the database. The tokens are 256-bit: the limit is not
about guessing (hopeless) but about that flood, as the OWASP Denial of Service Cheat Sheet
advises for unauthenticated endpoints ("rate limiting", per client address) and the Blocking
Brute Force Attacks page ("throttling" of repeated failures).

``WRONG_LINK_LIMIT`` wrong links per address in ``WRONG_LINK_WINDOW_S``: a patient mistyping or
copying half a link fails a few times at most, and a calendar program retries a dead link a few
times an hour, so 30 in 15 minutes never refuses a person. Beyond it a wrong link answers 429
with ``Retry-After`` and writes no row, except one row (outcome ``throttled``) when the address
first crosses the limit in a window, so the trail shows that it happened. A valid link is
always served and never counted: a clinic's NAT or a shared mobile address must not lose a
patient their calendar because someone else behind it probed.

The address is the one django-axes throttles logins by (``axes.helpers.get_client_ip_address``,
with the same proxy settings), so the two limits agree. Counts live in Django's default cache:
per process (LocMemCache) unless ``CACHES`` says otherwise, which is right for ``backcare
serve`` (one process); several processes would need a shared cache. The address is not written
to the trail: rows cannot be erased, and an address is personal data.
"""

from __future__ import annotations

import math
import time
from typing import Any

from axes.helpers import get_client_ip_address
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from backcare.audit import trail
from backcare.audit.models import AuditEvent

__all__ = ["WRONG_LINK_LIMIT", "WRONG_LINK_WINDOW_S", "too_many_wrong_links", "wrong_link"]

WRONG_LINK_LIMIT = 30
"""Wrong secret links one address may send per window before they are refused (see above)."""

WRONG_LINK_WINDOW_S = 15 * 60
"""The window, from the address's first wrong link (OWASP: throttle per client, per period)."""

KEY_PREFIX = "backcare.wrong_links"


def _count(address: str) -> tuple[int, int]:
    """This wrong link's number in the address's window, and the seconds until it ends."""
    now = time.time()
    key = f"{KEY_PREFIX}:{address}"
    cache.add(f"{key}:since", now, WRONG_LINK_WINDOW_S)
    cache.add(key, 0, WRONG_LINK_WINDOW_S)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between add and incr: this link starts the next one
        cache.set(key, 1, WRONG_LINK_WINDOW_S)
        count = 1
    since = cache.get(f"{key}:since", now)
    return count, max(1, math.ceil(since + WRONG_LINK_WINDOW_S - now))


def wrong_link(request: HttpRequest, actor: Any, action: str, **detail: Any) -> int | None:
    """Count a wrong secret link from the request's address and audit it as a refused probe.

    None while the address is within the limit (answer 404 as usual); past it, the seconds until
    its window ends (answer with ``too_many_wrong_links``), with one ``throttled`` row at the
    crossing and none after.
    """
    count, retry_after_s = _count(get_client_ip_address(request) or "unknown")
    if count <= WRONG_LINK_LIMIT:
        trail.note(actor, action, outcome=AuditEvent.Outcome.NOT_FOUND, **detail)
        return None
    if count == WRONG_LINK_LIMIT + 1:
        trail.note(
            actor,
            action,
            outcome=AuditEvent.Outcome.THROTTLED,
            limit=WRONG_LINK_LIMIT,
            window_s=WRONG_LINK_WINDOW_S,
            **detail,
        )
    return retry_after_s


def too_many_wrong_links(
    request: HttpRequest, retry_after_s: int, template: str = ""
) -> HttpResponse:
    """The 429 answer (RFC 6585): the template's page, or a sentence of plain text."""
    if template:
        response = render(
            request, template, {"retry_after_min": math.ceil(retry_after_s / 60)}, status=429
        )
    else:
        text = _("Too many wrong links from your address. Try again later.")
        response = HttpResponse(text, status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(retry_after_s)
    return response
