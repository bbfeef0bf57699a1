"""``backcare serve [--demo]``: migrate, load the library, (seed the demo), and serve."""

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Prepare the database and serve backcare with waitress (a production WSGI server)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--demo", action="store_true", help="Seed the demo clinic once.")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument(
            "--no-serve", action="store_true", help="Prepare everything, then exit."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from waitress import serve

        from backcare.accounts.two_factor import readable_key
        from backcare.demo import demo_authenticator, demo_logins, seed_demo
        from backcare.links import ALL_INTERFACES, record_serving_address
        from backcare.wsgi import application

        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_library", stdout=self.stdout)
        url = f"http://{options['host']}:{options['port']}/"
        links = record_serving_address(options["host"], options["port"])
        if options["demo"]:
            created = seed_demo()
            self.stdout.write("Demo clinic " + ("seeded." if created else "already there."))
            self.stdout.write("Demo logins (invented patients, not real data):")
            for role, username, password in demo_logins():
                self.stdout.write(f"  {role:<32} {username:<16} password: {password}")
            authenticator = demo_authenticator()
            if authenticator is not None:
                self.stdout.write(
                    "Staff (demo-clinician, demo-admin) also need a code (two-factor sign-in): "
                    "add the key "
                    f"{readable_key(authenticator)} to an authenticator app (time-based), or "
                    "run `uv run backcare demo_code` for the current code."
                )
        self.stdout.write(f"Links in e-mails and invitations start with {links}")
        if not settings.BASE_URL and options["host"] in ALL_INTERFACES:
            self.stdout.write(
                "  (a guess at this machine's address on its network: set BACKCARE_BASE_URL "
                "to the address people type, and add its host name to BACKCARE_ALLOWED_HOSTS)"
            )
        if not options["no_serve"]:
            self.stdout.write(f"backcare is ready at {url}  (Ctrl+C stops it)")
        else:
            self.stdout.write(f"backcare is prepared; `backcare serve` will serve it at {url}")
        self.stdout.flush()
        if options["no_serve"]:
            return
        proxy: dict[str, Any] = {}
        if settings.BEHIND_PROXY:  # trust X-Forwarded-* only from a proxy on this machine
            proxy = {
                "trusted_proxy": "127.0.0.1",
                "clear_untrusted_proxy_headers": True,
                "trusted_proxy_headers": "x-forwarded-proto x-forwarded-for",
            }
        serve(
            application,
            host=options["host"],
            port=options["port"],
            threads=options["threads"],
            ident="backcare",
            **proxy,
        )
