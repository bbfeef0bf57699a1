"""Inviting patients and accepting invitations; creating staff logins from the shell."""

from __future__ import annotations

from contextlib import nullcontext

from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext

from backcare.accounts.language import language_of
from backcare.accounts.models import Clinic, Invitation, User, hash_token
from backcare.audit import trail
from backcare.links import absolute_url
from backcare.patients.models import Patient


class InvitationUsed(Exception):
    """The invitation was accepted (or revoked) by another request first."""


def invite_patient(patient: Patient, by: User) -> str:
    """Issue a fresh invitation (earlier ones stop working), e-mail it; return the link."""
    with transaction.atomic():
        _invitation, token = Invitation.issue(patient, by)
        trail.note(by, "invitation.issue", patient_id=patient.pk, obj=patient)
    link = absolute_url(reverse("accept_invitation", args=[token]))
    words = {"clinic": patient.clinic.name, "name": patient.first_name, "link": link}
    # the patient has no login (so no saved language) yet: the e-mail goes out in the language
    # the clinician is using, unless a returning patient saved one
    with language_of(patient.user) if patient.user_id else nullcontext():
        subject = gettext("%(clinic)s has set up your back exercise programme") % words
        body = (
            gettext(
                "Hello %(name)s,\n\n%(clinic)s uses backcare to share your exercise programme. "
                "Open this link to choose a password and see today's exercises:\n\n%(link)s\n\n"
                "The link works once and expires in 14 days.\n"
            )
            % words
        )
    send_mail(subject, body, None, [patient.email])
    return link


def find_invitation(token: str) -> Invitation | None:
    """The usable invitation for a token, or None."""
    invitation = (
        Invitation.objects.select_related("patient").filter(token_hash=hash_token(token)).first()
    )
    return invitation if invitation is not None and invitation.is_usable else None


@transaction.atomic
def accept_invitation(
    invitation: Invitation, username: str, password: str, language: str = ""
) -> User:
    """Create the patient's login and link it to their record (once, even under a race)."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not locked.is_usable or locked.patient.user_id is not None:
        raise InvitationUsed("This invitation has already been used.")  # never shown
    user = User.objects.create_user(
        username,
        invitation.patient.email,
        password,
        role=User.Role.PATIENT,
        first_name=invitation.patient.first_name,
        last_name=invitation.patient.last_name,
        language=language,
    )
    patient = invitation.patient
    patient.user = user
    patient.save(update_fields=["user"])
    Invitation.objects.filter(pk=invitation.pk).update(accepted_at=timezone.now())
    trail.note(user, "invitation.accept", patient_id=patient.pk, obj=patient)
    return user


def create_staff_login(clinic_id: int, username: str, email: str, role: str, **names: str) -> str:
    """A clinician or clinic admin created from the shell, with no password: the returned
    one-time link (Django's password reset) is where they choose their own, so no password goes
    on a command line. Raises ValueError with the reason (unknown clinic, username taken)."""
    clinic = Clinic.objects.filter(pk=clinic_id).first()
    if clinic is None:
        raise ValueError(f"No clinic with id {clinic_id}.")
    if User.objects.filter(username__iexact=username).exists():
        raise ValueError(f"The username {username!r} is taken.")
    user = User.objects.create_user(username, email, None, role=role, clinic=clinic, **names)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return absolute_url(reverse("password_reset_confirm", args=[uid, token]))
