"""The request type of a view behind ``login_required``, so its ``user`` is typed."""

from __future__ import annotations

from django.http import HttpRequest

from backcare.accounts.models import User


class SignedInRequest(HttpRequest):
    """A request past ``login_required`` (or an API operation, all of which require a login):
    its ``user`` is a :class:`User`, never the anonymous one."""

    user: User
