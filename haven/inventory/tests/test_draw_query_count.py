"""The stock draw of a visit runs a fixed, small number of queries (issue 3: CPU per request).

`encounter_record` hands the draw the lines it has just saved, so they are not read back.
"""

import uuid

from django.db import connection
from django.test import Client

from haven.accounts.models import ApiToken
from haven.accounts.tokens import new_token_parts
from haven.inventory import actions
from haven.inventory.models import StockEntry
from haven.inventory.tests.conftest import COOKER, NALOXONE, SYRINGE
from haven.inventory.tests.test_draw_for_encounter import drawn

NAMES = [SYRINGE, NALOXONE, COOKER, "Cotton filter", "Alcohol pad", "Tourniquet"]
# The site lock (PostgreSQL only), stock on hand, the ledger lines, the balances.
MAX_QUERIES_FOR_A_DRAW = {"sqlite": 3, "postgresql": 4}
# A whole visit through the API with everything on the shelf (no shortfall to audit): see
# haven/encounters/tests/test_api_query_count.py for the list.
MAX_QUERIES_FOR_A_VISIT = {"sqlite": 17, "postgresql": 19}


def stock_three_lots_of_each(site, supply, receive):
    for index, name in enumerate(NAMES):
        for lot in range(3):
            receive(site, supply(name), 2, lot_number=f"{index}-{lot}", expires_in_days=10 + lot)


def test_a_draw_given_the_saved_lines_takes_a_fixed_number_of_queries(places, supply, receive, encounter_giving,
                                                                      django_assert_max_num_queries):
    site = places["fixed"]
    stock_three_lots_of_each(site, supply, receive)
    given = {supply(name): 5 for name in NAMES}
    encounter = encounter_giving(site, given)

    with django_assert_max_num_queries(MAX_QUERIES_FOR_A_DRAW[connection.vendor]):
        actions.stock_draw_for_encounter(encounter=encounter, supplies=list(given.items()))

    assert encounter.stock_entries.count() == 6 * 3  # 5 of the 6 on hand, from three lots: 2 + 2 + 1


def test_a_draw_given_the_lines_takes_what_a_draw_that_reads_them_takes(places, supply, receive, encounter_giving):
    site = places["fixed"]
    stock_three_lots_of_each(site, supply, receive)
    stock_three_lots_of_each(places["van"], supply, receive)
    given = {supply(SYRINGE): 3, supply(NALOXONE): 7, supply(COOKER): 1}
    read_back, handed_over = encounter_giving(site, given), encounter_giving(places["van"], given)

    actions.stock_draw_for_encounter(encounter=read_back)
    actions.stock_draw_for_encounter(encounter=handed_over, supplies=list(given.items()))

    # Lot numbers are the same at both sites; 7 naloxone is one more than the 6 on hand.
    assert sorted(drawn(handed_over), key=repr) == sorted(drawn(read_back), key=repr)
    assert [entry for entry in drawn(handed_over) if entry[2]] == [(None, -1, True)]


def test_lines_that_do_not_track_stock_need_no_query(places, supply, encounter_giving, django_assert_num_queries):
    condom = supply("Condom")
    condom.tracks_stock = False
    condom.save(update_fields=["tracks_stock"])
    encounter = encounter_giving(places["fixed"], {condom: 4})

    with django_assert_num_queries(0):
        entries = actions.stock_draw_for_encounter(encounter=encounter, supplies=[(condom, 4)])

    assert entries == [] and not StockEntry.objects.filter(encounter=encounter).exists()


def test_a_visit_through_the_api_draws_its_stock_in_a_fixed_number_of_queries(bob, places, supply, receive,
                                                                               django_assert_max_num_queries):
    site = places["fixed"]
    stock_three_lots_of_each(site, supply, receive)
    lookup, token = new_token_parts()
    ApiToken.objects.create(user=bob, name="van tablet", lookup=lookup, digest=ApiToken.digest_of(token))
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    body = {"client_id": str(uuid.uuid4()), "site_id": site.pk, "source": "offline",
            "supplies": [{"item_id": supply(name).pk, "quantity": 5} for name in NAMES]}

    with django_assert_max_num_queries(MAX_QUERIES_FOR_A_VISIT[connection.vendor]):
        response = client.post("/api/encounters", body, content_type="application/json")

    assert response.status_code == 201
    entries = StockEntry.objects.filter(encounter_id=response.json()["id"])
    assert entries.count() == 6 * 3 and not entries.filter(shortfall=True).exists()
