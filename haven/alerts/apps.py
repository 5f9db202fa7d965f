from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "haven.alerts"
    label = "alerts"
    verbose_name = "Public alerts"
