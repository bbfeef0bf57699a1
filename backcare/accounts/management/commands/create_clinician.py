"""``backcare create_clinician --clinic ID USERNAME EMAIL``: add a clinician from the shell.

No password goes on the command line (it would show in the process list and shell history):
the command prints a one-time link where the clinician chooses their own.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backcare.accounts.models import User
from backcare.accounts.services import create_staff_login


class Command(BaseCommand):
    help = "Create a clinician in a clinic and print a link to set their password."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--clinic", required=True, type=int, help="Clinic id.")
        parser.add_argument("username")
        parser.add_argument("email")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            link = create_staff_login(
                options["clinic"],
                options["username"],
                options["email"],
                User.Role.CLINICIAN,
                first_name=options["first_name"],
                last_name=options["last_name"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Created clinician {options['username']}.")
        self.stdout.write(f"Set the password here (one use): {link}")
