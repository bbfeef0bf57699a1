from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "backcare.documents"
    verbose_name = "Printable documents"
