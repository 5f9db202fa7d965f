from django.apps import AppConfig


class ConsumptionConfig(AppConfig):
    name = "haven.consumption"
    label = "consumption"
    verbose_name = "Supervised consumption"
