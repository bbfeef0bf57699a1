"""Forms for accounts: accepting an invitation."""

from typing import Any

from django import forms
from django.contrib.auth.forms import SetPasswordForm

from backcare.accounts.models import User


class AcceptInvitationForm(SetPasswordForm):  # type: ignore[type-arg]
    """Choose a username and password to open the account an invitation offers."""

    field_order = ["username", "new_password1", "new_password2"]
    username = forms.CharField(max_length=150, help_text="You will log in with this name.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(User(role=User.Role.PATIENT), *args, **kwargs)

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"].strip()
        User.username_validator(username)
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("That username is taken; please choose another.")
        return username
