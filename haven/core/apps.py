from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "haven.core"
    label = "core"
    verbose_name = "Haven core"

    def ready(self):
        from haven.core import checks  # noqa: F401  (registers Haven's own system checks)
