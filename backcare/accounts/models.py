"""Clinics and the people who use backcare: clinicians and patients."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin

from backcare.core.schedule import is_time_zone


def server_time_zone() -> str:
    """A new clinic's time zone until it sets its own: the server's ``TIME_ZONE`` (UTC). Reason:
    before clinics had a zone every date was the server's, so an upgraded install keeps its dates
    until the clinic says where it is."""
    return str(settings.TIME_ZONE)


def validate_time_zone(name: str) -> None:
    """Refuse anything but an IANA time zone this machine knows (``Europe/London``)."""
    if not is_time_zone(name):
        raise ValidationError(
            _("“%(zone)s” is not a time zone we know. Enter one such as Europe/London."),
            code="time_zone",
            params={"zone": name[:64]},
        )


class Clinic(models.Model):
    """A practice: its clinicians see only its patients."""

    name = models.CharField(max_length=200)
    phone = models.CharField(max_length=50, blank=True)
    email = models.EmailField(blank=True)
    address = models.TextField(blank=True)
    is_demo = models.BooleanField(default=False, help_text="Seeded demonstration data.")
    rule_settings = models.JSONField(
        default=dict, blank=True, help_text="The clinic's own progression thresholds."
    )
    time_zone = models.CharField(
        max_length=64,
        default=server_time_zone,
        validators=[validate_time_zone],
        help_text="IANA name, e.g. Europe/London: the zone its patients' days follow by default.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.name} (demo)" if self.is_demo else self.name


class User(AbstractUser):  # type: ignore[django-manager-missing]  # django-otp devices (untyped)
    """A login. Clinicians belong to a clinic; a patient's login links to their record."""

    class Role(models.TextChoices):
        CLINICIAN = "clinician", _("Clinician")
        PATIENT = "patient", _("Patient")
        ADMIN = "admin", _("Administrator")

    role = models.CharField(max_length=20, choices=Role.choices, default=Role.CLINICIAN)
    clinic = models.ForeignKey(Clinic, null=True, blank=True, on_delete=models.PROTECT)
    language = models.CharField(
        max_length=10,
        blank=True,
        help_text="A code from settings.LANGUAGES; blank follows the browser's language.",
    )

    @property
    def is_clinician(self) -> bool:
        return self.role == self.Role.CLINICIAN and self.clinic_id is not None

    @property
    def is_patient(self) -> bool:
        return self.role == self.Role.PATIENT


def is_clinic_admin(user: Any) -> bool:
    """An active login with the role ``admin`` and a clinic: the one who may read its trail.

    A separate login from the clinicians on purpose: whoever reviews access to patient data is
    not one of the people whose access is reviewed, and does not see patient records.
    """
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and getattr(user, "role", "") == User.Role.ADMIN
        and getattr(user, "clinic_id", None) is not None
    )


INVITATION_LIFETIME = timedelta(days=14)


def hash_token(token: str) -> str:
    """Invitation tokens are stored hashed so a database leak does not leak working links."""
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    """A one-time link a patient opens to set their password and reach their programme."""

    patient = models.ForeignKey("patients.Patient", on_delete=models.CASCADE)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Invitation for patient {self.patient_id}"

    @classmethod
    def issue(cls, patient: models.Model, created_by: User | None) -> tuple[Invitation, str]:
        """Create an invitation, revoking earlier open ones; return it with its secret token."""
        now = timezone.now()
        cls.objects.filter(patient=patient, accepted_at=None, revoked_at=None).update(
            revoked_at=now
        )
        token = secrets.token_urlsafe(32)
        invitation = cls.objects.create(
            patient=patient,
            token_hash=hash_token(token),
            created_by=created_by,
            created_at=now,
            expires_at=now + INVITATION_LIFETIME,
        )
        return invitation, token

    @property
    def is_usable(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class RecoveryCodes(ThrottlingMixin, TimestampMixin, Device):  # type: ignore[misc]
    """A staff member's single-use recovery codes, a django-otp device of its own.

    Each code is stored only as a salted password hash (Django's hashers, Argon2id first), so a
    leaked database does not leak working codes: NIST SP 800-63B §5.1.2.2 asks look-up secrets
    to be stored "in a form that is resistant to offline attacks", salted and hashed. A code
    that verifies is deleted: single use. Wrong codes are throttled like the authenticator's
    (django-otp's exponential back-off), so ten 60-bit codes cannot be guessed online.
    """

    def matching_code(self, token: str) -> int | None:
        """The id of the unused code ``token`` is, or None.

        Slow on purpose (a password hash per unused code, about 0.15 s each with Argon2id):
        call it outside any transaction, so that no database lock is held meanwhile (on SQLite
        a write transaction would stop every other writer for that long).
        """
        typed = normalise_recovery_code(token)
        if not typed:
            return None
        return next((c.pk for c in self.codes.all() if check_password(typed, c.code_hash)), None)

    def use(self, code_id: int | None) -> bool:
        """Spend the matched code (deleted: it works once), or count a failure for the back-off.

        Call it in a transaction holding this device's row lock; a code another request spent
        meanwhile is gone, and counts as a failure.
        """
        if code_id is not None and RecoveryCode.objects.filter(pk=code_id, device=self).delete()[0]:
            self.throttle_reset(commit=False)
            self.set_last_used_timestamp(commit=False)
            self.save()
            return True
        self.throttle_increment(commit=True)
        return False

    def verify_token(self, token: str) -> bool:
        allowed, _ = self.verify_is_allowed()
        return bool(allowed) and self.use(self.matching_code(token))

    def get_throttle_factor(self) -> int:
        return int(getattr(settings, "OTP_TOTP_THROTTLE_FACTOR", 1))


class RecoveryCode(models.Model):
    """One unused recovery code, as a salted hash; using it deletes the row."""

    device = models.ForeignKey(RecoveryCodes, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=256)

    def __str__(self) -> str:
        return f"Recovery code {self.pk} of device {self.device_id}"


RECOVERY_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford's base 32: no I, L, O or U, so a code read off paper is not mistyped."""


def normalise_recovery_code(typed: str) -> str:
    """What a person types (any case, spaces or dashes, O for 0, I or L for 1) as stored."""
    cleaned = typed.upper().replace("-", "").replace(" ", "")
    cleaned = cleaned.translate(str.maketrans("OIL", "011"))
    return cleaned if cleaned and set(cleaned) <= set(RECOVERY_ALPHABET) else ""
