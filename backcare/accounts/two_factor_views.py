"""The second sign-in step for staff, setting up an authenticator app, and the account page."""

from __future__ import annotations

from math import ceil
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from backcare.accounts.models import User
from backcare.accounts.requests import SignedInRequest
from backcare.accounts.two_factor import (
    authenticator_of,
    confirm_authenticator,
    mark_verified,
    new_recovery_codes,
    pending_authenticator,
    qr_code_svg,
    readable_key,
    remaining_recovery_codes,
    requires_two_factor,
    verify_second_factor,
)
from backcare.audit import trail
from backcare.audit.models import AuditEvent

FEW_RECOVERY_CODES = 3
"""At three codes left the account page and the sign-in step suggest making new ones."""


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40)  # the templates draw the input


def _next(request: HttpRequest) -> str:
    """Where to go after the step: the page the person asked for, if it is on this site."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return wanted if safe else reverse("home")


def _password_confirmed(request: HttpRequest, user: User) -> bool:
    """The person at the keyboard typed the account's password just now (OWASP Multifactor
    Authentication Cheat Sheet: re-authenticate before changing a factor), so an unattended
    signed-in computer is not enough to enrol another phone or take new recovery codes. Checked
    through ``authenticate``, so wrong passwords count towards the login throttle."""
    typed = request.POST.get("password", "")
    return (
        bool(typed) and authenticate(request, username=user.get_username(), password=typed) == user
    )


def _step(name: str, request: HttpRequest) -> str:
    return f"{reverse(name)}?{urlencode({'next': _next(request)})}"


def _staff(request: HttpRequest) -> User:
    user = request.user
    if not requires_two_factor(user):
        raise Http404  # patients sign in with their password alone
    return user


def _show_once(request: HttpRequest, codes: list[str], first_time: bool) -> HttpResponse:
    context = {"codes": codes, "next": _next(request), "first_time": first_time}
    return render(request, "two_factor/recovery_codes.html", context)


@transaction.non_atomic_requests
@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Scan a QR code (or type the key), confirm with a code from the app, get recovery codes.

    Replacing an app needs a verified session: a password alone cannot enrol a new phone.
    """
    user = _staff(request)
    if authenticator_of(user) and not user.is_verified():  # type: ignore[attr-defined]
        return redirect(_step("two_factor_verify", request))
    device = pending_authenticator(user)
    replacing = authenticator_of(user) is not None
    form = CodeForm(data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        if replacing and not _password_confirmed(request, user):
            form.add_error(None, _("Type your password to move to a new app."))
        elif (codes := confirm_authenticator(user, device, form.cleaned_data["code"])) is not None:
            device.refresh_from_db()
            mark_verified(request, device)
            trail.note(user, "two_factor.set_up")
            return _show_once(request, codes, first_time=True)
        else:
            form.add_error(
                "code",
                _(
                    "That code did not match. Check that your phone sets its clock automatically, "
                    "then type the newest code the app shows."
                ),
            )
    context = {
        "form": form,
        "qr_code": qr_code_svg(device),
        "key": readable_key(device),
        "replacing": replacing,
        "next": _next(request),
    }
    return render(request, "two_factor/setup.html", context)


@transaction.non_atomic_requests
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of a staff sign-in: a code from the app, or one recovery code."""
    user = _staff(request)
    if user.is_verified():  # type: ignore[attr-defined]
        return redirect(_next(request))
    if authenticator_of(user) is None:
        return redirect(_step("two_factor_setup", request))
    form = CodeForm(data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = verify_second_factor(user, form.cleaned_data["code"])
        if result.device is not None:
            mark_verified(request, result.device)
            method = "recovery_code" if result.used_recovery_code else "authenticator"
            trail.note(user, "two_factor.verified", method=method)
            if result.used_recovery_code:
                left = remaining_recovery_codes(user)
                messages.warning(
                    request,
                    ngettext(
                        "You used a recovery code: %(count)d is left. Make new ones on your "
                        "account page.",
                        "You used a recovery code: %(count)d are left. Make new ones on your "
                        "account page.",
                        left,
                    )
                    % {"count": left},
                )
            return redirect(_next(request))
        if result.wait_until is None:  # during the back-off nothing is checked, nor recorded
            trail.note(user, "two_factor.verify", outcome=AuditEvent.Outcome.INVALID)
        if result.wait_until is not None:
            seconds = max(1, ceil((result.wait_until - timezone.now()).total_seconds()))
            form.add_error(
                "code",
                ngettext(
                    "Too many wrong codes. Wait %(seconds)d second, then type the newest code.",
                    "Too many wrong codes. Wait %(seconds)d seconds, then type the newest code.",
                    seconds,
                )
                % {"seconds": seconds},
            )
        else:
            form.add_error(
                "code",
                _(
                    "That code did not work. Type the newest code from your authenticator app, "
                    "or one of your recovery codes."
                ),
            )
    return render(request, "two_factor/verify.html", {"form": form, "next": _next(request)})


@transaction.non_atomic_requests
@login_required
def account(request: SignedInRequest) -> HttpResponse:
    """Your account: change the password; for staff, the second factor and recovery codes."""
    user = request.user
    staff = requires_two_factor(user)
    if request.method == "POST":
        if not staff or request.POST.get("action") != "new_recovery_codes":
            return redirect("account")
        if not _password_confirmed(request, user):
            messages.error(request, _("Type your password to make new recovery codes."))
            return redirect("account")
        codes = new_recovery_codes(user)
        trail.note(user, "two_factor.recovery_codes_renewed")
        return _show_once(request, codes, first_time=False)
    context: dict[str, object] = {"staff": staff}
    if staff:
        left = remaining_recovery_codes(user)
        context |= {
            "authenticator": authenticator_of(user),
            "recovery_codes_left": left,
            "few_codes": left <= FEW_RECOVERY_CODES,
        }
    return render(request, "accounts/account.html", context)
