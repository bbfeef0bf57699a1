"""Django's login and set-new-password forms, with the per-account failure ceiling added."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from backcare.accounts import ceiling
from backcare.accounts.models import User

__all__ = ["LoginForm", "ResetPasswordForm"]


class LoginForm(AuthenticationForm):
    """Refuses a username past the failure ceiling before its password is checked."""

    error_messages = {
        **AuthenticationForm.error_messages,
        # The same words whether or not an account has this username (no enumeration).
        "ceiling": _(
            "Logging in with this username is blocked after too many failed attempts. To log in "
            "again, set a new password: follow “Forgotten your password?” below and the link "
            "it e-mails you."
        ),
    }

    def clean(self) -> dict[str, Any]:
        username: str | None = self.cleaned_data.get("username")
        if username and ceiling.is_reached(username):
            raise forms.ValidationError(self.error_messages["ceiling"], code="ceiling")
        cleaned_data = super().clean()  # checks the password (axes counts a failure)
        if username and self.user_cache is not None:  # right password, active: they log in now
            ceiling.restart(username)
        return cleaned_data


class ResetPasswordForm(SetPasswordForm):  # type: ignore[type-arg]
    """Setting a new password from the e-mailed link restarts the failure count."""

    def save(self, commit: bool = True) -> User:
        user: User = super().save(commit)
        ceiling.forget(user.get_username())
        return user
