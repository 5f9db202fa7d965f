"""Keys come from the data folder, are private, can rotate, and are never silently replaced."""

import os

import pytest
from django.db import connection, models
from django.test.utils import isolate_apps

from haven import conf
from haven.core import actions, keys
from haven.core.fields import EncryptedTextField
from haven.core.models import AuditEvent, KeyCheck


@pytest.fixture
def own_data_dir(tmp_path, monkeypatch):
    """A data folder of this test's own, so it can lose and rotate keys freely."""
    monkeypatch.setenv("HAVEN_DATA_DIR", str(tmp_path))
    keys.clear_cache()
    yield tmp_path
    monkeypatch.undo()
    keys.clear_cache()


def test_new_key_files_are_private(own_data_dir):
    created = keys.keys_create_missing()
    assert len(created) == 3
    for path in created:
        assert os.stat(path).st_mode & 0o777 == 0o600
    assert os.stat(own_data_dir / "keys").st_mode & 0o777 == 0o700


def test_a_missing_key_is_a_clear_error(own_data_dir):
    keys.keys_create_missing()
    (own_data_dir / "keys" / "encryption.json").unlink()
    keys.clear_cache()
    with pytest.raises(keys.MissingKeyError, match="encryption key file .* is missing. Restore it"):
        keys.encryption_keyring()


def test_keys_ensure_creates_keys_on_a_new_installation(own_data_dir, db):
    created = actions.keys_ensure()
    assert len(created) == 3
    assert KeyCheck.objects.filter(purpose="audit").exists()
    assert actions.keys_ensure() == []


def test_keys_ensure_refuses_to_replace_a_lost_key_once_data_exists(own_data_dir, db):
    actions.keys_ensure()
    (own_data_dir / "keys" / "blind_index.key").unlink()
    keys.clear_cache()
    with pytest.raises(keys.MissingKeyError, match="holds data made with it"):
        actions.keys_ensure()
    assert not (own_data_dir / "keys" / "blind_index.key").exists()


def test_keys_ensure_notices_a_key_from_another_installation(own_data_dir, db):
    actions.keys_ensure()
    (own_data_dir / "keys" / "audit.key").unlink()
    keys.keys_create_missing()  # someone "fixes" it by making a new one
    with pytest.raises(keys.MissingKeyError, match="not the one this database was made with"):
        actions.keys_ensure()


def test_keys_from_the_environment_are_used(own_data_dir, monkeypatch):
    from haven.core import crypto

    key = crypto.new_key()
    monkeypatch.setenv("HAVEN_ENCRYPTION_KEYS", f"k7:{crypto.b64encode(key)}")
    keys.clear_cache()
    assert keys.encryption_keyring().primary == "k7"
    assert not (own_data_dir / "keys" / "encryption.json").exists()


def test_a_malformed_environment_key_is_a_clear_error(own_data_dir, monkeypatch):
    monkeypatch.setenv("HAVEN_AUDIT_KEY", "not base64 at all!!")
    keys.clear_cache()
    with pytest.raises(conf.ConfigError, match="HAVEN_AUDIT_KEY"):
        keys.audit_key()


@pytest.mark.django_db(transaction=True)
def test_rotation_reencrypts_every_value_with_the_new_key(own_data_dir):
    actions.keys_ensure()
    with isolate_apps("haven.core"):

        class Contact(models.Model):
            nickname = EncryptedTextField(null=True)

            class Meta:
                app_label = "core"
                db_table = "core_test_rotation"

        with connection.schema_editor() as editor:
            editor.create_model(Contact)
        try:
            from django.apps import apps

            Contact.objects.bulk_create([Contact(nickname=f"person {n}") for n in range(7)] + [Contact()])
            # The rotation walks every installed model; include this test model too.
            real_get_models = apps.get_models
            apps.get_models = lambda *a, **k: [*real_get_models(*a, **k), Contact]
            try:
                result = actions.keys_rotate(retire_old=True)
            finally:
                apps.get_models = real_get_models
            assert result["reencrypted"] == 7
            assert result["retired"] == ["k1"]
            assert sorted(keys.encryption_keyring().keys) == [result["key_id"]]
            with connection.cursor() as cursor:
                cursor.execute("SELECT nickname FROM core_test_rotation WHERE nickname IS NOT NULL")
                assert all(row[0].startswith(f"hv1:{result['key_id']}:") for row in cursor.fetchall())
            assert sorted(c.nickname for c in Contact.objects.exclude(nickname__isnull=True)) == [
                f"person {n}" for n in range(7)
            ]
            assert AuditEvent.objects.filter(object_type="core.key", action="security").count() == 1
            assert actions.key_problems() == []
        finally:
            with connection.schema_editor() as editor:
                editor.delete_model(Contact)
