from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "backcare.operations"

    def ready(self) -> None:
        from backcare.operations import durability  # noqa: F401  (registers the startup guard)
