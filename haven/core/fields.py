"""Model fields that make the privacy primitives easy to use and hard to misuse."""

from __future__ import annotations

import json

from django.core import checks
from django.core.exceptions import FieldError
from django.db import models

from haven.core import keys


class EncryptedTextField(models.TextField):
    """Text stored encrypted (AES-256-GCM); the database only ever sees ciphertext.

    The ciphertext is bound to this model and field, so it cannot be copied into another column.
    Encrypted values cannot be searched, sorted, indexed or made unique: filtering on them raises,
    because a silent empty result would hide the mistake. Look rows up with a blind index instead.
    """

    description = "Encrypted text"
    ALLOWED_LOOKUPS = {"isnull"}

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        self.encryption_context = f"{cls._meta.app_label}.{cls._meta.model_name}.{name}"

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        if self.unique or self.db_index or self.primary_key:
            errors.append(
                checks.Error(
                    "An encrypted field cannot be unique, indexed or a primary key.",
                    hint="Add a BlindIndexField for lookups.",
                    obj=self,
                    id="haven.E001",
                )
            )
        return errors

    def get_lookup(self, lookup_name):
        if lookup_name not in self.ALLOWED_LOOKUPS:
            raise FieldError(
                f"{self.encryption_context} is encrypted and cannot be searched with '{lookup_name}'; "
                "use a blind index."
            )
        return super().get_lookup(lookup_name)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None:
            return None
        return keys.encryption_keyring().encrypt(str(value), context=self.encryption_context)

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return keys.encryption_keyring().decrypt(value, context=self.encryption_context)


class EncryptedJSONField(EncryptedTextField):
    """A list or dict (JSON) stored encrypted like EncryptedTextField: for structured words a person
    may have typed (the substances someone suspected). Count or group by its values in Python."""

    description = "Encrypted JSON"

    def get_prep_value(self, value):
        if value is None:
            return None
        return keys.encryption_keyring().encrypt(json.dumps(value, ensure_ascii=False),
                                                 context=self.encryption_context)

    def from_db_value(self, value, expression, connection):
        text = super().from_db_value(value, expression, connection)
        return None if text is None else json.loads(text)

    def to_python(self, value):
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                return value
        return value

    def value_to_string(self, obj):
        return json.dumps(self.value_from_object(obj), ensure_ascii=False)


class BlindIndexField(models.CharField):
    """A keyed hash (HMAC-SHA256) of a value that is never stored: lookup without the value.

    Compute the digest with haven.core.privacy.blind_index(value, purpose=...).
    """

    description = "Blind index (keyed hash)"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == 64:
            del kwargs["max_length"]
        if kwargs.get("editable") is False:
            del kwargs["editable"]
        return name, path, args, kwargs
