"""Writing the audit trail: one row per unit of work, from the facts the code notes on the way.

A unit is a request (opened by :class:`AuditMiddleware` around every view) or a piece of a job
(:func:`unit`: the nightly review runs each patient as one). Code that reads patient data calls
:func:`read`, code that writes it or refuses a request :func:`note`; the unit writes **one row**
when it ends:

- the row describes the unit's main fact: the first write or refusal noted (:func:`note`), else
  the latest read (:func:`read`), so a page that finds a record and then changes it leaves the
  change, and one that finds it and changes nothing (a form error) leaves the read;
- later writes' actions ride along in ``detail["also"]`` (a refusal as ``action (outcome)``),
  their details merged;
- a POST runs in one transaction with its row: on success the row commits with the data; when
  the view raises (or answers 5xx) the data rolls back and the row is still written, with the
  outcome ``error`` unless a refusal (``not_found``, ``invalid``) was noted first. A GET writes
  nothing but its row, after the view (and so does a POST that hashes passwords: see
  :class:`AuditMiddleware`).

A service notes a refusal before it writes anything: a fact stays noted even if the transaction
it was noted in rolls back.

Outside any unit (a management command, a test calling a service) each :func:`note` is its own
unit and writes its row at once. This module imports nothing of backcare's but its own model, so
every app can note facts without importing the apps the viewer reads (docs/audit.md).

Rows can never be changed or removed (database triggers refuse it), so nothing that names a
person may go into one: the actor is labelled by role and user id, and e-mail addresses inside
``detail`` are replaced before the row is written. Callers put ids, counts, codes and field names
in ``detail``, never names or free text quoted from a person or a mail server.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.http import HttpRequest, HttpResponse

from backcare.audit.models import AuditEvent

__all__ = ["EMAIL_PLACEHOLDER", "AuditMiddleware", "Unit", "actor_label", "note", "read", "unit"]

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
EMAIL_PLACEHOLDER = "[e-mail address]"
BIGINT = range(-(2**63), 2**63)
"""The ids a 64-bit integer column (``patient_id``, every primary key) can hold."""
Outcome = AuditEvent.Outcome


def actor_label(actor: Any) -> str:
    """``role:id`` for a login, ``anonymous`` or ``system``: never a username or a name."""
    if actor is None:
        return "system"
    if not actor.is_authenticated:
        return "anonymous"
    return f"{getattr(actor, 'role', 'user')}:{actor.pk}"


def _without_addresses(value: Any) -> Any:
    if isinstance(value, str):
        return EMAIL.sub(EMAIL_PLACEHOLDER, value)
    if isinstance(value, list | tuple):
        return [_without_addresses(item) for item in value]
    if isinstance(value, dict):
        return {key: _without_addresses(item) for key, item in value.items()}
    return value


@dataclass
class Unit:
    """The facts of one unit of work, written as one row by :meth:`write`."""

    actor: Any = None
    action: str = ""
    patient_id: int | None = None
    object_type: str = ""
    object_id: str = ""
    outcome: str = Outcome.OK
    read: bool = True
    detail: dict[str, Any] = field(default_factory=dict)

    def add(
        self,
        actor: Any,
        action: str,
        patient_id: int | None,
        obj: models.Model | None,
        outcome: str,
        read: bool,
        detail: dict[str, Any],
    ) -> None:
        """Take one fact. The row's main fact is the latest read until a write or a refusal comes;
        the first write or refusal stays it, later writes ride along (their details merged) and
        later reads are dropped. The row keeps the patient and object of the last fact that named
        one."""
        if patient_id is not None and patient_id not in BIGINT:
            detail["patient_id_asked"] = str(patient_id)  # a junk id: keep it, outside the column
            patient_id = None
        if self.action and not self.read:  # settled by a write or a refusal
            if not read:  # a refusal says so beside its action; the main outcome stands
                also = action if outcome == Outcome.OK else f"{action} ({outcome})"
                self.detail.setdefault("also", []).append(also)
                self.detail.update(detail)
            return
        self.actor, self.action, self.outcome, self.read = actor, action, outcome, read
        if patient_id is not None or not self.patient_id:
            self.patient_id = patient_id
        if obj is not None:
            self.object_type, self.object_id = obj._meta.label, str(obj.pk)
        self.detail = detail  # the read it replaces said less

    def write(self) -> AuditEvent | None:
        """The unit's one row, or None when it noted nothing (it touched no patient data)."""
        if not self.action:
            return None
        authenticated = self.actor is not None and self.actor.is_authenticated
        return AuditEvent.objects.create(
            actor=self.actor if authenticated else None,
            actor_label=actor_label(self.actor),
            action=self.action,
            patient_id=self.patient_id,
            object_type=self.object_type,
            object_id=self.object_id,
            outcome=self.outcome,
            detail=_without_addresses(self.detail),
        )

    def failed(self, error: BaseException | None) -> None:
        """The unit ended in an error: say so, unless it had already refused (a 404 is not one)."""
        if self.outcome == Outcome.OK:
            self.outcome = Outcome.ERROR
            self.detail["error"] = type(error).__name__ if error is not None else "server error"


