"""Home, and the patient's invitation page."""

from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from backcare.accounts.forms import AcceptInvitationForm
from backcare.accounts.language import chosen_language
from backcare.accounts.models import is_clinic_admin
from backcare.accounts.services import InvitationUsed, find_invitation
from backcare.accounts.services import accept_invitation as accept
from backcare.audit import trail
from backcare.audit.probes import too_many_wrong_links, wrong_link


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each person to their starting page."""
    if request.user.is_patient:  # type: ignore[union-attr]
        return redirect("today")
    if request.user.is_clinician:  # type: ignore[union-attr]
        return redirect("patient_list")
    if is_clinic_admin(request.user):  # the clinic's administrator reads its audit log
        return redirect("audit_log")
    return render(request, "accounts/no_role.html")


@transaction.non_atomic_requests  # sets a password: a slow hash (see accounts/urls.py)
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Open a patient's account from their invitation link."""
    invitation = find_invitation(token)
    if invitation is None:  # unknown, used or expired: a refused probe, limited per address
        retry_after_s = wrong_link(request, request.user, "invitation.view", via="invitation link")
        if retry_after_s is not None:
            return too_many_wrong_links(
                request, retry_after_s, "accounts/too_many_wrong_links.html"
            )
        return render(request, "accounts/invitation_invalid.html", status=404)
    form = AcceptInvitationForm(data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = accept(
                invitation,
                form.cleaned_data["username"],
                form.cleaned_data["new_password1"],
                language=chosen_language(request),
            )
        except InvitationUsed:
            return render(request, "accounts/invitation_invalid.html", status=404)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("today")
    # the page shows the patient's first name and clinic: a read of patient data
    trail.read(request.user, "invitation.view", patient_id=invitation.patient_id, obj=invitation)
    context = {
        "form": form,
        "clinic": invitation.patient.clinic,
        "name": invitation.patient.first_name,
    }
    return render(request, "accounts/accept_invitation.html", context)
