"""`haven backup` while visits are being logged, and `haven restore` into a new data folder (the restore
drill of docs/OPERATIONS.md), on the database the suite runs on; a damaged, partial or tampered backup
is refused and nothing is written."""

import hashlib
import json
import os
import sqlite3
import threading
import uuid
from pathlib import Path

import pytest
from django.db import connection

from haven.core import backup
from haven.core.models import AuditEvent
from haven.encounters import actions as encounter_actions
from haven.encounters.models import Encounter
from haven.testing.processes import run_haven

PASSPHRASE = "correct horse battery staple"


class VisitLogger(threading.Thread):
    """Staff member Bob logging visits through the action, one after another, until told to stop."""

    def __init__(self, bob, site):
        super().__init__(daemon=True)
        self.bob, self.site = bob, site
        self.logged = 0
        self.errors = []
        self.stop = threading.Event()
        self.progress = threading.Condition()

    def run(self):
        from django.db import connection as thread_connection

        try:
            while not self.stop.is_set():
                encounter_actions.encounter_record(
                    actor=self.bob, client_id=uuid.uuid4(), site=self.site, service_mode="fixed"
                )
                with self.progress:
                    self.logged += 1
                    self.progress.notify_all()
        except Exception as error:  # collected and asserted by the test
            self.errors.append(error)
            with self.progress:
                self.progress.notify_all()
        finally:
            thread_connection.close()

    def wait_for(self, count):
        with self.progress:
            assert self.progress.wait_for(lambda: self.logged >= count or self.errors, timeout=120)
        assert not self.errors, self.errors


@pytest.fixture
def restored_postgres_url():
    """A new, empty PostgreSQL database for the restore, dropped afterwards."""
    import psycopg

    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    name = f"haven_restore_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"{base}/{name}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def restored_rows(*, data_dir, url, sql):
    if url:
        import psycopg

        with psycopg.connect(url) as restored:
            return restored.execute(sql).fetchall()
    restored = sqlite3.connect(data_dir / "haven.sqlite3")
    try:
        return restored.execute(sql).fetchall()
    finally:
        restored.close()


@pytest.mark.django_db(transaction=True)
def test_a_backup_taken_while_visits_are_logged_restores_a_consistent_copy(bob, places, tmp_path, request):
    url = request.getfixturevalue("restored_postgres_url") if connection.vendor == "postgresql" else None
    visits = VisitLogger(bob, places["fixed"])
    visits.start()
    try:
        visits.wait_for(5)
        logged_before = Encounter.objects.count()
        manifest = backup.backup_create(tmp_path / "backup", passphrase=PASSPHRASE)
        visits.wait_for(visits.logged + 3)  # the visits went on during and after the backup
    finally:
        visits.stop.set()
        visits.join()
    assert not visits.errors, visits.errors
    logged_after = Encounter.objects.count()

    (tmp_path / "passphrase").write_text(PASSPHRASE)
    target = tmp_path / "restored"
    extra = {"DATABASE_URL": url} if url else {}
    restore = run_haven(
        "restore",
        str(tmp_path / "backup"),
        "--passphrase-file",
        str(tmp_path / "passphrase"),
        data_dir=target,
        **extra,
    )
    assert restore.returncode == 0, restore.stderr
    assert "audit entries verified" in restore.stdout

    ((restored_visits,),) = restored_rows(
        data_dir=target, url=url, sql="SELECT COUNT(*) FROM encounters_encounter"
    )
    assert logged_before <= restored_visits < logged_after
    # Consistent: each visit and its audit entry are both in the copy, or neither is.
    ((audited_visits,),) = restored_rows(
        data_dir=target,
        url=url,
        sql=(
            "SELECT COUNT(*) FROM core_auditevent WHERE object_type = 'encounters.encounter' AND action = 'create'"
        ),
    )
    assert audited_visits == restored_visits
    # The restored chain is the live chain up to the head recorded in the manifest.
    head = manifest["audit_head"]
    restored_chain = restored_rows(
        data_dir=target, url=url, sql="SELECT sequence, digest FROM core_auditevent ORDER BY sequence"
    )
    live_chain = list(
        AuditEvent.objects.filter(sequence__lte=head["sequence"])
        .order_by("sequence")
        .values_list("sequence", "digest")
    )
    assert [tuple(row) for row in restored_chain] == live_chain
    assert live_chain[-1] == (head["sequence"], head["digest"])
    assert manifest["audit_entries"] == len(live_chain)

    # The restored folder starts as Haven and passes its own audit verification and file checks.
    assert (target / "keys" / "audit_head.json").exists()
    assert os.stat(target).st_mode & 0o777 == 0o700
    verify = run_haven("audit", "verify", data_dir=target, **extra)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert f"head {head['sequence']}:{head['digest']}" in verify.stdout


