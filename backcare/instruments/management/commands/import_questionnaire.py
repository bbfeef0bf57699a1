"""``backcare import_questionnaire --clinic ID FILE.json --owner … --licence … --attribution …``.

Adds a licensed FHIR R4 Questionnaire to a clinic's registry, exactly as the clinician's import
page does; a refused file exits with every reason and saves nothing.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backcare.accounts.models import Clinic
from backcare.instruments.mapping import UNSCORED
from backcare.instruments.services import Licence, QuestionnaireProblem, import_instrument


class Command(BaseCommand):
    help = "Import a FHIR R4 Questionnaire into a clinic's instrument registry."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--clinic", required=True, type=int, help="Clinic id.")
        parser.add_argument("file", help="The FHIR R4 Questionnaire (JSON).")
        parser.add_argument(
            "--rule",
            default="",
            help=f"Scoring rule code, or {UNSCORED!r}; default: match the file's canonical url.",
        )
        parser.add_argument("--mapping", help="JSON file of link-id → rule item key.")
        parser.add_argument("--owner", required=True, help="Who holds the copyright.")
        parser.add_argument("--licence", required=True, help="The terms of the clinic's licence.")
        parser.add_argument(
            "--attribution", required=True, help="Text shown with the questionnaire and scores."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        clinic = Clinic.objects.filter(pk=options["clinic"]).first()
        if clinic is None:
            raise CommandError(f"No clinic with id {options['clinic']}.")
        questionnaire = _read(options["file"])
        mapping = _read(options["mapping"]) if options["mapping"] else None
        licence = Licence(options["owner"], options["licence"], options["attribution"])
        try:
            instrument = import_instrument(
                None, clinic, questionnaire, licence, rule=options["rule"], mapping=mapping
            )
        except QuestionnaireProblem as problem:
            raise CommandError(
                f"{options['file']} was not imported:\n- " + "\n- ".join(problem.reasons)
            ) from None
        self.stdout.write(
            f"Imported {instrument} ({instrument.canonical}) into {clinic.name}: "
            f"{instrument.rule_name}."
        )


def _read(name: str) -> bytes:
    try:
        return Path(name).read_bytes()
    except OSError as error:
        raise CommandError(f"Cannot read {name}: {error.strerror}.") from None
