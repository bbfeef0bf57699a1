"""The one choke point for patient data: querysets scoped to the person asking.

Every model holding patient data uses :class:`ScopedManager`; views and the API reach such data
only through ``Model.objects.for_actor(user)``. A clinician sees their own clinic's patients, a
patient their own record, anyone else nothing. Another tenant's object is simply absent, so views
answer 404 for it.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models

from backcare.audit.trail import BIGINT

M = TypeVar("M", bound=models.Model)


class ScopedQuerySet(models.QuerySet[M]):
    """A queryset that knows the path from its model to the ``Patient`` it belongs to."""

    def for_actor(self, user: Any) -> ScopedQuerySet[M]:
        """Only the rows ``user`` may see."""
        path = getattr(self.model, "patient_path", "patient")
        prefix = f"{path}__" if path else ""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_clinician:
            return self.filter(**{f"{prefix}clinic_id": user.clinic_id})
        if user.is_patient:
            return self.filter(**{f"{prefix}user_id": user.pk})
        return self.none()


class ScopedManager(models.Manager[M]):
    """Manager whose querysets offer ``for_actor``."""

    def get_queryset(self) -> ScopedQuerySet[M]:
        return ScopedQuerySet(self.model, using=self._db)

    def for_actor(self, user: Any) -> ScopedQuerySet[M]:
        return self.get_queryset().for_actor(user)

    def patient_targeted(self, **lookup: Any) -> int | None:
        """The id of the patient whose row ``lookup`` names, whoever asks, or None.

        Unscoped on purpose, and only an id: a refused lookup is audited against the patient it
        aimed at, so their clinic sees the attempt in its audit log and in the patient's export.
        The row itself is never returned.
        """
        if any(isinstance(v, int) and v not in BIGINT for v in lookup.values()):
            return None  # no row has such an id (and SQLite cannot even be asked)
        path = getattr(self.model, "patient_path", "patient")
        field = f"{path}__pk" if path else "pk"
        found = self.get_queryset().filter(**lookup).values_list(field, flat=True).first()
        return None if found is None else int(found)
