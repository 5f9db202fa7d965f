"""Encrypted columns: readable through Haven, unreadable in the raw database, hard to misuse."""

import pytest
from django.core.exceptions import FieldError
from django.db import connection, models
from django.test.utils import isolate_apps

from haven.core.fields import BlindIndexField, EncryptedTextField
from haven.core.privacy import blind_index

SECRET_NICKNAME = "Moonbeam Ortega-Quill"
SECRET_PHONE = "+1 415 555 0199"


@pytest.fixture
def contact_model(transactional_db):
    with isolate_apps("haven.core"):

        class Contact(models.Model):
            nickname = EncryptedTextField(null=True, blank=True)
            phone = EncryptedTextField(null=True, blank=True)
            code_index = BlindIndexField(db_index=True, blank=True)

            class Meta:
                app_label = "core"
                db_table = "core_test_contact"

        with connection.schema_editor() as editor:
            editor.create_model(Contact)
        try:
            yield Contact
        finally:
            with connection.schema_editor() as editor:
                editor.delete_model(Contact)


def test_an_encrypted_value_reads_back_as_written(contact_model):
    row = contact_model.objects.create(nickname=SECRET_NICKNAME, phone=None)
    fresh = contact_model.objects.get(pk=row.pk)
    assert fresh.nickname == SECRET_NICKNAME
    assert fresh.phone is None


def test_the_database_holds_only_ciphertext(contact_model):
    row = contact_model.objects.create(nickname=SECRET_NICKNAME, phone=SECRET_PHONE)
    with connection.cursor() as cursor:
        cursor.execute("SELECT nickname, phone FROM core_test_contact WHERE id = %s", [row.pk])
        raw_nickname, raw_phone = cursor.fetchone()
    assert raw_nickname.startswith("hv1:") and raw_phone.startswith("hv1:")
    assert "Moonbeam" not in raw_nickname and "555" not in raw_phone


def test_the_raw_sqlite_file_does_not_contain_the_values(contact_model):
    if connection.vendor != "sqlite":
        pytest.skip("reads the SQLite file itself; PostgreSQL is covered by the column test above")
    contact_model.objects.create(nickname=SECRET_NICKNAME, phone=SECRET_PHONE)
    connection.close()  # flush the WAL so the file holds everything
    path = connection.settings_dict["NAME"]
    if str(path).startswith("file:") or ":memory:" in str(path):
        pytest.skip("the test database lives in memory")
    raw = b""
    for suffix in ("", "-wal"):
        try:
            with open(f"{path}{suffix}", "rb") as handle:
                raw += handle.read()
        except FileNotFoundError:
            pass
    assert raw, "the test database file should exist"
    assert SECRET_NICKNAME.encode() not in raw
    assert b"555 0199" not in raw


def test_searching_an_encrypted_field_is_refused(contact_model):
    with pytest.raises(FieldError, match="encrypted"):
        contact_model.objects.filter(nickname=SECRET_NICKNAME).exists()
    with pytest.raises(FieldError):
        contact_model.objects.filter(phone__icontains="555").exists()


def test_an_encrypted_field_may_still_be_tested_for_emptiness(contact_model):
    contact_model.objects.create(nickname=None)
    assert contact_model.objects.filter(nickname__isnull=True).count() == 1


def test_an_encrypted_field_cannot_be_unique():
    with isolate_apps("haven.core"):

        class Bad(models.Model):
            secret = EncryptedTextField(unique=True)

            class Meta:
                app_label = "core"

        errors = Bad._meta.get_field("secret").check()
    assert [error.id for error in errors] == ["haven.E001"]


def test_a_blind_index_finds_a_row_without_storing_the_value(contact_model):
    contact_model.objects.create(code_index=blind_index("JO0385B", purpose="participant-code"))
    found = contact_model.objects.filter(code_index=blind_index("JO0385B", purpose="participant-code"))
    assert found.count() == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT code_index FROM core_test_contact")
        assert "JO0385B" not in cursor.fetchone()[0]
