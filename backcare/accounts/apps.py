from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "backcare.accounts"

    def ready(self) -> None:
        from backcare.accounts import sessions  # noqa: F401  (starts the session clocks at login)
