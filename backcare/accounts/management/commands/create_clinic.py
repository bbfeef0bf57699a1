"""``backcare create_clinic NAME``: add a clinic from the shell."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from backcare.accounts.models import Clinic, server_time_zone, validate_time_zone


class Command(BaseCommand):
    help = "Create a clinic; then add its first clinician with create_clinician."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")
        parser.add_argument("--phone", default="")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--time-zone",
            default=server_time_zone(),
            help="IANA name, e.g. Europe/London: its patients' days follow it (default: the "
            "server's TIME_ZONE).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            validate_time_zone(options["time_zone"])
        except ValidationError as error:
            raise CommandError(f"--time-zone: {' '.join(error.messages)}") from error
        clinic = Clinic.objects.create(
            name=options["name"],
            phone=options["phone"],
            email=options["email"],
            time_zone=options["time_zone"],
        )
        self.stdout.write(f"Created clinic {clinic.pk}: {clinic.name}")
        self.stdout.write(f"Next: backcare create_clinician --clinic {clinic.pk} USERNAME EMAIL")
