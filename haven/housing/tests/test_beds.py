"""The bed board: holding a bed is one action; of two at once one wins and the other is told; partners
update only their own places; addresses stay with staff."""

import threading

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.urls import reverse

from haven.housing import actions, queries
from haven.housing.models import Bed, BedHold


def test_peer_holds_a_free_low_barrier_bed_for_four_hours(carol, shelter):
    bed = shelter.beds.first()
    hold = actions.bed_hold(actor=carol, bed=bed, hours=4)
    assert hold.active and round((hold.expires_at - hold.held_at).total_seconds()) == 4 * 3600
    assert bed.pk not in [entry.bed.pk for entry in queries.available_now(carol)]


def test_a_second_hold_on_the_same_bed_is_told_it_is_taken(carol, bob, shelter):
    bed = shelter.beds.first()
    actions.bed_hold(actor=carol, bed=bed, hours=2)
    with pytest.raises(actions.BedTaken, match="Someone else just held this bed"):
        actions.bed_hold(actor=bob, bed=bed, hours=2)
    assert BedHold.objects.filter(bed=bed, active=True).count() == 1


def test_the_database_allows_one_active_hold_per_bed(carol, shelter):
    bed = shelter.beds.first()
    actions.bed_hold(actor=carol, bed=bed, hours=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        BedHold.objects.create(bed=bed, held_by=carol, expires_at=bed.updated_at)


@pytest.mark.django_db(transaction=True)
def test_two_people_holding_the_last_bed_at_once_one_wins_and_the_other_is_told(carol, bob, dana, places):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers by itself (BEGIN IMMEDIATE); this checks PostgreSQL's row lock")
    place = actions.property_save(actor=dana, site=places["van"], name="Last bed", kind="drop_in")
    bed = actions.bed_add(actor=dana, prop=place, label="Bed 1")
    barrier = threading.Barrier(2)
    outcomes = []

    def hold(person):
        try:
            with transaction.atomic():
                barrier.wait(timeout=10)
                actions.bed_hold(actor=person, bed=bed, hours=3)
            outcomes.append("held")
        except actions.BedTaken:
            outcomes.append("taken")
        except Exception as error:  # reported below: a thread's exception would otherwise vanish
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=hold, args=(person,)) for person in (carol, bob)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["held", "taken"]
    assert BedHold.objects.filter(bed=bed, active=True).count() == 1


def test_an_expired_hold_frees_the_bed(carol, bob, shelter):
    bed = shelter.beds.first()
    hold = actions.bed_hold(actor=carol, bed=bed, hours=1)
    BedHold.objects.filter(pk=hold.pk).update(expires_at=hold.held_at)
    assert actions.bed_hold(actor=bob, bed=bed, hours=1).active
    hold.refresh_from_db()
    assert hold.outcome == "expired" and not hold.active


def test_hours_out_of_range_are_refused(carol, shelter):
    for hours in (0, 49, "many"):
        with pytest.raises(actions.ValidationError):
            actions.bed_hold(actor=carol, bed=shelter.beds.first(), hours=hours)


def test_arrival_marks_the_bed_occupied(carol, shelter):
    bed = shelter.beds.first()
    hold = actions.bed_hold(actor=carol, bed=bed, hours=1)
    actions.hold_end(actor=carol, hold=hold, outcome="used")
    bed.refresh_from_db()
    assert bed.status == Bed.Status.OCCUPIED


def test_available_now_filters_by_low_barrier_needs(carol, shelter, strict_shelter):
    names = {entry.property.name for entry in queries.available_now(carol, needs=["no_conditions", "pets"])}
    assert names == {"Eastside low-barrier shelter"}
    assert {entry.property.name for entry in queries.available_now(carol)} >= {"Mission dorm"}


def test_addresses_show_to_paid_staff_but_not_to_peers(client_as, dana, carol, shelter):
    assert "12 Harbour Street" in client_as(dana).get(reverse("housing-board")).content.decode()
    page = client_as(carol).get(reverse("housing-board")).content.decode()
    assert "Eastside low-barrier shelter" in page and "12 Harbour Street" not in page
    assert "12 Harbour Street" not in client_as(carol).get(reverse("housing-available")).content.decode()


def test_address_is_stored_encrypted(shelter):
    with connection.cursor() as cursor:
        cursor.execute("select address from housing_property where id = %s", [shelter.pk])
        assert "Harbour" not in cursor.fetchone()[0]


def test_partner_updates_a_bed_of_its_own_place(anonymous_client, partner):
    response = anonymous_client.post("/api/housing/partner/availability", {"bed_id": partner["bed"].pk,
                                     "status": "occupied"}, content_type="application/json",
                                     HTTP_X_PARTNER_TOKEN=partner["token"])
    assert response.status_code == 200
    partner["bed"].refresh_from_db()
    assert partner["bed"].status == "occupied"


def test_partner_token_is_refused_for_a_unit_it_does_not_own(anonymous_client, partner, shelter):
    bed = shelter.beds.first()
    response = anonymous_client.post("/api/housing/partner/availability", {"bed_id": bed.pk, "status": "closed"},
                                     content_type="application/json", HTTP_X_PARTNER_TOKEN=partner["token"])
    assert response.status_code == 403
    bed.refresh_from_db()
    assert bed.status == "available"


def test_partner_view_lists_only_its_own_beds_without_addresses(anonymous_client, partner, shelter):
    response = anonymous_client.get("/api/housing/partner/beds", HTTP_X_PARTNER_TOKEN=partner["token"])
    assert response.status_code == 200
    assert [row["bed"] for row in response.json()] == ["Unit 2B"]
    assert "address" not in response.json()[0]


def test_a_bad_partner_token_gets_401(anonymous_client, partner):
    response = anonymous_client.get("/api/housing/partner/beds", HTTP_X_PARTNER_TOKEN="nope")
    assert response.status_code == 401


def test_api_hold_answers_409_to_the_second_person(client_as, carol, dana, shelter):
    bed = shelter.beds.first()
    first = client_as(carol).post(f"/api/housing/beds/{bed.pk}/hold", {"hours": 2}, content_type="application/json")
    second = client_as(dana).post(f"/api/housing/beds/{bed.pk}/hold", {"hours": 2}, content_type="application/json")
    assert (first.status_code, second.status_code) == (201, 409)


def test_api_available_refuses_unknown_codes(client_as, carol, shelter):
    assert client_as(carol).get("/api/housing/available?needs=teleport").status_code == 422
    rows = client_as(carol).get("/api/housing/available?needs=pets").json()
    assert {row["place"] for row in rows} == {"Eastside low-barrier shelter"}


def test_peer_cannot_add_places(client_as, carol):
    assert client_as(carol).get(reverse("housing-property-new")).status_code == 403
