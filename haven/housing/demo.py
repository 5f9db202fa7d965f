"""Demo housing for `haven demo`: three places with low-barrier beds, a partner's Housing First units,
and a few people at different steps of housing navigation. Made up; loaded once, through the actions."""

from __future__ import annotations

import datetime

PLACES = [
    # name, kind, site, low-barrier, gender policy, beds, address (staff only)
    ("Northside night shelter", "shelter", "Northside drop-in centre",
     ["housing_first", "no_conditions", "supplies_allowed", "pets", "partners", "storage"], "all",
     ["Bed 1", "Bed 2", "Bed 3", "Bed 4"], "40 Mill Road (side door)"),
    ("Eastside drop-in beds", "drop_in", "Eastside mobile van",
     ["no_conditions", "supplies_allowed", "no_curfew", "accessible"], "women", ["Mat A", "Mat B"],
     "7 Quay Lane"),
    ("Riverside transitional rooms", "transitional", "Riverside street outreach",
     ["housing_first", "no_conditions", "storage"], "all", ["Room 1", "Room 2"], "3 Ferry Street"),
]


def housing_demo_load() -> None:
    from django.utils import timezone

    from haven.accounts.models import User
    from haven.directory.models import Organization
    from haven.housing import actions
    from haven.housing.models import Property
    from haven.participants.models import Participant
    from haven.places.models import Site

    if Property.objects.exists():
        return
    dana, bob = User.objects.get(username="dana"), User.objects.get(username="bob")
    sites = {site.name: site for site in Site.objects.all()}
    places = []
    for name, kind, site, low_barrier, gender, beds, address in PLACES:
        place = actions.property_save(actor=dana, site=sites[site], name=name, kind=kind, low_barrier=low_barrier,
                                      gender_policy=gender, address=address, phone="555-0142")
        for label in beds:
            actions.bed_add(actor=dana, prop=place, label=label)
        places.append(place)
    partner = Organization.objects.order_by("name").first()
    units = actions.property_save(actor=dana, site=sites["Downtown partner pharmacy"], name="Harbour Housing First units",
                                  kind="permanent", organization=partner, low_barrier=["housing_first", "no_conditions",
                                                                                       "pets", "partners"],
                                  address="Harbour Court, units 1-3")
    for label in ("Unit 1", "Unit 2", "Unit 3"):
        actions.bed_add(actor=dana, prop=units, label=label)
    actions.bed_status_set(actor=dana, bed=units.beds.get(label="Unit 1"), status="occupied")
    actions.bed_status_set(actor=dana, bed=places[0].beds.get(label="Bed 4"), status="closed")
    actions.bed_hold(actor=bob, bed=places[0].beds.get(label="Bed 1"), hours=4)

    today = timezone.localdate()
    people = list(Participant.objects.filter(merged_into__isnull=True).order_by("pk")[:6])
    north = sites["Northside drop-in centre"]
    days = lambda n: today - datetime.timedelta(days=n)  # noqa: E731
    # (days ago assessed, applied, moved in, 6-month check) per person; None = not yet.
    stages = [(400, 380, 350, True), (260, 240, 210, True), (120, 100, 80, None), (60, 40, None, None),
              (20, None, None, None)]
    for person, (assessed, applied, moved, six_months) in zip(people, stages, strict=False):
        actions.status_record(actor=bob, participant=person, kind="prior", living_situation=116, length_of_stay=4,
                              information_date=days(assessed))
        journey = actions.journey_start(actor=bob, participant=person, site=north, assessed_on=days(assessed))
        for document in ("id", "income", "references"):
            actions.documents_ready(actor=bob, journey=journey, document=document, on=days(assessed - 5))
        if applied:
            actions.application_add(actor=bob, journey=journey, where="Harbour Housing First units",
                                    applied_on=days(applied))
        if moved:
            actions.matched(actor=bob, journey=journey, on=days(moved + 5), prop=units)
            actions.move_in(actor=bob, journey=journey, on=days(moved))
            for months in (3, 6) if six_months else (3,):
                if actions.add_months(days(moved), months) <= today:
                    actions.retention_check(actor=bob, journey=journey, months=months, still_housed=True,
                                            checked_on=actions.add_months(days(moved), months))
        actions.task_add(actor=bob, journey=journey, title="Call about the application", due_on=today)
    for index, person in enumerate(people[:3]):
        actions.hmis_consent_give(actor=dana, participant=person, identifiers={"FirstName": "Demo"} if index else {})
    if len(people) > 3:
        actions.hmis_consent_give(actor=dana, participant=people[3])
        actions.hmis_consent_withdraw(actor=dana, participant=people[3])
    if people:
        # Housed, with an ongoing subsidy, in their own words at a check-in; and a night at the shelter first.
        actions.status_record(actor=bob, participant=people[0], kind="current", living_situation=435)
        stay = actions.bed_hold(actor=bob, bed=places[0].beds.get(label="Bed 2"), hours=2, participant=people[0])
        actions.hold_end(actor=bob, hold=stay, outcome="used")
    if len(people) > 5:
        actions.status_record(actor=bob, participant=people[5], kind="current", living_situation=101)
