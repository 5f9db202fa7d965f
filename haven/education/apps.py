from django.apps import AppConfig


class EducationConfig(AppConfig):
    name = "haven.education"
    label = "education"
    verbose_name = "Education: fact sheets and interactions"
