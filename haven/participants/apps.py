from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    name = "haven.participants"
    label = "participants"
    verbose_name = "Participants"

    def ready(self):
        from haven.participants import checks  # noqa: F401  (registers the recipe check)
