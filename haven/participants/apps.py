from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    name = "haven.participants"
    label = "participants"
    verbose_name = "Participants"
