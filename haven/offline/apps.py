from django.apps import AppConfig


class OfflineConfig(AppConfig):
    name = "haven.offline"
    label = "offline"
    verbose_name = "Offline outreach"
