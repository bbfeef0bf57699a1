"""The clinic admin's staff page: who can sign in, with what second factor, and the two things
an admin is asked for most — "I lost my phone" and "they have left"."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from backcare.accounts import ceiling
from backcare.accounts.models import User, is_clinic_admin
from backcare.accounts.two_factor import reset_two_factor
from backcare.audit import trail

ACTIONS = {
    "reset_two_factor": "staff.two_factor_reset",
    "deactivate": "staff.deactivate",
    "reactivate": "staff.reactivate",
    "unblock": "staff.unblock",
}


def _admin(request: HttpRequest) -> Any:
    if not is_clinic_admin(request.user):
        raise PermissionDenied("The staff page is for the clinic's administrator.")
    return request.user


@login_required
def staff_list(request: HttpRequest) -> HttpResponse:
    """The clinic's clinicians and admins (never patients); POST acts on one of them."""
    admin = _admin(request)
    if request.method == "POST":
        return _act(request, admin)
    with_app = Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
    staff = (
        User.objects.filter(clinic_id=admin.clinic_id)
        .exclude(role=User.Role.PATIENT)
        .annotate(has_app=with_app, codes_left=Count("recoverycodes__codes", distinct=True))
        .order_by("-is_active", "username")
    )
    # a clinic's handful of staff: one small query each for a running lockout
    rows = [(person, ceiling.is_blocked(person.get_username())) for person in staff]
    return render(request, "accounts/staff.html", {"rows": rows})


def _act(request: HttpRequest, admin: Any) -> HttpResponse:
    """Reset a second factor, or deactivate / reactivate a login, of the admin's own clinic.

    Another clinic's login, a patient's, or an unknown id answers 404 alike; the admin cannot
    lock themself out (a second admin, or the ``reset_two_factor`` command, does that).
    """
    action = request.POST.get("action", "")
    if action not in ACTIONS:
        raise Http404("Unknown action.")
    staff_id = request.POST.get("staff", "")
    if not (staff_id.isascii() and staff_id.isdigit()) or int(staff_id) >= 2**63:
        raise Http404("No such colleague in your clinic.")
    with transaction.atomic():
        person = (
            User.objects.select_for_update()
            .filter(pk=int(staff_id), clinic_id=admin.clinic_id)
            .exclude(role=User.Role.PATIENT)
            .first()
        )
        if person is None or person.pk == admin.pk:
            raise Http404("No such colleague in your clinic.")
        if action == "unblock":  # failed logins were someone's guessing, or a forgetful colleague
            ceiling.forget(person.get_username())
            message = _("Sign-in unblocked for %(name)s.")
        elif action == "reset_two_factor":
            reset_two_factor(person)
            message = _(
                "Two-factor sign-in reset for %(name)s: they set up a new app at their next "
                "sign-in."
            )
        else:
            person.is_active = action == "reactivate"
            person.save(update_fields=["is_active"])  # an inactive login's sessions end at once
            message = (
                _("%(name)s can sign in again.")
                if person.is_active
                else _("%(name)s can no longer sign in; their open sessions have ended.")
            )
        trail.note(admin, ACTIONS[action], staff_id=person.pk)
    messages.success(request, message % {"name": person.get_username()})
    return redirect("staff_list")
