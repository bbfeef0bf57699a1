"""``backcare create_clinic_admin --clinic ID USERNAME EMAIL``: the login that reads the audit log.

Like ``create_clinician``, no password goes on the command line: the command prints a one-time
link where the administrator chooses their own.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from backcare.accounts.models import Clinic, User


class Command(BaseCommand):
    help = "Create a clinic's administrator (reads the audit log) and print a password link."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--clinic", required=True, type=int, help="Clinic id.")
        parser.add_argument("username")
        parser.add_argument("email")

    def handle(self, *args: Any, **options: Any) -> None:
        clinic = Clinic.objects.filter(pk=options["clinic"]).first()
        if clinic is None:
            raise CommandError(f"No clinic with id {options['clinic']}.")
        if User.objects.filter(username__iexact=options["username"]).exists():
            raise CommandError(f"The username {options['username']!r} is taken.")
        user = User.objects.create_user(
            options["username"], options["email"], None, role=User.Role.ADMIN, clinic=clinic
        )
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        link = settings.BASE_URL + reverse("password_reset_confirm", args=[uid, token])
        self.stdout.write(f"Created administrator {user.username} of {clinic.name}.")
        self.stdout.write(f"Set the password here (one use): {link}")
