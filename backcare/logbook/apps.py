from django.apps import AppConfig


class LogbookConfig(AppConfig):
    name = "backcare.logbook"
