"""Two-factor sign-in for clinic staff: an authenticator app (TOTP) and single-use recovery codes.

A clinician's or clinic admin's login opens every patient record of the clinic (or its whole
audit trail), so a password alone is not enough: staff need a second factor (issue 6; NIST SP
800-63B §4.2, AAL2, "proof of possession and control of two distinct authentication factors").
Patients see only their own record and keep password-only sign-in.

The codes are checked by django-otp (RFC 6238 TOTP, 30-second steps, one step of clock drift
allowed, a code never accepted twice, exponential back-off after wrong codes). A staff session
is "verified" once a code has been accepted in it; until then ``SecondFactorMiddleware`` lets
the person reach only the pages that ask for the code.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeGuard
from urllib.parse import urlencode

import segno
from django.contrib.auth.hashers import make_password
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.middleware import is_verified
from django_otp.plugins.otp_totp.models import TOTPDevice

from backcare.accounts.models import (
    RECOVERY_ALPHABET,
    RecoveryCode,
    RecoveryCodes,
    User,
)
from backcare.problems import ApiProblem, problem_response

RECOVERY_CODE_COUNT = 10
"""Ten codes, as the big providers give: enough for a lost phone and a few mistakes."""

RECOVERY_CODE_LENGTH = 12
"""12 characters of base 32 = 60 random bits each; stored salted and slow-hashed, and guesses
are throttled, which NIST SP 800-63B §5.1.2 accepts for look-up secrets below 112 bits."""

TOTP_CODE_LENGTH = 6


def requires_two_factor(user: Any) -> TypeGuard[User]:
    """Clinicians, clinic admins and superusers need a second factor; patients do not."""
    return bool(
        user is not None
        and user.is_authenticated
        and (
            getattr(user, "role", "") in (User.Role.CLINICIAN, User.Role.ADMIN) or user.is_superuser
        )
    )


def authenticator_of(user: User) -> TOTPDevice | None:
    """The staff member's confirmed authenticator app, if they have set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_authenticator(user: User) -> TOTPDevice:
    """The authenticator being set up: the same secret until it is confirmed (a reload of the
    set-up page must not change the QR code the person has just scanned)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def readable_key(device: TOTPDevice) -> str:
    """The secret as people type it into an app without a camera: base 32 in groups of four."""
    from base64 import b32encode

    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    """The set-up link as an inline SVG QR code: drawn here, so no image service sees the key."""
    qr = segno.make(device.config_url, error="m")
    svg: str = qr.svg_inline(scale=4, border=4, dark="#000", light="#fff", omitsize=True)
    return svg


@transaction.atomic
def confirm_authenticator(user: User, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm a new authenticator with a code from it; return fresh recovery codes, or None.

    The new app replaces any earlier one, and earlier recovery codes stop working.
    """
    if device.user_id != user.pk or device.confirmed or not device.verify_token(code.strip()):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    return new_recovery_codes(user)


@transaction.atomic
def new_recovery_codes(user: User) -> list[str]:
    """Ten new single-use codes, shown once; only their hashes are kept, earlier ones end."""
    device, _created = RecoveryCodes.objects.get_or_create(
        user=user, defaults={"name": "Recovery codes"}
    )
    device.codes.all().delete()
    device.throttle_reset()
    plain = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(device=device, code_hash=make_password(code)) for code in plain
    )
    return ["-".join(code[i : i + 4] for i in range(0, len(code), 4)) for code in plain]


@dataclass(frozen=True)
class Verification:
    """What became of a code typed at the second step."""

    device: TOTPDevice | RecoveryCodes | None
    wait_until: datetime | None = None

    @property
    def used_recovery_code(self) -> bool:
        return isinstance(self.device, RecoveryCodes)


def verify_second_factor(user: User, typed: str) -> Verification:
    """Check a code from the authenticator app (six digits) or a recovery code (the rest).

    Each device is locked for the check (django-otp's ``for_verify``), so two requests racing
    with the same code cannot both be accepted.
    """
    typed = typed.strip().replace(" ", "")
    if typed.isdigit() and len(typed) == TOTP_CODE_LENGTH:
        with transaction.atomic():
            app = TOTPDevice.objects.filter(user=user, confirmed=True).select_for_update().first()
            if app is None:
                return Verification(None)
            if wait := _wait(app):
                return wait
            return Verification(app if app.verify_token(typed) else None)
    codes = RecoveryCodes.objects.filter(user=user).first()
    if codes is None:
        return Verification(None)
    if wait := _wait(codes):
        return wait
    match = codes.matching_code(typed)  # the slow hashing, with no lock held
    with transaction.atomic():
        locked = RecoveryCodes.objects.select_for_update().get(pk=codes.pk)
        if wait := _wait(locked):  # another request failed meanwhile
            return wait
        return Verification(locked if locked.use(match) else None)


def _wait(device: TOTPDevice | RecoveryCodes) -> Verification | None:
    """A refusal without checking, while the device's back-off after wrong codes runs."""
    allowed, why = device.verify_is_allowed()
    return None if allowed else Verification(None, wait_until=(why or {}).get("locked_until"))


def remaining_recovery_codes(user: User) -> int:
    return RecoveryCode.objects.filter(device__user=user).count()


def mark_verified(request: HttpRequest, device: TOTPDevice | RecoveryCodes) -> None:
    """The session has passed the second step; give it a new id (OWASP Session Management
    Cheat Sheet: renew the session ID after any privilege level change)."""
    request.session.cycle_key()
    otp_login(request, device)


@transaction.atomic
def reset_two_factor(user: User) -> None:
    """Forget the staff member's authenticator and recovery codes (a lost phone): their next
    sign-in sets up a new app, and sessions verified with the old one are no longer verified."""
    TOTPDevice.objects.filter(user=user).delete()
    RecoveryCodes.objects.filter(user=user).delete()


@receiver(user_logged_in, dispatch_uid="backcare.accounts.two_factor.forget_second_factor")
def forget_second_factor(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """Every password sign-in asks for the code again, even in a session that had passed it:
    Django keeps the session's data when the same person logs in again, and a remembered
    second factor would let the password alone keep a session going past its 8-hour limit."""
    if request is not None and hasattr(request, "session"):
        request.session.pop(DEVICE_ID_SESSION_KEY, None)


OPEN_BEFORE_SECOND_FACTOR = frozenset(
    {"two_factor_setup", "two_factor_verify", "logout", "login", "set_language"}
)
"""The only pages a staff member reaches between password and code."""


class SecondFactorMiddleware:
    """A staff session without a verified second factor reaches only the code pages.

    Pages redirect to the code page (or to setting up an app, the first time), keeping where
    the person was going; the JSON API answers a 403 problem.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not requires_two_factor(user) or is_verified(user):
            return self.get_response(request)
        try:
            name = resolve(request.path_info).url_name
        except Resolver404:
            return self.get_response(request)  # the ordinary 404
        if name in OPEN_BEFORE_SECOND_FACTOR:
            return self.get_response(request)
        if request.path_info.startswith("/api/"):
            return problem_response(
                ApiProblem(
                    403,
                    _("Sign in with your second factor (authenticator app) first."),
                    kind="second-factor-required",
                )
            )
        step = "two_factor_verify" if authenticator_of(user) else "two_factor_setup"
        return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
