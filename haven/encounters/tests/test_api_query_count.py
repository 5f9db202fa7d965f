"""Recording a visit through the API runs a fixed, small number of queries (issue 3: CPU per request).

Every query costs the server about half a millisecond of CPU to build; a regression that adds one
to every visit shows here first. The numbers count the savepoints that the test's own transaction
turns each `atomic` block into.
"""

import uuid

from django.db import connection

from haven.accounts.models import ApiToken
from haven.accounts.tokens import new_token_parts
from haven.encounters.models import Encounter
from haven.encounters.tests.support import lines_of
from haven.inventory.models import StockEntry

# The token (and its last use, once a minute), site, participant, supplies, kits and their items;
# then the transaction: the client_id check, site membership, the visit (in a savepoint), its lines,
# the stock draw (site lock on PostgreSQL, stock on hand, ledger, balances) and two audit entries
# (the shortfall and the visit; each takes an advisory lock on PostgreSQL). Before issue 3's work:
# 25 on SQLite and 27 on PostgreSQL.
MAX_QUERIES_FOR_A_VISIT = {"sqlite": 22, "postgresql": 25}


def token_client(user, client):
    lookup, token = new_token_parts()
    ApiToken.objects.create(user=user, name="van tablet", lookup=lookup, digest=ApiToken.digest_of(token))
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


def visit(places, participant, supplies, kits):
    return {"client_id": str(uuid.uuid4()), "participant": participant.display_id, "site_id": places["fixed"].pk,
            "supplies": [{"item_id": item.pk, "quantity": quantity} for item, quantity in supplies],
            "kits": [{"kit_id": kit.pk, "count": count} for kit, count in kits], "source": "offline"}


def test_a_visit_with_supplies_and_kits_takes_a_fixed_number_of_queries(bob, places, catalog, participant,
                                                                         anonymous_client,
                                                                         django_assert_max_num_queries):
    client = token_client(bob, anonymous_client)
    body = visit(places, participant, [(catalog["syringe"], 10), (catalog["fentanyl_strip"], 2)],
                 [(catalog["naloxone_kit"], 1)])

    with django_assert_max_num_queries(MAX_QUERIES_FOR_A_VISIT[connection.vendor]):
        response = client.post("/api/encounters", body, content_type="application/json")

    assert response.status_code == 201
    encounter = Encounter.objects.get(pk=response.json()["id"])
    assert encounter.participant == participant
    assert lines_of(encounter) == {('1 mL 28G 1/2" syringe', None): 10, ("Fentanyl test strip", None): 2,
                                   ("Naloxone nasal spray 4 mg (2-dose kit)", "Naloxone kit"): 1}
    # Nothing is on the shelf in this test: all three are drawn as shortfalls.
    assert StockEntry.objects.filter(encounter=encounter, shortfall=True).count() == 3


def test_more_lines_and_kits_do_not_add_queries(bob, places, catalog, participant, anonymous_client,
                                                django_assert_max_num_queries):
    client = token_client(bob, anonymous_client)
    supplies = [(catalog[name], 3) for name in ("syringe", "cooker", "water", "vial", "fentanyl_strip", "condom")]
    body = visit(places, participant, supplies, [(catalog["naloxone_kit"], 1), (catalog["injection_kit"], 2)])

    with django_assert_max_num_queries(MAX_QUERIES_FOR_A_VISIT[connection.vendor]):
        response = client.post("/api/encounters", body, content_type="application/json")

    assert response.status_code == 201
    kit_lines = catalog["naloxone_kit"].items.count() + catalog["injection_kit"].items.count()
    assert len(lines_of(Encounter.objects.get(pk=response.json()["id"]))) == len(supplies) + kit_lines


def test_a_retry_is_answered_as_saved_even_if_an_id_it_names_no_longer_resolves(bob, places, catalog, participant,
                                                                                anonymous_client):
    client = token_client(bob, anonymous_client)
    body = visit(places, participant, [(catalog["syringe"], 10)], [])
    first = client.post("/api/encounters", body, content_type="application/json")

    retry = client.post("/api/encounters", {**body, "kits": [{"kit_id": 999999, "count": 1}]},
                        content_type="application/json")

    assert first.status_code == 201
    assert retry.status_code == 200 and retry.json() == {**first.json(), "created": False}
    assert Encounter.objects.count() == 1


def test_an_unknown_id_in_a_new_visit_is_still_a_422(bob, places, catalog, participant, anonymous_client):
    client = token_client(bob, anonymous_client)

    response = client.post("/api/encounters", {**visit(places, participant, [], []), "site_id": 999999},
                           content_type="application/json")

    assert response.status_code == 422
    assert response.json()["errors"] == {"site": ["No site has this id."]}
    assert not Encounter.objects.exists()


def test_a_retry_is_answered_as_saved_after_its_supply_and_site_are_retired(bob, places, catalog, participant,
                                                                           anonymous_client):
    client = token_client(bob, anonymous_client)
    body = visit(places, participant, [(catalog["syringe"], 10)], [])
    first = client.post("/api/encounters", body, content_type="application/json")
    catalog["syringe"].active = False
    catalog["syringe"].save(update_fields=["active"])
    places["fixed"].active = False
    places["fixed"].save(update_fields=["active"])

    retry = client.post("/api/encounters", body, content_type="application/json")

    assert retry.status_code == 200 and retry.json() == {**first.json(), "created": False}
    assert Encounter.objects.count() == 1
