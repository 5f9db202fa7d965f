"""A lookup through the API runs a fixed, small number of queries (issue 3: CPU per request).

Every query costs the server about half a millisecond of CPU to build; a regression that adds one
to every lookup shows here first.
"""

from django.db import connection

from haven.core.models import AuditEvent
from haven.participants.tests.conftest import CODE
from haven.participants.tests.test_api import api_client

# The token (and its last use, once a minute), the participant, the audit entry (the chain's last
# link and the insert; an advisory lock on PostgreSQL), the last visible visit with its supplies in
# one query, the number of visits.
MAX_QUERIES_FOR_A_LOOKUP = {"sqlite": 7, "postgresql": 8}


def lookup(client, code=CODE):
    return client.post("/api/participants/lookup", {"code": code}, content_type="application/json")


def test_a_lookup_that_finds_someone_takes_a_fixed_number_of_queries(bob, places, enrol, visit,
                                                                     django_assert_max_num_queries):
    participant = enrol(by=bob)
    for days_ago in range(5, 0, -1):
        visit(participant, places["fixed"], days_ago=days_ago, given={"syringes": 10, "naloxone": days_ago})
    client = api_client(bob)

    with django_assert_max_num_queries(MAX_QUERIES_FOR_A_LOOKUP[connection.vendor]):
        response = lookup(client)

    assert response.status_code == 200
    assert response.json()["visit_count"] == 5
    assert response.json()["last_visit"]["supplies"] == [{"name": "1 mL syringe", "quantity": 10},
                                                         {"name": "Nasal naloxone (2 doses)", "quantity": 1}]
    assert AuditEvent.objects.filter(action="view", object_id=str(participant.pk)).count() == 1


def test_visits_at_other_sites_are_counted_but_not_shown(bob, places, enrol, visit, django_assert_max_num_queries):
    participant = enrol(by=bob)
    visit(participant, places["fixed"], days_ago=3, given={"syringes": 10})
    visit(participant, places["van"], days_ago=1, given={"naloxone": 2})
    client = api_client(bob)

    with django_assert_max_num_queries(MAX_QUERIES_FOR_A_LOOKUP[connection.vendor]):
        body = lookup(client).json()

    assert body["visit_count"] == 2
    assert body["last_visit"]["site"] == "North drop-in"
    assert body["last_visit"]["supplies"] == [{"name": "1 mL syringe", "quantity": 10}]


def test_someone_seen_only_at_other_sites_is_found_with_no_visit_shown(carol, bob, places, enrol, visit,
                                                                        django_assert_max_num_queries):
    participant = enrol(by=bob)
    visit(participant, places["fixed"], days_ago=1, given={"syringes": 10})
    client = api_client(carol)

    with django_assert_max_num_queries(MAX_QUERIES_FOR_A_LOOKUP[connection.vendor]):
        body = lookup(client).json()

    assert body == {"found": True, "display_id": participant.display_id, "visit_count": 1, "last_visit": None}


def test_a_last_visit_without_supplies_is_shown_with_none(bob, places, enrol, visit):
    participant = enrol(by=bob)
    visit(participant, places["fixed"], days_ago=2, given={"syringes": 10})
    visit(participant, places["fixed"], days_ago=1)

    last_visit = lookup(api_client(bob)).json()["last_visit"]

    assert last_visit["supplies"] == [] and last_visit["service_mode"] == "Fixed site"


def test_voided_visits_are_neither_counted_nor_shown(bob, places, enrol, visit):
    from django.utils import timezone

    participant = enrol(by=bob)
    visit(participant, places["fixed"], days_ago=2, given={"syringes": 10})
    voided = visit(participant, places["fixed"], days_ago=1, given={"naloxone": 1})
    voided.voided_at = timezone.now()
    voided.save(update_fields=["voided_at"])

    body = lookup(api_client(bob)).json()

    assert body["visit_count"] == 1
    assert body["last_visit"]["supplies"] == [{"name": "1 mL syringe", "quantity": 10}]