# Bad backups and bad targets -------------------------------------------------------------------------


@pytest.fixture
def made_backup(transactional_db, tmp_path):
    from haven.core.audit import audit_record

    audit_record(action="view", object_type="test.thing", object_id="1")
    backup.backup_create(tmp_path / "backup")
    return tmp_path / "backup"


def rewrite_manifest(folder: Path, change):
    manifest = json.loads((folder / backup.MANIFEST).read_text())
    change(manifest)
    (folder / backup.MANIFEST).write_text(json.dumps(manifest))


def test_a_backup_holds_the_database_the_keys_and_the_audit_head(made_backup):
    manifest, _key = backup.backup_open(made_backup, passphrase=None)
    assert manifest["audit_head"]["sequence"] == 1
    assert {"keys/encryption.json", "keys/blind_index.key", "keys/audit.key", "keys/audit_head.json"} <= set(
        manifest["files"]
    )
    for name, entry in manifest["files"].items():
        stored = made_backup / entry["stored_as"]
        assert hashlib.sha256(stored.read_bytes()).hexdigest() == entry["sha256"], name
        assert stored.stat().st_mode & 0o777 == 0o600


def test_a_backup_goes_only_into_a_new_or_empty_folder(transactional_db, tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "something").write_text("x")
    with pytest.raises(backup.BackupError, match="not an empty folder"):
        backup.backup_create(tmp_path / "full")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["full"]  # nothing left half-way


def test_a_changed_database_file_is_refused(made_backup):
    database = made_backup / backup.backup_open(made_backup, passphrase=None)[0]["database_file"]
    content = bytearray(database.read_bytes())
    content[len(content) // 2] ^= 0xFF
    database.write_bytes(bytes(content))
    with pytest.raises(backup.BackupError, match="does not match its checksum"):
        backup.backup_open(made_backup, passphrase=None)


def test_a_backup_without_its_manifest_is_partial(made_backup):
    (made_backup / backup.MANIFEST).unlink()
    with pytest.raises(backup.BackupError, match="not a complete Haven backup"):
        backup.backup_open(made_backup, passphrase=None)


def test_a_backup_missing_a_key_file_is_refused(made_backup):
    (made_backup / "keys" / "audit.key").unlink()
    with pytest.raises(backup.BackupError, match="keys/audit.key is missing"):
        backup.backup_open(made_backup, passphrase=None)


def test_a_cut_short_file_is_refused(made_backup):
    database = made_backup / backup.backup_open(made_backup, passphrase=None)[0]["database_file"]
    database.write_bytes(database.read_bytes()[:4096])
    with pytest.raises(backup.BackupError, match="has 4096 bytes"):
        backup.backup_open(made_backup, passphrase=None)


def test_an_encrypted_backup_needs_the_right_passphrase(transactional_db, tmp_path):
    backup.backup_create(tmp_path / "sealed", passphrase=PASSPHRASE)
    stored = {path.name for path in (tmp_path / "sealed").rglob("*") if path.is_file()}
    assert stored >= {"manifest.json", "audit.key.enc", "encryption.json.enc"}
    with pytest.raises(backup.BackupError, match="encrypted"):
        backup.backup_open(tmp_path / "sealed", passphrase=None)
    with pytest.raises(backup.BackupError, match="passphrase is wrong"):
        backup.backup_open(tmp_path / "sealed", passphrase="not the passphrase")
    manifest, key = backup.backup_open(tmp_path / "sealed", passphrase=PASSPHRASE)
    plain = b"".join(backup.backup_file_chunks(tmp_path / "sealed", manifest, "keys/audit.key", key))
    from haven import conf

    assert plain == (conf.keys_dir() / "audit.key").read_bytes()


def test_an_encrypted_file_swapped_for_another_does_not_decrypt(transactional_db, tmp_path):
    backup.backup_create(tmp_path / "sealed", passphrase=PASSPHRASE)
    keys = tmp_path / "sealed" / "keys"
    (keys / "audit.key.enc").write_bytes((keys / "blind_index.key.enc").read_bytes())
    manifest = json.loads((tmp_path / "sealed" / backup.MANIFEST).read_text())
    file_key, _mac = backup._derive(PASSPHRASE, bytes.fromhex(manifest["encryption"]["salt"]), backup.SCRYPT)
    with pytest.raises(backup.BackupError, match="does not decrypt"):
        b"".join(backup.backup_file_chunks(tmp_path / "sealed", manifest, "keys/audit.key", file_key))


def test_the_worker_keeps_the_newest_backups(transactional_db, tmp_path):
    for _ in range(3):
        backup.backup_scheduled(folder=tmp_path, keep=2, passphrase=None)
    kept = sorted(path.name for path in tmp_path.iterdir())
    assert len(kept) == 2 and all(name.startswith(backup.PREFIX) for name in kept)


def test_the_daily_job_backs_up_into_the_configured_folder(transactional_db, settings, tmp_path):
    from haven.core.jobs import backup_scheduled

    settings.HAVEN_BACKUP_DIR = str(tmp_path / "nightly")
    settings.HAVEN_BACKUP_KEEP = 1
    backup_scheduled()
    backup_scheduled()
    (kept,) = (tmp_path / "nightly").iterdir()
    assert (kept / backup.MANIFEST).is_file()


# The command, as an operator runs it -------------------------------------------------------------------


def test_restore_refuses_a_folder_that_is_not_empty(made_backup, tmp_path):
    target = tmp_path / "in-use"
    target.mkdir()
    (target / "haven.sqlite3").write_text("someone's data")
    restore = run_haven("restore", str(made_backup), data_dir=target)
    assert restore.returncode == 1
    assert "is not empty" in restore.stderr and "Nothing was restored" in restore.stderr
    assert (target / "haven.sqlite3").read_text() == "someone's data"


def test_restore_refuses_a_damaged_backup_and_writes_nothing(made_backup, tmp_path):
    (made_backup / "keys" / "audit.key").write_text("changed")
    target = tmp_path / "new"
    restore = run_haven("restore", str(made_backup), data_dir=target)
    assert restore.returncode == 1
    assert "damaged or incomplete" in restore.stderr and "keys/audit.key" in restore.stderr
    assert not target.exists()
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".")] == []


