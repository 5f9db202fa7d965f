from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "haven.inventory"
    label = "inventory"
    verbose_name = "Supplies and inventory"

    def ready(self):
        from haven.inventory import checks  # noqa: F401  (registers the stock balance check)