_current: ContextVar[Unit | None] = ContextVar("audit_unit", default=None)


def note(
    actor: Any,
    action: str,
    *,
    patient_id: int | None = None,
    obj: models.Model | None = None,
    outcome: str = Outcome.OK,
    read: bool = False,
    **detail: Any,
) -> AuditEvent | None:
    """Add a fact to the current unit's row, or, outside any unit, write it as a row of its own
    and return that row.

    ``actor`` is who did it: the request's user, or None for the system (seeding, jobs, a
    calendar program); the row's actor is its main fact's. A write or a refusal; reads go
    through :func:`read`.
    """
    current = _current.get()
    if current is not None:
        current.add(actor, action, patient_id, obj, outcome, read, detail)
        return None
    single = Unit()
    single.add(actor, action, patient_id, obj, outcome, read, detail)
    with transaction.atomic():
        return single.write()


def read(actor: Any, action: str, **facts: Any) -> AuditEvent | None:
    """:func:`note` for a read: a later, more specific read or any write takes its place."""
    return note(actor, action, read=True, **facts)


@contextmanager
def unit() -> Iterator[Unit]:
    """One unit of work outside a request (a job's patient, a command): one transaction, one row.

    If the block raises, its writes roll back and the row is still written (outcome ``error``),
    then the exception goes on.
    """
    outer = _current.get()
    if outer is not None:  # inside a request or another unit: its facts join that one
        yield outer
        return
    opened = Unit()
    token = _current.set(opened)
    try:
        with transaction.atomic():
            yield opened
            opened.write()
    except BaseException as error:
        opened.failed(error)
        with transaction.atomic():
            opened.write()
        raise
    finally:
        _current.reset(token)


class _FailedAnswer(Exception):
    """A view answered 5xx: leave its transaction as an exception would."""

    def __init__(self, response: HttpResponse) -> None:
        self.response = response


class AuditMiddleware:
    """Runs each view as one unit with one audit row (see the module's docstring).

    Last in ``MIDDLEWARE``: it calls the view itself from ``process_view``. A POST (any method
    that may change data) runs in one transaction that ends with the row, so what the view and
    its services write commits with the row or not at all. A GET, whose only write is its row,
    runs outside one and writes the row as it ends: on SQLite (``BEGIN IMMEDIATE``) a page being
    drawn then does not hold the database's write lock. So does a POST whose view Django's
    ``transaction.non_atomic_requests`` marks: one that spends long on work that is not the
    database's (hashing a password or ten recovery codes) and keeps its own short transactions.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view: Callable[..., HttpResponse],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> HttpResponse:
        opened = Unit()
        token = _current.set(opened)
        slow_work = DEFAULT_DB_ALIAS in getattr(view, "_non_atomic_requests", ())
        outside = request.method in ("GET", "HEAD", "OPTIONS") or slow_work
        try:
            with nullcontext() if outside else transaction.atomic():
                response = view(request, *args, **kwargs)
                if response is None:  # as Django's handler would say (it must not call it twice)
                    raise ValueError(f"The view {view.__qualname__} didn't return a response.")
                if response.status_code >= 500:
                    raise _FailedAnswer(response)
                opened.write()
            return response
        except _FailedAnswer as failed:
            opened.failed(None)
            opened.write()
            return failed.response
        except BaseException as error:
            opened.failed(error)
            opened.write()
            raise
        finally:
            _current.reset(token)
