"""``backcare create_clinic_admin --clinic ID USERNAME EMAIL``: the login that reads the audit log.

Like ``create_clinician``, no password goes on the command line: the command prints a one-time
link where the administrator chooses their own.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backcare.accounts.models import User
from backcare.accounts.services import create_staff_login


class Command(BaseCommand):
    help = "Create a clinic's administrator (reads the audit log) and print a password link."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--clinic", required=True, type=int, help="Clinic id.")
        parser.add_argument("username")
        parser.add_argument("email")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            link = create_staff_login(
                options["clinic"], options["username"], options["email"], User.Role.ADMIN
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Created clinic administrator {options['username']}.")
        self.stdout.write(f"Set the password here (one use): {link}")
