from django.apps import AppConfig


class OverdoseConfig(AppConfig):
    name = "haven.overdose"
    label = "overdose"
    verbose_name = "Overdose response"
