from django.apps import AppConfig


class BrandingConfig(AppConfig):
    name = "haven.branding"
    label = "branding"
    verbose_name = "Program branding"
