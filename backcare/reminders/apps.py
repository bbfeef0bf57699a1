from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "backcare.reminders"
    verbose_name = "Reminders"
