from django.apps import AppConfig


class ExtraAppConfig(AppConfig):
    name = "tests.participation.extra_app"
    label = "extra_app"
