from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "haven.places"
    label = "places"
    verbose_name = "Sites and areas"
