from django.apps import AppConfig


class RightsConfig(AppConfig):
    name = "backcare.rights"
    verbose_name = "A patient's data rights: export and erasure"
