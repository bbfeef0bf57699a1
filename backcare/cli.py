"""The ``backcare`` console script: Django's management commands with backcare's settings."""

import os
import sys


def main() -> None:
    """Run a management command, e.g. ``backcare serve --demo``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backcare.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
