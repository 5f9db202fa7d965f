"""Data migrations that turn plain-text columns into encrypted ones.

Used in three steps: alter the column to a plain TextField (widening it: ciphertext is longer than
the text), run `encrypt_columns(...)` (this module: writes the ciphertext that EncryptedTextField
would have written, bound to the same model and field), then alter it to EncryptedTextField (no
change in the database). Reversible: the backward step decrypts.
"""

from __future__ import annotations

import json

from django.db import migrations

BATCH = 500


def _convert(apps, app_label: str, model_name: str, fields: list[str], *, encrypt: bool, json_fields=()):
    from haven.core import keys

    model = apps.get_model(app_label, model_name)
    keyring = None
    rows = model._base_manager.order_by("pk").values_list("pk", *fields)
    for start in range(0, rows.count(), BATCH):
        for pk, *values in rows[start:start + BATCH]:
            keyring = keyring or keys.encryption_keyring()
            changes = {}
            for field, value in zip(fields, values, strict=True):
                if value is None:
                    continue
                context = f"{app_label}.{model_name.lower()}.{field}"
                if encrypt:
                    if field in json_fields:  # the text of the JSON column, written as EncryptedJSONField does
                        value = json.dumps(json.loads(value) if isinstance(value, str) else value, ensure_ascii=False)
                    changes[field] = keyring.encrypt(str(value), context=context)
                else:
                    changes[field] = keyring.decrypt(value, context=context)
            if changes:
                model._base_manager.filter(pk=pk).update(**changes)


def encrypt_columns(app_label: str, model_name: str, fields: list[str], *, json_fields=()) -> migrations.RunPython:
    def forward(apps, schema_editor):
        _convert(apps, app_label, model_name, fields, encrypt=True, json_fields=json_fields)

    def backward(apps, schema_editor):
        _convert(apps, app_label, model_name, fields, encrypt=False, json_fields=json_fields)

    return migrations.RunPython(forward, backward)
