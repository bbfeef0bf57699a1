from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "backcare.programmes"
