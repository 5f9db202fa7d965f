"""Backups in the data folder and HAVEN_BACKUP_DIR expire with core's retention kind."""

import datetime
import json

import pytest

from haven import conf
from haven.core.backup import MANIFEST
from haven.core.retention import kinds


def fake_backup(folder, *, days_ago: int):
    folder.mkdir(parents=True)
    made = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=days_ago)
    (folder / MANIFEST).write_text(json.dumps({"haven_backup": 1, "created_at": made.isoformat()}))
    (folder / "haven.sqlite3").write_bytes(b"SQLite format 3\x00")
    return folder


@pytest.mark.django_db
def test_backups_older_than_the_period_are_deleted_in_both_places(tmp_path, settings):
    settings.HAVEN_BACKUP_DIR = str(tmp_path / "scheduled")
    old = fake_backup(tmp_path / "scheduled" / "haven-backup-old", days_ago=9)
    new = fake_backup(tmp_path / "scheduled" / "haven-backup-new", days_ago=1)
    by_hand = fake_backup(conf.data_dir() / "before-upgrade", days_ago=30)
    not_a_backup = conf.data_dir() / "keys-elsewhere"
    not_a_backup.mkdir(exist_ok=True)
    kind = kinds()["core.backup"]
    before = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=kind.default_days)
    assert kind.expire(before=before, held=set()) == 2
    assert not old.exists() and not by_hand.exists() and new.is_dir() and not_a_backup.is_dir()
    assert kind.moment_of("haven-backup-new") is not None and kind.moment_of("haven-backup-old") is None
