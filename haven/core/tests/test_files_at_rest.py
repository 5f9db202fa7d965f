"""The data folder is Haven's alone: the folder 0700, the database (and its WAL and SHM) and keys 0600,
and `haven check` reports anything looser."""

import os
import sqlite3

import pytest

from haven.testing.processes import run_haven


def mode(path):
    return os.stat(path).st_mode & 0o777


@pytest.fixture
def installation(tmp_path):
    data = tmp_path / "data"
    created = run_haven("createadmin", "--username", "alice", data_dir=data)
    assert created.returncode == 0, created.stderr
    return data


def test_a_new_installation_is_private_to_its_owner(installation):
    assert mode(installation) == 0o700
    assert mode(installation / "haven.sqlite3") == 0o600
    assert mode(installation / "keys") == 0o700
    for key_file in (installation / "keys").iterdir():
        assert mode(key_file) == 0o600, key_file


def test_the_write_ahead_log_gets_the_database_files_mode(installation):
    old_umask = os.umask(0o022)  # as a careless shell would have it
    try:
        database = sqlite3.connect(installation / "haven.sqlite3")
        database.execute("PRAGMA journal_mode=WAL")
        database.execute("CREATE TABLE scratch (n INTEGER)")
        database.commit()
        assert mode(f"{installation}/haven.sqlite3-wal") == 0o600
        assert mode(f"{installation}/haven.sqlite3-shm") == 0o600
        database.close()
    finally:
        os.umask(old_umask)


def test_haven_check_passes_on_a_private_installation(installation):
    check = run_haven("check", data_dir=installation)
    assert "haven.E01" not in check.stderr, check.stderr


def test_haven_check_reports_a_readable_database_and_folder(installation):
    os.chmod(installation, 0o755)
    os.chmod(installation / "haven.sqlite3", 0o644)
    check = run_haven("check", data_dir=installation)
    assert check.returncode == 1
    assert f"haven.E013) The data folder {installation} can be opened by others (mode 755)" in check.stderr
    assert f"haven.E014) The database file {installation}/haven.sqlite3 can be read by others (mode 644)" in (
        check.stderr
    )
    assert f"chmod 600 {installation}/haven.sqlite3" in check.stderr


def test_haven_check_reports_a_readable_key_file(installation):
    os.chmod(installation / "keys" / "audit_head.json", 0o644)
    check = run_haven("check", data_dir=installation)
    assert check.returncode == 1
    assert "audit_head.json can be read by others (mode 644)" in check.stderr
