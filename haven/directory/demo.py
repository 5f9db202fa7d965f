"""A small, made-up directory for `haven demo` (fictional organizations and services), and a few
support records for the demo participants, so the directory, referrals and their report have
something to show. Idempotent: nothing is added when the directory already has services."""

from __future__ import annotations


def directory_demo_load() -> None:
    import datetime

    from django.utils import timezone

    from haven.accounts.models import User
    from haven.directory import actions
    from haven.directory.models import Address, Location, Phone, Schedule, Service, ServiceAtLocation

    if Service.objects.exists():
        return
    dana = User.objects.get(username="dana")
    entries = [
        ("Harbour Community Health", [
            ("Harbour drop-in", "harm_reduction", ["no_id_needed", "walk_in", "free", "no_sobriety_required",
                                                   "supplies_allowed"], ["en", "es"], "MO,TU,WE,TH,FR,SA,SU",
             "00:00", "24:00"),
            ("Harbour methadone clinic", "methadone", ["free", "accepts_moud", "walk_in"], ["en"], "MO,TU,WE,TH,FR",
             "07:00", "13:00"),
        ]),
        ("Lakeside Recovery", [
            ("Lakeside residential", "residential_treatment", ["accepts_moud", "couples_welcome"], ["en", "fr"],
             "MO,TU,WE,TH,FR", "09:00", "17:00"),
            ("Lakeside counselling", "counselling", ["free", "gender_affirming"], ["en", "fr"], "TU,TH",
             "10:00", "19:00"),
        ]),
        ("Northside Housing Network", [
            ("Northside night shelter", "housing", ["no_id_needed", "no_sobriety_required", "pets_allowed",
                                                    "couples_welcome", "free"], ["en", "es"], "MO,TU,WE,TH,FR,SA,SU",
             "19:00", "08:00"),
            ("ID clinic", "id_documents", ["free", "walk_in"], ["en", "es", "fr"], "WE", "13:00", "16:00"),
        ]),
    ]
    for number, (organization_name, services) in enumerate(entries, start=1):
        organization = actions.organization_create(actor=dana, name=organization_name,
                                                   description=f"{organization_name} (demo entry)")
        location = Location.objects.create(organization=organization, name=f"{organization_name} main site")
        Address.objects.create(location=location, address_1=f"{number * 10} Example Street", city="Demo City",
                               state_province="Demo State", postal_code=f"0000{number}", country="US")
        for name, category, low_barrier, languages, days, opens, closes in services:
            service = actions.service_save(actor=dana, organization=organization, values={
                "name": name, "description": f"{name}: a made-up service for the demo.", "status": "active"},
                low_barrier=low_barrier, category=category, languages=languages)
            at_location = ServiceAtLocation.objects.create(service=service, location=location)
            Schedule.objects.create(service_at_location=at_location, freq="WEEKLY", byday=days, opens_at=opens,
                                    closes_at=closes)
            Phone.objects.create(service=service, number=f"555-010{number}")
    shelter = Service.objects.get(name="Northside night shelter")
    actions.availability_update(actor=dana, service=shelter, beds=4, slots=None)
    _demo_support(dana, timezone.now() - datetime.timedelta(days=10))


def _demo_support(dana, start) -> None:
    from haven.accounts.models import User
    from haven.directory.models import Service
    from haven.participants.models import Participant
    from haven.support import actions
    from haven.support.models import Referral

    bob = User.objects.get(username="bob")
    people = list(Participant.objects.filter(merged_into__isnull=True).order_by("pk")[:4])
    if not people:
        return
    actions.assignment_add(actor=dana, participant=people[0], staff=bob)
    actions.goal_create(actor=bob, participant=people[0], category="never_alone", text="Someone with me on Fridays")
    actions.support_contact_record(actor=bob, participant=people[0], kind="navigation", mode="in_person",
                                   duration_minutes=20, note="Went to the ID clinic together")
    services = list(Service.objects.order_by("name"))
    for index, person in enumerate(people):
        referral = actions.referral_make(actor=bob, participant=person, consent_given=True,
                                         service=services[index % len(services)])
        if index % 2 == 0:
            actions.referral_status_set(actor=bob, referral=referral, status="accepted")
            actions.referral_status_set(actor=bob, referral=referral, status="connected")
        elif index == 1:
            actions.referral_status_set(actor=bob, referral=referral, status="declined", outcome="Not right now")
    Referral.objects.update(offered_at=start)
