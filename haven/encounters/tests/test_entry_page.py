"""The fast entry page without JavaScript: what it shows, saving, "same as last time", defaults."""

import datetime
import re
import uuid

from django.utils import timezone

from haven.encounters import actions, queries
from haven.encounters.models import Encounter
from haven.encounters.tests.support import lines_of
from haven.participants.queries import participant_summary
from haven.places.models import Site

FIELD_NAMES = ["client_id", "participant", "site", "service_mode", "occurred_at", "services", "syringes_returned",
               "returns_estimated", "sharps_containers_returned", "secondary_people", "reversal-occurred_on",
               "reversal-naloxone_doses_used", "reversal-outcome", "reversal-emergency_services_called",
               "reversal-area"]


def test_the_page_has_the_offline_form_with_the_agreed_field_names(bob, catalog, client_as):
    content = client_as(bob).get("/encounters/new/").content.decode()

    assert re.search(r"<form [^>]*data-offline-form", content)
    for name in FIELD_NAMES:
        assert f'name="{name}"' in content, name
    assert f'name="item-{catalog["syringe"].pk}"' in content
    assert f'name="kit-{catalog["injection_kit"].pk}"' in content
    assert "Anonymous visit" in content


def test_a_fresh_client_id_is_made_for_every_form(bob, client_as):
    client = client_as(bob)
    ids = [re.search(r'name="client_id" value="([^"]+)"', client.get("/encounters/new/").content.decode()).group(1)
           for _ in range(2)]

    assert ids[0] != ids[1]
    assert all(uuid.UUID(value) for value in ids)


def test_enter_saves_rather_than_repeats(bob, participant, places, client_as):
    actions.encounter_record(actor=bob, client_id=uuid.uuid4(), site=places["fixed"], service_mode="fixed",
                             participant=participant)
    content = client_as(bob).get(f"/encounters/new/?participant={participant.display_id}").content.decode()
    form = content[content.index("data-offline-form"):]

    # The first submit button of a form is the one Enter presses.
    first_submit = re.search(r'<button type="submit"[^>]*>([^<]*)<', form)
    assert "Save visit" in first_submit.group(1)
    assert form.index('name="repeat"') > first_submit.start()


def test_an_anonymous_visit_with_a_kit_is_saved_and_the_form_starts_again(bob, places, catalog, client_as):
    response = client_as(bob).post("/encounters/new/", {
        "client_id": str(uuid.uuid4()), "participant": "", "site": places["fixed"].pk, "service_mode": "fixed",
        f"kit-{catalog['injection_kit'].pk}": "1", f"item-{catalog['syringe'].pk}": "0",
    }, follow=True)

    encounter = Encounter.objects.get()
    assert encounter.participant is None
    assert lines_of(encounter)[('1 mL 28G 1/2" syringe', "Safer injection kit")] == 10
    assert response.redirect_chain[-1][0] == "/encounters/new/"
    assert "Visit saved." in response.content.decode()


def test_a_participant_link_preselects_the_participant_and_shows_the_last_visit(bob, participant, places, catalog,
                                                                                 client_as):
    actions.encounter_record(actor=bob, client_id=uuid.uuid4(), site=places["fixed"], service_mode="fixed",
                             participant=participant, kits=[(catalog["injection_kit"], 2)])

    content = client_as(bob).get(f"/encounters/new/?participant={participant.display_id.lower()}").content.decode()

    assert participant.display_id in content
    assert f'name="participant" value="{participant.display_id}"' in content
    assert "Same as last time" in content
    assert "(Safer injection kit)" in content


def test_same_as_last_time_repeats_supplies_and_kits_but_asks_services_and_others_again(bob, participant, places,
                                                                                        catalog, client_as):
    last, _ = actions.encounter_record(
        actor=bob, client_id=uuid.uuid4(), site=places["fixed"], service_mode="fixed", participant=participant,
        kits=[(catalog["injection_kit"], 2)], supplies=[(catalog["fentanyl_strip"], 3)],
        services=[catalog["hiv_test"]], syringes_returned=40, secondary_people=2)

    client_as(bob).post("/encounters/new/", {
        "client_id": str(uuid.uuid4()), "participant": participant.display_id, "site": places["fixed"].pk,
        "service_mode": "fixed", "repeat": str(last.pk)})

    new = Encounter.objects.exclude(pk=last.pk).get()
    assert new.participant == participant
    assert lines_of(new) == lines_of(last)
    assert list(new.services.all()) == []  # services are asked again: no inflated education totals
    assert new.secondary_people == 0
    assert new.syringes_returned == 0  # returns are never repeated


def test_same_as_last_time_takes_services_and_others_from_this_form(bob, participant, places, catalog, client_as):
    last, _ = actions.encounter_record(
        actor=bob, client_id=uuid.uuid4(), site=places["fixed"], service_mode="fixed", participant=participant,
        kits=[(catalog["injection_kit"], 1)])

    client_as(bob).post("/encounters/new/", {
        "client_id": str(uuid.uuid4()), "participant": participant.display_id, "site": places["fixed"].pk,
        "service_mode": "fixed", "repeat": str(last.pk), "services": [catalog["hiv_test"].pk],
        "secondary_people": "1", "syringes_returned": "20"})

    new = Encounter.objects.exclude(pk=last.pk).get()
    assert lines_of(new) == lines_of(last)
    assert list(new.services.all()) == [catalog["hiv_test"]]
    assert (new.secondary_people, new.syringes_returned) == (1, 20)


