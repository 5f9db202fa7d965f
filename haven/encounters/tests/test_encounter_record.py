"""Recording a visit with the action: what is saved, what is counted, what is audited."""

import uuid

from haven.core.models import AuditEvent
from haven.encounters import actions, queries
from haven.encounters.models import Encounter, ReversalReport
from haven.encounters.tests.support import lines_of


def record(actor, site, **fields):
    fields.setdefault("service_mode", "fixed")
    encounter, created = actions.encounter_record(actor=actor, client_id=uuid.uuid4(), site=site, **fields)
    assert created
    return encounter


def test_an_anonymous_visit_is_saved_without_a_participant(bob, places, catalog):
    encounter = record(bob, places["fixed"], supplies=[(catalog["syringe"], 20)])

    assert encounter.participant is None
    assert encounter.staff == bob
    assert lines_of(encounter) == {('1 mL 28G 1/2" syringe', None): 20}


def test_kits_expand_to_their_items(bob, places, catalog):
    encounter = record(bob, places["fixed"], kits=[(catalog["injection_kit"], 2)])

    lines = lines_of(encounter)
    assert lines[('1 mL 28G 1/2" syringe', "Safer injection kit")] == 20
    assert lines[("Cooker", "Safer injection kit")] == 20
    assert all(kit == "Safer injection kit" for _item, kit in lines)


def test_a_kit_and_the_same_item_given_loose_stay_separate_lines(bob, places, catalog):
    encounter = record(bob, places["fixed"], kits=[(catalog["injection_kit"], 1)],
                       supplies=[(catalog["syringe"], 5), (catalog["syringe"], 3)])

    lines = lines_of(encounter)
    assert lines[('1 mL 28G 1/2" syringe', "Safer injection kit")] == 10
    assert lines[('1 mL 28G 1/2" syringe', None)] == 8
    assert queries.syringes_given(encounter) == 18


def test_naloxone_is_counted_in_doses_not_kits(bob, places, catalog):
    encounter = record(bob, places["fixed"], kits=[(catalog["naloxone_kit"], 1)],
                       supplies=[(catalog["naloxone"], 1), (catalog["vial"], 3)])

    # Two 2-dose kits (one loose, one from the kit) and three 1-dose vials.
    assert queries.naloxone_doses(encounter) == 2 * 2 + 3
    assert queries.totals(Encounter.objects.all())["naloxone_doses"] == 7


def test_a_visit_for_a_merged_participant_is_recorded_on_the_one_it_was_merged_into(dana, bob, places, catalog):
    from haven.participants.actions import participant_enroll, participant_merge

    keep = participant_enroll(actor=bob, code="MA0385B", site=places["fixed"])
    duplicate = participant_enroll(actor=bob, code="JO1190C", site=places["fixed"])
    participant_merge(actor=dana, keep=keep, duplicate=duplicate)
    duplicate.refresh_from_db()

    encounter = record(bob, places["fixed"], participant=duplicate, supplies=[(catalog["cooker"], 2)])

    assert encounter.participant == keep


def test_services_returns_and_a_reversal_are_saved(bob, places, catalog):
    encounter = record(bob, places["fixed"], services=[catalog["hiv_test"], catalog["housing"]],
                       syringes_returned=120, returns_estimated=True, sharps_containers_returned=1,
                       secondary_people=3,
                       reversals=[{"naloxone_doses_used": 2, "outcome": "survived",
                                   "emergency_services_called": "no", "area": places["north"]}])

    assert set(encounter.services.all()) == {catalog["hiv_test"], catalog["housing"]}
    assert (encounter.syringes_returned, encounter.returns_estimated) == (120, True)
    assert encounter.secondary_people == 3
    reversal = ReversalReport.objects.get(encounter=encounter)
    assert (reversal.naloxone_doses_used, reversal.outcome, reversal.area) == (2, "survived", places["north"])


def test_recording_is_audited_with_counts_only(bob, places, catalog, participant):
    encounter = record(bob, places["fixed"], participant=participant, kits=[(catalog["injection_kit"], 1)],
                       services=[catalog["hiv_test"]])

    event = AuditEvent.objects.get(object_type="encounters.encounter", object_id=str(encounter.pk), action="create")
    assert event.actor_label == "bob"
    assert event.detail == {"source": "web", "participant": True, "supply_lines": encounter.supplies.count(),
                            "kits": 1, "services": 1, "reversals": 0}
    assert participant.display_id not in str(event.detail)


def test_supplies_are_drawn_from_the_site_stock(bob, places, catalog):
    from haven.inventory.models import StockEntry

    encounter = record(bob, places["fixed"], supplies=[(catalog["syringe"], 30)])

    drawn = StockEntry.objects.filter(encounter=encounter, kind="drawn", item=catalog["syringe"])
    assert sum(entry.quantity for entry in drawn) == -30
    assert {entry.site for entry in drawn} == {places["fixed"]}


def test_the_last_encounter_comes_with_its_lines(bob, places, catalog, participant, django_assert_num_queries):
    record(bob, places["fixed"], participant=participant, supplies=[(catalog["cooker"], 1)])
    latest = record(bob, places["fixed"], participant=participant, kits=[(catalog["injection_kit"], 1)],
                    services=[catalog["hiv_test"]])

    found = queries.last_encounter(participant)

    assert found == latest
    with django_assert_num_queries(0):
        [(line.item.name, line.kit) for line in found.supplies.all()]
        list(found.services.all())


def test_an_imported_visit_does_not_draw_from_todays_stock(bob, places, catalog):
    from haven.inventory.models import StockEntry

    web = record(bob, places["fixed"], supplies=[(catalog["syringe"], 5)])
    imported = record(bob, places["fixed"], supplies=[(catalog["syringe"], 5)], source="import")

    assert StockEntry.objects.filter(encounter=web).exists()
    assert not StockEntry.objects.filter(encounter=imported).exists()
