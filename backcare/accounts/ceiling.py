"""The per-account ceiling on failed logins: after 100, only a password reset opens the login.

NIST SP 800-63B §5.2.2 (rate limiting) asks to "limit consecutive failed authentication attempts
on a single subscriber account to no more than 100". The throttle per (username, address) pair
(``AXES_*`` settings) does not do that alone: a botnet with many addresses gets 5 tries from
each, for ever, and patients have no second factor. So once a username has had
``FAILURE_CEILING`` failed logins since its last successful one, from any address, the login
form refuses it before any password check, until the person sets a new password through the
e-mailed reset link (proof they hold the account's e-mail, not just a guess).

The failures are django-axes' own failure log (``AXES_ENABLE_ACCESS_FAILURE_LOG``: one
``AccessFailureLog`` row per failed login, attempts refused during a lockout included), keyed
by the username typed whether or not an account has it, so a username nobody has reaches the
ceiling exactly like a real one and the refusal tells an attacker nothing (OWASP Authentication
Cheat Sheet, "Authentication and Error Messages"). Axes keeps at most
``AXES_ACCESS_FAILURE_LOG_PER_USER_LIMIT`` rows per username, set to the ceiling: older ones
would not change the answer.
"""

from __future__ import annotations

from axes.models import AccessAttempt, AccessFailureLog
from axes.utils import reset
from django.conf import settings
from django.utils import timezone

__all__ = ["FAILURE_CEILING", "forget", "is_blocked", "is_reached", "restart"]

FAILURE_CEILING = 100
"""Failed logins per username since its last success (NIST SP 800-63B §5.2.2: at most 100)."""


def is_reached(username: str) -> bool:
    """Whether the username has failed ``FAILURE_CEILING`` times since it last logged in."""
    failures: int = AccessFailureLog.objects.filter(username=username).count()
    return failures >= FAILURE_CEILING


def is_blocked(username: str) -> bool:
    """Whether logging in with the username is refused right now: the ceiling, or a running
    15-minute lockout from some address (the clinic admin's Staff page shows it and lifts it)."""
    recent = timezone.now() - settings.AXES_COOLOFF_TIME
    locked = AccessAttempt.objects.filter(
        username=username,
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        attempt_time__gte=recent,
    ).exists()
    return locked or is_reached(username)


def restart(username: str) -> None:
    """Forget the username's failed logins: it has just logged in with the right password."""
    AccessFailureLog.objects.filter(username=username).delete()


def forget(username: str) -> None:
    """Forget the username's failures and lift its (username, address) lockouts: after a password
    reset (the person proved they hold the account's e-mail, so the failures were someone
    else's guessing) and when a patient is erased (the rows name the login and its addresses)."""
    restart(username)
    reset(username=username)
