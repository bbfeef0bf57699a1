"""``backcare create_clinic NAME``: add a clinic from the shell."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from backcare.accounts.models import Clinic


class Command(BaseCommand):
    help = "Create a clinic; then add its first clinician with create_clinician."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")
        parser.add_argument("--phone", default="")
        parser.add_argument("--email", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        clinic = Clinic.objects.create(
            name=options["name"], phone=options["phone"], email=options["email"]
        )
        self.stdout.write(f"Created clinic {clinic.pk}: {clinic.name}")
        self.stdout.write(f"Next: backcare create_clinician --clinic {clinic.pk} USERNAME EMAIL")
