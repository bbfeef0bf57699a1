"""``backcare send_reminders``: e-mail the reminders due now (run it every 15 minutes)."""

from typing import Any

from django.core.management.base import BaseCommand

from backcare.reminders.delivery import send_reminders


class Command(BaseCommand):
    help = "E-mail each patient whose session time fell due in the last two hours; safe to repeat."

    def handle(self, *args: Any, **options: Any) -> None:
        report = send_reminders()
        skipped = ", ".join(
            f"{n} {why.replace('_', ' ')}" for why, n in sorted(report.skipped.items())
        )
        self.stdout.write(
            f"Reminders: {report.sent} sent, {report.failed} failed (retried next run), "
            f"{report.already} already handled, skipped: {skipped or 'none'}."
        )
