from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "amn.core"
    verbose_name = "Amn core"
