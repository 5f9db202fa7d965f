"""The privacy helpers that Django code calls: blind indexes, encrypted-field inventory."""

from __future__ import annotations

from django.apps import apps

from haven.core import crypto, keys
from haven.core.fields import EncryptedTextField


def blind_index(value: str, *, purpose: str) -> str:
    """The digest to store and to look up by; normalise `value` first (the caller knows how)."""
    return crypto.blind_index(value, key=keys.blind_index_key(), purpose=purpose)


def encrypted_fields() -> list[tuple[type, EncryptedTextField]]:
    """Every encrypted column of every installed model: key rotation re-encrypts them all."""
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedTextField):
                found.append((model, field))
    return found
