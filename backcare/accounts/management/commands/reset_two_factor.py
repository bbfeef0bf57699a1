"""``backcare reset_two_factor USERNAME``: a staff member lost their phone and recovery codes.

Their authenticator app and recovery codes are forgotten; at their next sign-in (password
first) they set up a new app. Sessions verified with the old app stop being verified at once.
Check who is asking before you run it: after a reset, the password alone enrols a new phone.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backcare.accounts.models import User
from backcare.accounts.two_factor import requires_two_factor, reset_two_factor
from backcare.audit import trail


class Command(BaseCommand):
    help = "Forget a staff member's authenticator app and recovery codes (a lost phone)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No login named {options['username']!r}.")
        if not requires_two_factor(user):
            raise CommandError(f"{user.username!r} is not staff: patients have no second factor.")
        reset_two_factor(user)
        trail.note(None, "two_factor.reset", staff_id=user.pk)
        self.stdout.write(
            f"Two-factor sign-in reset for {user.username!r}: they set up a new app at their next "
            "sign-in."
        )
