"""``backcare demo_code``: the demo clinician's current sign-in code, for trying the demo
without setting up an authenticator app. Only the demo clinic's published key is read."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP

from backcare.demo import demo_authenticator


class Command(BaseCommand):
    help = "Print the demo staff's current two-factor code (demo clinic only)."

    def handle(self, *args: Any, **options: Any) -> None:
        device = demo_authenticator()
        if device is None:
            raise CommandError("There is no demo clinic: run `backcare serve --demo` first.")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        left = device.step - int(totp.time - device.t0) % device.step
        self.stdout.write(
            f"{totp.token():06d}  (demo-clinician and demo-admin; valid for {left} more seconds)"
        )
