"""The audit trail: one append-only row per read or write of patient data.

Append-only is enforced by the database (triggers from migration 0002 refuse UPDATE, DELETE and,
on PostgreSQL, TRUNCATE), not only here; see docs/audit.md.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """Who did what to which patient's data, with what outcome, and when."""

    class Outcome(models.TextChoices):
        OK = "ok", _("Allowed")
        NOT_FOUND = "not_found", _("Not found or not theirs")
        INVALID = "invalid", _("Rejected input")
        # one row when an address first sends too many wrong secret links (backcare.audit.probes)
        THROTTLED = "throttled", _("Refused: too many wrong links")
        # the request or job failed after touching patient data; what it wrote was rolled back
        ERROR = "error", _("Failed")

    at = models.DateTimeField(default=timezone.now, db_index=True)
    # PROTECT: a login that appears in the trail is deactivated, never deleted (the row cannot
    # be updated to forget it)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    actor_label = models.CharField(
        max_length=200,
        help_text="The actor's role and user id at the time (e.g. clinician:12), "
        "'system' or 'anonymous'; never a name.",
    )
    action = models.CharField(max_length=80)
    # a plain id, not a foreign key: the trail outlives the record it describes
    patient_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=80, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.OK)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} ({self.outcome})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit events are append-only")

    @property
    def actions(self) -> list[str]:
        """The row's action, then those of the further writes of the same request, in order."""
        return [self.action, *self.detail.get("also", [])]
