from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "backcare.outcomes"

    def ready(self) -> None:
        from django.utils.translation import gettext, ngettext, pgettext

        from backcare.outcomes.charts import use_translations

        use_translations(gettext, ngettext, pgettext)  # charts in the reader's language
