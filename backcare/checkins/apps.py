from django.apps import AppConfig


class CheckinsConfig(AppConfig):
    name = "backcare.checkins"