def test_restore_refuses_a_backup_whose_audit_log_was_edited(made_backup, tmp_path):
    """Checksums recomputed to match (possible without a passphrase): the audit chain still tells."""
    if not (made_backup / backup.SQLITE_FILE).exists():
        pytest.skip("edits the SQLite file of a SQLite backup")
    database = sqlite3.connect(made_backup / backup.SQLITE_FILE)
    database.execute("DROP TRIGGER core_auditevent_no_update")
    database.execute("UPDATE core_auditevent SET object_id = '2' WHERE sequence = 1")
    database.commit()
    database.close()
    content = (made_backup / backup.SQLITE_FILE).read_bytes()

    def recompute(manifest):
        manifest["files"][backup.SQLITE_FILE].update(
            sha256=hashlib.sha256(content).hexdigest(), bytes=len(content)
        )

    rewrite_manifest(made_backup, recompute)
    target = tmp_path / "new"
    restore = run_haven("restore", str(made_backup), data_dir=target)
    assert restore.returncode == 1
    assert "entry 1 was changed after it was written" in restore.stderr
    assert not target.exists()
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".")] == []


def test_a_manifest_cannot_point_outside_the_backup(made_backup):
    def escape(manifest):
        manifest["files"]["keys/audit.key"]["stored_as"] = "../../../../etc/hostname"

    rewrite_manifest(made_backup, escape)
    with pytest.raises(backup.BackupError, match="outside the backup folder"):
        backup.backup_open(made_backup, passphrase=None)


def test_the_backup_command_explains_a_destination_in_use(tmp_path):
    data = tmp_path / "data"
    assert run_haven("createadmin", "--username", "alice", data_dir=data).returncode == 0
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "notes.txt").write_text("x")
    result = run_haven("backup", str(tmp_path / "used"), data_dir=data)
    assert result.returncode == 1
    assert result.stderr.startswith("haven: ") and "is not an empty folder" in result.stderr
    assert "Traceback" not in result.stderr

    no_terminal = run_haven("backup", "--encrypt", str(tmp_path / "new"), data_dir=data)
    assert no_terminal.returncode == 1
    assert "use --passphrase-file" in no_terminal.stderr
    assert not (tmp_path / "new").exists()

    made = run_haven("backup", str(tmp_path / "new"), data_dir=data)
    assert made.returncode == 0, made.stderr
    assert "audit head 1" in made.stdout and (tmp_path / "new" / backup.MANIFEST).is_file()


def test_the_programs_logo_is_backed_up_and_restored(transactional_db, tmp_path):
    from haven import conf

    folder = conf.data_dir() / "branding"
    folder.mkdir(exist_ok=True)
    logo = folder / "logo-0123abcd.png"
    logo.write_bytes(b"\x89PNG\r\n\x1a\n a logo")
    try:
        backup.backup_create(tmp_path / "backup")
        manifest, key = backup.backup_open(tmp_path / "backup", passphrase=None)
        assert "branding/logo-0123abcd.png" in manifest["files"]
        backup.restore_files(tmp_path / "backup", manifest, key, tmp_path / "restored")
        assert (tmp_path / "restored" / "branding" / "logo-0123abcd.png").read_bytes() == logo.read_bytes()
    finally:
        logo.unlink()
