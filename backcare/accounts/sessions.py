"""How long a sign-in lasts: staff are signed out after 15 idle minutes, everyone at a hard limit.

A clinician's or clinic admin's session opens every patient record of the clinic, and clinic
computers are often shared, so an unattended staff session must end soon (issue 6:
15 minutes for staff). The OWASP Session Management Cheat Sheet, "Session Expiration", gives
15–30 minutes of idle time for low-risk applications and 2–5 for high-value ones, and an
absolute timeout of 4–8 hours for an application used during a full working day; health data
is sensitive, so staff get the low end of the idle range and a working day at most. Patients
use backcare on their own phone, see only their own record, and their offline outbox posts in
the background every minute, so they get no idle timeout and a 30-day absolute lifetime. Both
stay within NIST SP 800-63B (rev. 3): staff sign in at AAL2 (password and TOTP), which must
re-authenticate at least every 12 hours and after 30 idle minutes (§4.2.3); patients at AAL1,
which should re-authenticate at least every 30 days (§4.1.3). ASVS 4.0 V3.3.2 asks for
re-authentication both after an idle period and periodically while in use.

The numbers are settings (``BACKCARE_STAFF_IDLE_TIMEOUT``, ``BACKCARE_STAFF_SESSION_LIFETIME``,
``BACKCARE_PATIENT_SESSION_LIFETIME``). The server decides from its own clock: the login time
and the last request are kept in the session, and ``SessionLifetimeMiddleware`` ends a session
past either limit. The page script ``session.js`` only warns before the idle end and reports
keyboard and pointer use (through ``keep_alive``), so a long note is not cut off mid-sentence.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.contrib.sessions.backends.base import SessionBase
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from backcare.accounts.context import second_factor_pending
from backcare.accounts.two_factor import requires_two_factor
from backcare.problems import ApiProblem, problem_response

__all__ = [
    "LAST_SEEN_AT",
    "LOGIN_AT",
    "Ending",
    "SessionLifetimeMiddleware",
    "keep_alive",
    "staff_session",
]

LOGIN_AT = "backcare.login_at"
LAST_SEEN_AT = "backcare.last_seen_at"
"""Session keys: seconds since the epoch (``time.time()``) of the login and the last request."""

NOTICE_GRACE = timedelta(minutes=15)
"""The stored session and its cookie outlive the absolute limit by this much, so a request
arriving just after it still finds the session and can be told why it ended (the middleware
refuses the session from the limit itself; afterwards Django forgets it on its own)."""

ENDS_WITHOUT_REDIRECT = frozenset({"login", "logout"})
"""Pages that go on after the session is ended: sending the login page to the login page
would only lose a form being posted to it."""


class Ending(enum.Enum):
    """Why the server ended a session."""

    IDLE = "idle"
    LIFETIME = "lifetime"


def is_clinic_staff(user: Any) -> bool:
    """Staff limits for the logins that also need a second factor: clinicians, clinic admins
    and superusers (one definition of "staff", in ``two_factor``)."""
    return requires_two_factor(user)


def lifetime_of(user: Any) -> timedelta:
    """The absolute lifetime from login: a working day for staff, 30 days for patients."""
    if is_clinic_staff(user):
        return settings.BACKCARE_STAFF_SESSION_LIFETIME
    return settings.BACKCARE_PATIENT_SESSION_LIFETIME


def start(session: SessionBase, user: Any, now_s: float) -> None:
    """Start the clocks: login time now, and the session and cookie end by themselves."""
    session[LOGIN_AT] = now_s
    session[LAST_SEEN_AT] = now_s
    end = datetime.fromtimestamp(now_s, tz=UTC) + lifetime_of(user) + NOTICE_GRACE
    session.set_expiry(end)


@receiver(user_logged_in, dispatch_uid="backcare.accounts.sessions.start")
def start_at_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    start(request.session, user, time.time())


def ending(session: SessionBase, user: Any, now_s: float) -> Ending | None:
    """Why this session is over at ``now_s``, or None while it is valid."""
    login_at = session.get(LOGIN_AT)
    if login_at is None:  # a session from before this rule: it starts now
        return None
    if now_s >= login_at + lifetime_of(user).total_seconds():
        return Ending.LIFETIME
    idle_s = settings.BACKCARE_STAFF_IDLE_TIMEOUT.total_seconds()
    if is_clinic_staff(user) and now_s >= session.get(LAST_SEEN_AT, login_at) + idle_s:
        return Ending.IDLE
    return None


def see(session: SessionBase, user: Any, now_s: float) -> None:
    """Record a request: staff's idle clock starts again; patients have none to restart."""
    if session.get(LOGIN_AT) is None:
        start(session, user, now_s)
    elif is_clinic_staff(user):
        session[LAST_SEEN_AT] = now_s


