"""A seized database gives back no code, no nickname and no contact: checked on the raw storage."""

import json

import pytest
from django.db import connection

from haven.core.models import AuditEvent
from haven.participants.actions import consent_give
from haven.participants.tests.conftest import CODE

NICKNAME = "Moonbeam"
PHONE = "+1 415 555 0199"
# Every form the code could take if it leaked: as typed, normalised, lowercase, spaced.
CODE_FORMS = [CODE, CODE.lower(), "AB 03 85 C", "ab 03 85 c", "AB0385"]
PHONE_FORMS = [PHONE, "4155550199", "415 555 0199", "555 0199", "5550199"]


def all_text_in_the_database() -> str:
    """Every text-like column of every table, read with a plain cursor."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")
            for row in cursor.fetchall():
                chunks.extend(str(value) for value in row if value is not None)
    return "\n".join(chunks)


def database_file_bytes() -> bytes | None:
    path = str(connection.settings_dict["NAME"])
    if path.startswith("file:") or ":memory:" in path:
        return None
    connection.close()  # flush the WAL so the file holds everything
    raw = b""
    for suffix in ("", "-wal", "-journal"):
        try:
            with open(f"{path}{suffix}", "rb") as handle:
                raw += handle.read()
        except FileNotFoundError:
            pass
    return raw


@pytest.fixture
def enrolled_with_contact(transactional_db, bob, client_as):
    client = client_as(bob)
    assert client.post("/participants/enrol/", {"code": "ab 03 85 c"}).status_code == 302
    from haven.participants.models import Participant

    participant = Participant.objects.get()
    client.get("/participants/lookup/", {"code": CODE}, HTTP_HX_REQUEST="true")
    consent_give(actor=bob, participant=participant, scope="nickname", value=NICKNAME)
    response = client.post(f"/participants/{participant.display_id}/consent/", {
        "scope": "contact", "contact-contact_kind": "phone", "contact-value": PHONE})
    assert response.status_code == 302
    participant.refresh_from_db()
    assert (participant.nickname, participant.contact) == (NICKNAME, PHONE)  # readable through Haven
    return participant


def test_no_table_holds_the_code_the_nickname_or_the_phone(enrolled_with_contact):
    text = all_text_in_the_database()

    assert enrolled_with_contact.display_id in text  # the check reads real data
    for secret in CODE_FORMS + [NICKNAME] + PHONE_FORMS:
        assert secret not in text, f"{secret!r} is in the database"


def test_the_raw_sqlite_file_holds_none_of_them(enrolled_with_contact):
    if connection.vendor != "sqlite":
        pytest.skip("reads the SQLite file itself; on PostgreSQL every table is read above")
    raw = database_file_bytes()
    if raw is None:
        pytest.skip("the test database lives in memory")

    assert enrolled_with_contact.display_id.encode() in raw
    for secret in CODE_FORMS + [NICKNAME] + PHONE_FORMS:
        assert secret.encode() not in raw, f"{secret!r} is in the database file"
        assert secret.encode("utf-16-le") not in raw


def test_the_audit_log_names_fields_not_values(enrolled_with_contact):
    details = json.dumps([event.detail for event in AuditEvent.objects.all()])

    assert AuditEvent.objects.filter(object_id=str(enrolled_with_contact.pk)).count() >= 4
    for secret in CODE_FORMS + [NICKNAME] + PHONE_FORMS:
        assert secret not in details
