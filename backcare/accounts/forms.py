"""Forms for accounts: accepting an invitation, asking for a password reset."""

from contextlib import nullcontext
from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from backcare.accounts.language import language_of
from backcare.accounts.models import User


class AcceptInvitationForm(SetPasswordForm):  # type: ignore[type-arg]
    """Choose a username and password to open the account an invitation offers."""

    field_order = ["username", "new_password1", "new_password2"]
    username = forms.CharField(
        label=_("Username"), max_length=150, help_text=_("You will log in with this name.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(User(role=User.Role.PATIENT), *args, **kwargs)

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"].strip()
        User.username_validator(username)
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("That username is taken; please choose another."))
        return username


class LanguageAwarePasswordResetForm(PasswordResetForm):
    """Django's reset form, e-mailing each user in their saved language (else the page's)."""

    def send_mail(self, *args: Any, **kwargs: Any) -> None:
        context = kwargs.get("context", args[2] if len(args) > 2 else {})
        user = context.get("user")
        with language_of(user) if getattr(user, "language", "") else nullcontext():
            super().send_mail(*args, **kwargs)
