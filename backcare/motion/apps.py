from django.apps import AppConfig


class MotionConfig(AppConfig):
    name = "backcare.motion"
