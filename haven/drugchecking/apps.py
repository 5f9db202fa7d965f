from django.apps import AppConfig


class DrugCheckingConfig(AppConfig):
    name = "haven.drugchecking"
    label = "drugchecking"
    verbose_name = "Drug checking"