def notice(why: Ending) -> str:
    """What the login page says about the ended session."""
    if why is Ending.IDLE:
        minutes = max(1, round(settings.BACKCARE_STAFF_IDLE_TIMEOUT.total_seconds() / 60))
        return ngettext(
            "You were signed out after %(minutes)d minute without activity, to protect "
            "patients' data. Log in again to continue.",
            "You were signed out after %(minutes)d minutes without activity, to protect "
            "patients' data. Log in again to continue.",
            minutes,
        ) % {"minutes": minutes}
    hours = max(1, round(settings.BACKCARE_STAFF_SESSION_LIFETIME.total_seconds() / 3600))
    return ngettext(
        "Your session reached its %(hours)d-hour limit, to protect patients' data. "
        "Log in again to continue.",
        "Your session reached its %(hours)d-hour limit, to protect patients' data. "
        "Log in again to continue.",
        hours,
    ) % {"hours": hours}


def patient_notice() -> str:
    days = settings.BACKCARE_PATIENT_SESSION_LIFETIME.days
    return ngettext(
        "Your sign-in lasts %(days)d day and has ended. Log in again to continue.",
        "Your sign-in lasts %(days)d days and has ended. Log in again to continue.",
        days,
    ) % {"days": days}


def url_name(request: HttpRequest) -> str | None:
    try:
        return resolve(request.path_info).url_name
    except Resolver404:
        return None


class SessionLifetimeMiddleware:
    """End a session past its idle or absolute limit; otherwise note the request as activity.

    Pages redirect to the login page (with ``next``, and the reason as a message on it); the
    JSON API and the page script's keep-alive answer a 401 problem instead of a redirect.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return self.get_response(request)
        now_s = time.time()
        why = ending(request.session, user, now_s)
        if why is None:
            see(request.session, user, now_s)
            return self.get_response(request)
        text = notice(why) if is_clinic_staff(user) else patient_notice()
        logout(request)
        if request.path_info.startswith("/api/"):
            return problem_response(ApiProblem(401, text, kind="session-ended"))
        messages.info(request, text)  # shown on the login page
        name = url_name(request)
        if name == "session_keep_alive":  # the page script sends the browser to the login page
            return problem_response(ApiProblem(401, text, kind="session-ended"))
        if name in ENDS_WITHOUT_REDIRECT:
            return self.get_response(request)
        return redirect_to_login(request.get_full_path())  # as @login_required does


@require_POST
def keep_alive(request: HttpRequest) -> HttpResponse:
    """A staff page reports keyboard or pointer use: the middleware has already restarted the
    idle clock, so there is nothing left to do but say so (204, no body)."""
    if not request.user.is_authenticated:
        return problem_response(ApiProblem(401, _("Log in first."), kind="not-logged-in"))
    if not is_clinic_staff(request.user):
        return problem_response(ApiProblem(403, _("Only clinic staff have an idle timeout.")))
    return HttpResponse(status=204)


def staff_session(request: HttpRequest) -> dict[str, Any]:
    """Timings for the staff pages' warning script (``session.js``), from the settings."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not is_clinic_staff(user):
        return {}
    if second_factor_pending(request)["second_factor_pending"]:
        return {}  # the code pages: no keep-alive until the second step is passed
    return {
        "staff_session": {
            "idle_s": int(settings.BACKCARE_STAFF_IDLE_TIMEOUT.total_seconds()),
            "warning_s": int(settings.BACKCARE_IDLE_WARNING.total_seconds()),
            "report_every_s": int(settings.BACKCARE_ACTIVITY_REPORT_INTERVAL.total_seconds()),
        }
    }