def test_the_form_and_the_lookup_show_and_repeat_the_latest_visit_at_your_own_sites(bob, dana, participant,
                                                                                    places, catalog, client_as):
    mine, _ = actions.encounter_record(
        actor=bob, client_id=uuid.uuid4(), site=places["fixed"], service_mode="fixed", participant=participant,
        supplies=[(catalog["fentanyl_strip"], 7)], occurred_at=timezone.now() - datetime.timedelta(days=5))
    # A later visit at a site Bob does not work at: he neither sees nor repeats it.
    actions.encounter_record(
        actor=dana, client_id=uuid.uuid4(), site=places["van"], service_mode="mobile", participant=participant,
        kits=[(catalog["injection_kit"], 3)], secondary_people=2)
    client = client_as(bob)

    form_page = client.get(f"/encounters/new/?participant={participant.display_id}").content.decode()
    summary = participant_summary(participant, user=bob)

    assert summary.last_visit.encounter_id == mine.pk
    assert f'data-last-visit="{mine.pk}"' in form_page
    assert f'name="repeat" value="{mine.pk}"' in form_page
    assert "North drop-in" in form_page and "East van" not in form_page
    client.post("/encounters/new/", {
        "client_id": str(uuid.uuid4()), "participant": participant.display_id, "site": places["fixed"].pk,
        "service_mode": "fixed", "repeat": ""})
    new = Encounter.objects.filter(staff=bob).exclude(pk=mine.pk).get()
    assert lines_of(new) == lines_of(mine)


def test_a_visit_at_a_site_you_do_not_work_at_cannot_be_repeated_by_its_id(bob, dana, participant, places, catalog,
                                                                           client_as):
    elsewhere, _ = actions.encounter_record(
        actor=dana, client_id=uuid.uuid4(), site=places["van"], service_mode="mobile", participant=participant,
        kits=[(catalog["injection_kit"], 3)])

    response = client_as(bob).post("/encounters/new/", {
        "client_id": str(uuid.uuid4()), "participant": participant.display_id, "site": places["fixed"].pk,
        "service_mode": "fixed", "repeat": str(elsewhere.pk)})

    assert "no earlier visit to repeat" in response.content.decode()
    assert Encounter.objects.count() == 1


def test_same_as_last_time_without_an_earlier_visit_says_so(bob, participant, places, client_as):
    response = client_as(bob).post("/encounters/new/", {
        "client_id": str(uuid.uuid4()), "participant": participant.display_id, "site": places["fixed"].pk,
        "service_mode": "fixed", "repeat": "1"})

    assert "no earlier visit to repeat" in response.content.decode()
    assert not Encounter.objects.exists()


def test_the_site_and_mode_default_to_the_persons_only_site(carol, places):
    defaults = queries.encounter_defaults(carol, None)

    assert defaults["site"] == places["van"]
    assert defaults["service_mode"] == "mobile"
    assert defaults["kits"] == {}


def test_the_last_used_site_is_the_default_next_time(dana, places, client_as):
    client = client_as(dana)
    assert 'selected>East van' not in client.get("/encounters/new/").content.decode()

    client.post("/encounters/new/", {"client_id": str(uuid.uuid4()), "site": places["van"].pk,
                                     "service_mode": "mobile"})

    content = client.get("/encounters/new/").content.decode()
    assert re.search(rf'<option value="{places["van"].pk}" selected>East van', content)
    assert re.search(r'<option value="mobile" selected>', content)


def test_the_mode_follows_the_kind_of_site(dana, places):
    partner = Site.objects.create(name="Corner pharmacy", kind=Site.Kind.PARTNER)
    outreach = Site.objects.create(name="Riverside route", kind=Site.Kind.OUTREACH)

    assert queries.encounter_defaults(dana, partner)["service_mode"] == "fixed"
    assert queries.encounter_defaults(dana, outreach)["service_mode"] == "outreach"


def test_steppers_are_number_fields_that_work_without_javascript(bob, catalog, client_as):
    content = client_as(bob).get("/encounters/new/").content.decode()
    syringe_field = re.search(rf'<input type="number" name="item-{catalog["syringe"].pk}"[^>]*>', content).group(0)

    assert 'value="0"' in syringe_field and 'min="0"' in syringe_field and 'max="1000"' in syringe_field
    assert 'data-step="1"' in content


def test_the_detail_page_counts_doses_and_syringes(bob, places, catalog, client_as):
    encounter, _ = actions.encounter_record(actor=bob, client_id=uuid.uuid4(), site=places["fixed"],
                                            service_mode="fixed", supplies=[(catalog["naloxone"], 2)],
                                            kits=[(catalog["injection_kit"], 1)])

    content = client_as(bob).get(f"/encounters/{encounter.pk}/").content.decode()

    assert re.search(r"Naloxone doses given</dt>\s*<dd>4</dd>", content)
    assert re.search(r"Syringes given</dt>\s*<dd>10</dd>", content)
