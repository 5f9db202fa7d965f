"""The database runs the way the docs say: SQLite in WAL mode with foreign keys and a busy
timeout; passwords hashed with Argon2."""

import pytest
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher
from django.db import connection


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_foreign_keys_and_a_busy_timeout():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite settings")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 5000
        cursor.execute("PRAGMA cache_size")
        assert cursor.fetchone()[0] == -32000
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0


def test_the_default_database_lives_in_the_data_folder():
    if connection.vendor != "sqlite":
        pytest.skip("DATABASE_URL points elsewhere")
    assert settings.DATABASES["default"]["ENGINE"] == "haven.core.sqlite_backend"
    assert str(settings.DATABASES["default"]["NAME"]).startswith(str(settings.DATA_DIR))


def test_passwords_are_hashed_with_argon2(bob):
    assert identify_hasher(bob.password).algorithm == "argon2"
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
