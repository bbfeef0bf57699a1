from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "backcare.reviews"
