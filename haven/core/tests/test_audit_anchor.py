"""The audit head is anchored outside the database, so a shorter, wiped or older log is detected
without anyone having noted the head; `haven check` notices missing append-only triggers."""

import json
import shutil
import sqlite3

import pytest
from django.db import connection, transaction

from haven.core import anchor
from haven.core.audit import audit_record, audit_verify
from haven.core.checks import check_audit_triggers
from haven.core.models import AuditEvent
from haven.testing import audit_triggers
from haven.testing.processes import run_haven

pytestmark = pytest.mark.django_db(transaction=True)  # the head is anchored when the entry commits


def record(count, start=0):
    return [audit_record(action="view", object_type="test.thing", object_id=start + n) for n in range(count)]


def as_an_attacker(sql, params=()):
    """Someone with direct database access (but not the key folder): drops the triggers, then edits."""
    audit_triggers.remove()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_every_committed_entry_moves_the_anchored_head():
    events = record(3)
    head = anchor.head_read()
    assert (head.sequence, head.digest) == (3, events[-1].digest)
    assert audit_verify().ok


def test_an_entry_that_was_rolled_back_is_not_anchored():
    record(2)
    with pytest.raises(RuntimeError), transaction.atomic():
        record(1, start=2)
        raise RuntimeError("the action failed after writing its audit entry")
    assert anchor.head_read().sequence == 2
    assert audit_verify().ok


def test_the_head_file_is_private_to_haven():
    record(1)
    assert anchor.head_path().stat().st_mode & 0o777 == 0o600


def test_verify_detects_deleted_newest_entries_without_a_recorded_head():
    record(5)
    as_an_attacker("DELETE FROM core_auditevent WHERE sequence > 3")
    result = audit_verify()
    assert not result.ok
    assert result.problems[0].startswith("entries 4 to 5 are missing: the newest entries were deleted")


def test_verify_detects_a_wiped_table():
    record(4)
    as_an_attacker("DELETE FROM core_auditevent")
    result = audit_verify()
    assert not result.ok
    assert result.problems[0].startswith("the audit log is empty, but 4 entries were anchored")


def test_verify_detects_an_older_copy_of_the_log_even_after_new_entries():
    record(3)
    older_copy = list(AuditEvent.objects.order_by("sequence").values())
    record(2, start=3)
    as_an_attacker("DELETE FROM core_auditevent")
    AuditEvent.objects.bulk_create(AuditEvent(**row) for row in older_copy)
    assert "entries 4 to 5 are missing" in audit_verify().problems[0]

    audit_triggers.install()
    record(3, start=10)  # entries 4, 5 and 6 again, but not the ones that were anchored
    assert anchor.head_read().sequence == 5  # the anchor does not follow the other chain
    problems = audit_verify().problems
    assert any(problem.startswith("entry 5 is not the one anchored") for problem in problems), problems


def test_a_head_file_changed_by_hand_is_reported():
    record(2)
    document = json.loads(anchor.head_path().read_text())
    document["sequence"] = 1
    anchor.head_path().write_text(json.dumps(document))
    assert "has a wrong signature" in audit_verify().problems[0]


def test_the_worker_anchors_the_current_head():
    record(2)
    anchor.head_path().unlink()
    assert anchor.anchor_current()
    assert anchor.head_read().sequence == 2


def test_the_daily_message_names_the_head_and_how_to_check_it(settings, mailoutbox):
    settings.HAVEN_AUDIT_ANCHOR_EMAIL = ["records@example.org"]
    events = record(2)
    assert anchor.anchor_send() == ["email"]
    assert mailoutbox[0].to == ["records@example.org"]
    assert f"haven audit verify --expect-head 2:{events[-1].digest}" in mailoutbox[0].body


def test_the_check_reports_missing_append_only_triggers():
    assert check_audit_triggers(None) == []
    audit_triggers.remove()
    errors = check_audit_triggers(None)
    assert [error.id for error in errors] == ["haven.E030"]
    assert "haven audit protect" in errors[0].hint
    anchor.audit_triggers_install(connection)
    assert check_audit_triggers(None) == []


# The same, as an operator sees it (SQLite files in a data folder of their own) -----------------------


@pytest.fixture
def installation(tmp_path):
    data = tmp_path / "data"
    created = run_haven("createadmin", "--username", "alice", data_dir=data)
    assert created.returncode == 0, created.stderr
    return data


def test_haven_check_fails_when_the_triggers_were_dropped(installation):
    database = sqlite3.connect(installation / "haven.sqlite3")
    database.execute("DROP TRIGGER core_auditevent_no_delete")
    database.commit()
    database.close()
    check = run_haven("check", data_dir=installation)
    assert check.returncode == 1
    assert "haven.E030" in check.stderr and "core_auditevent_no_delete" in check.stderr

    assert run_haven("audit", "protect", data_dir=installation).returncode == 0
    assert "haven.E030" not in run_haven("check", data_dir=installation).stderr


def test_haven_audit_verify_detects_a_restored_older_database_file(installation, tmp_path):
    older = tmp_path / "older.sqlite3"
    live, copy = sqlite3.connect(installation / "haven.sqlite3"), sqlite3.connect(older)
    live.backup(copy)
    live.close()
    copy.close()
    assert run_haven("createadmin", "--username", "dana", data_dir=installation).returncode == 0
    assert run_haven("audit", "verify", data_dir=installation).returncode == 0

    shutil.copyfile(older, installation / "haven.sqlite3")
    verify = run_haven("audit", "verify", data_dir=installation)
    assert verify.returncode == 1
    assert "an older copy of the database was restored" in verify.stdout


def test_the_daily_webhook_posts_the_head(settings):
    import http.server
    import threading

    received = []

    class Receiver(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    settings.HAVEN_AUDIT_ANCHOR_WEBHOOK = f"http://127.0.0.1:{server.server_address[1]}/audit-head"
    events = record(2)
    try:
        assert anchor.anchor_send() == ["webhook"]
    finally:
        thread.join(timeout=30)
        server.server_close()
    assert received[0]["event"] == "audit.head"
    assert (received[0]["sequence"], received[0]["digest"]) == (2, events[-1].digest)
