"""Put back the rows that data migrations seed (the supply catalog, the services), after a
transactional test's flush has emptied every table.

The data migrations' own functions do it, so tests see exactly what a new installation sees.
"""

import importlib

from django.apps import apps

SEEDS = [
    ("haven.inventory.migrations.0003_default_catalog", "seed_catalog"),
    ("haven.encounters.migrations.0003_seed_services", "seed"),
]


def seed_reference_data():
    for module_name, function_name in SEEDS:
        getattr(importlib.import_module(module_name), function_name)(apps, None)
